// Groups and exports through the CLI: `meshbench faces`, `mesh --group/--export/--units`, the result JSON and
// `meshbench show`, and the clear refusals of groups that cannot be made.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMshFile } from '../../src/mesh/msh-reader';
import { cli } from '../helpers/cli';
import { repoRoot, tmpHome } from '../helpers/paths';
import { bracket } from './helpers';

describe('meshbench faces', () => {
  it('lists every CAD face with area, centroid and outward normal, and the bodies', async () => {
    const r = await cli(['faces', bracket, '--json'], tmpHome());
    expect(r.code, r.stderr).toBe(0);
    const m = r.json();
    expect(m.unit).toBe('mm');
    expect(m.bodies).toHaveLength(1);
    expect(m.bodies[0].faces).toHaveLength(m.faces.length);
    expect(m.faces.length).toBeGreaterThan(10);
    const area = m.faces.reduce((s: number, f: any) => s + f.area, 0);
    expect(area).toBeGreaterThan(0);
    // the bracket's base lies on z = 0: its face points down, out of the part
    const base = m.faces.find((f: any) => Math.abs(f.centroid[2]) < 1e-9);
    expect(base.normal).toEqual([0, 0, -1]);
    const text = await cli(['faces', bracket], tmpHome());
    expect(text.stderr).toMatch(/1 body, \d+ faces \(lengths in mm\)/);
  });

  it('refuses an STL with the reason', async () => {
    const r = await cli(['faces', join(repoRoot, 'resources/demo/knob.stl')], tmpHome());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/knob\.stl: an STL file has triangles, not CAD faces/);
  });
});

describe('meshbench mesh --group --export --units', () => {
  it('writes the groups into the mesh, exports, records groups/exports/units, and show prints them', async () => {
    const home = tmpHome();
    const r = await cli(
      [
        'mesh',
        bracket,
        '--strategy',
        'default',
        '--group',
        'fixed=face:1,3',
        '--group',
        'part=body:1',
        '--export',
        'inp',
        '--units',
        'm',
        '--json',
      ],
      home,
    );
    expect(r.code, r.stderr).toBe(0);
    const job = r.json();
    expect(job.units).toBe('m');
    const names = job.groups.map((g: any) => g.name);
    expect(names).toEqual(expect.arrayContaining(['fixed', 'part', 'Face_1', 'Face_3']));
    for (const g of job.groups) expect(g.name).toMatch(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/);
    const fixed = job.groups.find((g: any) => g.name === 'fixed');
    const [f1, f3] = ['Face_1', 'Face_3'].map((n) => job.groups.find((g: any) => g.name === n));
    expect(fixed).toMatchObject({ dim: 2, tags: [1, 3], elements: f1.elements + f3.elements });
    const part = job.groups.find((g: any) => g.name === 'part');
    expect(part).toMatchObject({ dim: 3, tags: [1], elements: job.mesh.elements.tetrahedra, nodes: job.mesh.nodes });
    // the .msh carries them as physical groups, in metres
    const mesh = readMshFile(job.mesh.path);
    expect(mesh.physicals.map((p) => p.name)).toEqual(expect.arrayContaining(['fixed', 'part']));
    expect(mesh.physicals.find((p) => p.name === 'fixed')!.entities.sort()).toEqual([1, 3]);
    expect(Math.max(...mesh.bbox.max)).toBeLessThan(0.2); // the 80 mm bracket in metres
    const [inp] = job.exports;
    expect(inp.format).toBe('inp');
    expect(existsSync(inp.path)).toBe(true);
    expect(createHash('sha256').update(readFileSync(inp.path)).digest('hex')).toBe(inp.sha256);
    expect(readFileSync(inp.path, 'utf8')).toMatch(/\*NSET, NSET=fixed\n[\s\S]*\*SURFACE, NAME=fixed, TYPE=ELEMENT/);
    const show = await cli(['show', job.id], home);
    expect(show.stderr).toMatch(/Groups\s+\d+ .*units m/);
    expect(show.stderr).toMatch(/fixed/);
    expect(show.stderr).toContain(inp.path);
  });

  it('refuses a group of a face the part does not have, naming it, before meshing', async () => {
    const r = await cli(['mesh', bracket, '--group', 'fixed=face:999', '--json'], tmpHome());
    expect(r.code).toBe(4);
    expect(r.json().error.message).toMatch(/Group "fixed": the part has no face 999 \(it has faces 1-\d+\)/);
    expect(r.json().attempts.every((a: any) => a.status !== 'completed')).toBe(true);
  });

  it('refuses a group name no solver format accepts, and an unknown export format', async () => {
    const bad = await cli(['mesh', bracket, '--group', 'my group=face:1'], tmpHome());
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/my group.*letter or _ followed by letters, digits or _/);
    const fmt = await cli(['mesh', bracket, '--export', 'inp,stl'], tmpHome());
    expect(fmt.code).not.toBe(0);
    expect(fmt.stderr).toMatch(/unknown format stl/);
  });
});
