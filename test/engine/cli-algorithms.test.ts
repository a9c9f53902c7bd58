// Gmsh's algorithms through the CLI (--algorithm-2d, --algorithm-3d, --optimizer: the names the desktop's Advanced
// section offers) and the text histogram `meshbench show` prints: one real job on the demo bracket, read back.
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { demoPart, tmpHome } from '../helpers/paths';
import { qualityBands } from '../../src/contract/histogram-bands';

const bracket = demoPart('bracket.step');

describe("meshbench mesh --algorithm-2d --algorithm-3d --optimizer, and show's histogram", () => {
  const home = tmpHome();

  it('puts the chosen algorithms on every attempt, after its own options, so Gmsh runs them', async () => {
    const r = await cli(
      [
        'mesh',
        bracket,
        '--strategy',
        'hxt',
        '--algorithm-2d',
        'delaunay',
        '--algorithm-3d',
        'delaunay',
        '--optimizer',
        'none',
        '--json',
      ],
      home,
    );
    expect(r.code, r.stderr).toBe(0);
    const job = r.json();
    expect(job.settings.algorithms).toEqual({ algorithm2d: 'delaunay', algorithm3d: 'delaunay', optimizer: 'none' });
    // hxt's own Mesh.Algorithm 6 / Algorithm3D 10 first, the choice last: Gmsh takes the last value given.
    expect(job.attempts[0].argv.slice(-15).join(' ')).toBe(
      '-setnumber Mesh.Algorithm 6 -setnumber Mesh.Algorithm3D 10 -setnumber Mesh.Algorithm 5 -setnumber Mesh.Algorithm3D 1 -setnumber Mesh.Optimize 0',
    );
    // And Gmsh did: Delaunay surfaces, its own 3D Delaunay (not HXT's timers), no optimisation.
    const log = (await cli(['show', job.id, '--log'], home)).stderr;
    expect(log).toMatch(/Meshing surface \d+ \(Plane, Delaunay\)/);
    expect(log).not.toMatch(/Frontal-Delaunay/);
    expect(log).not.toMatch(/tEmptyMesh/);
    expect(log).not.toMatch(/Optimizing mesh\.\.\./);
  });

  it('refuses an unknown name with the choices, and one this Gmsh lacks in words, before any attempt', async () => {
    const bad = await cli(['mesh', bracket, '--algorithm-3d', 'tetgen'], home);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/argument 'tetgen' is invalid\. Allowed choices are delaunay, hxt, frontal, mmg3d/);
    const missing = await cli(['mesh', bracket, '--optimizer', 'netgen', '--json'], home);
    expect(missing.code).toBe(4);
    expect(missing.json().error.message).toBe('--optimizer netgen needs Netgen, which this Gmsh build does not have.');
  });

  it('show prints the SICN histogram in the bands the desktop draws, the target marked; --histogram picks another', async () => {
    const r = await cli(['mesh', bracket, '--strategy', 'default', '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    const job = r.json();
    const text = (await cli(['show', job.id], home)).stderr;
    const head = `SICN histogram of job ${job.id} (${job.quality.elements.toLocaleString('en-US')} tetrahedra; target >= 0.1, marked ◂):`;
    expect(text).toContain(head);
    const rows = text.split(head)[1].split('\n').slice(1, 11);
    const bands = qualityBands(job.quality.sicn.histogram, 10);
    expect(rows.map((l) => Number(/(\d[\d,]*)\s+[\d.]+ %/.exec(l)![1].replace(/,/g, '')))).toEqual(
      bands.map((b) => b.count),
    );
    expect(rows.filter((l) => l.endsWith('◂ target'))).toEqual([rows[1]]); // 0.1 - 0.2
    expect(rows[1]).toMatch(/^\s+0\.1 - 0\.2 \| /);
    const aspect = (await cli(['show', job.id, '--histogram', 'aspect'], home)).stderr;
    expect(aspect).toMatch(/aspect ratio histogram of job \S+ \([\d,]+ tetrahedra\):/);
    const curved = (await cli(['show', job.id, '--histogram', 'jacobian'], home)).stderr;
    expect(curved).toMatch(
      /No scaled Jacobian histogram for job \S+ \(a linear mesh has no curved-element Jacobian\)\./,
    );
  });
});
