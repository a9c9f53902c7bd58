// The main .msh of a job, handed to the tools engineers open it with: meshio (Debian's 5.0; FEniCS, scikit-fem and
// PyVista read Gmsh meshes through it) reads every tetrahedron and every group, Gmsh reads the same nodes and
// elements as our reader, and physical numbers never repeat across dimensions in the .msh or in any export that
// carries them (gmshToFoam names a patch by its number alone).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JobResult } from '../../src/contract/job';
import { groupsOfMesh } from '../../src/export/export-mesh';
import { readMshFile } from '../../src/mesh/msh-reader';
import { PYTHON, fixturesPy } from '../mesh/gmsh-fixtures';
import { cli } from '../helpers/cli';
import { demoPart, tmpHome } from '../helpers/paths';

const py = (script: string, ...args: string[]) =>
  JSON.parse(execFileSync(PYTHON, [fixturesPy(script), ...args], { timeout: 120_000 }).toString());

/** Physical numbers used by more than one group, whatever their dimension. */
function repeated(numbers: number[]): number[] {
  const seen = new Set<number>();
  return numbers.filter((n) => (seen.has(n) ? true : (seen.add(n), false)));
}

describe.each([
  ['a single part', 'bracket.step', 1],
  ['the three-body assembly', 'assembly.step', 3],
])('the main .msh of %s', (_what, part, bodies) => {
  let job: JobResult;
  const exported = (f: string) => job.exports!.find((e) => e.format === f)!.path;

  it('is meshed through the CLI with its exports', async () => {
    const r = await cli(
      ['mesh', demoPart(part), '--strategy', 'default', '--export', 'msh22,unv,bdf', '--json'],
      tmpHome(),
    );
    expect(r.code, r.stderr).toBe(0);
    job = r.json();
    expect(job.groups!.filter((g) => g.dim === 3)).toHaveLength(bodies);
  });

  it('reads in meshio with every tetrahedron and every group in field_data', () => {
    const ours = readMshFile(job.mesh!.path);
    const m = py('meshio_readback.py', job.mesh!.path, 'gmsh');
    expect(m.cells.tetra).toBe(ours.counts.tetrahedra);
    expect(m.cells.tetra).toBe(job.mesh!.elements.tetrahedra);
    expect(m.points).toBe(ours.nodeCount);
    expect(m.field_data).toEqual(expect.arrayContaining(job.groups!.map((g) => g.name)));
    expect(m.cell_data).toContain('gmsh:physical');
    if (bodies > 1) expect(m.field_data).toEqual(expect.arrayContaining(['Interface_1_2', 'Interface_2_3']));
  });

  it('still reads in Gmsh with the nodes and elements of every dimension the job reports', () => {
    const g = py('gmsh_counts.py', job.mesh!.path);
    const e = job.mesh!.elements;
    expect(g.nodes).toBe(job.mesh!.nodes);
    // Gmsh's element types: 15 point, 1 line, 2 triangle, 4 tetrahedron
    expect(g.byType).toEqual({ '15': e.points, '1': e.lines, '2': e.triangles, '4': e.tetrahedra });
  });

  it('gives each group a physical number no other group has, in every dimension and every format', () => {
    const main = readMshFile(job.mesh!.path).physicals;
    expect(main.map((p) => p.dim).sort()).toEqual(expect.arrayContaining([0, 1, 2, 3]));
    expect(repeated(main.map((p) => p.tag))).toEqual([]);
    // msh 2.2: `dim number "name"` in $PhysicalNames
    const v22 = readFileSync(exported('msh22'), 'latin1');
    const names22 = v22.slice(v22.indexOf('$PhysicalNames'), v22.indexOf('$EndPhysicalNames'));
    const nums22 = [...names22.matchAll(/^[23] (\d+) "/gm)].map((x) => Number(x[1]));
    expect(nums22).toHaveLength(job.groups!.length);
    expect(repeated(nums22)).toEqual([]);
    // unv dataset 2467: the group number opens each group's record
    const unv = readFileSync(exported('unv'), 'latin1').split('\n  2467\n')[1];
    const numsUnv = [...unv.matchAll(/^ {0,9}(\d+)(?: {9}0){6} +\d+\n[A-Za-z_]/gm)].map((x) => Number(x[1]));
    expect(numsUnv).toHaveLength(job.groups!.length);
    expect(repeated(numsUnv)).toEqual([]);
    // bdf: PSOLID ids (bodies) and SET1 ids (faces) from one range
    const bdf = readFileSync(exported('bdf'), 'latin1');
    const numsBdf = [...bdf.matchAll(/^(?:PSOLID|SET1),(\d+),/gm)].map((x) => Number(x[1]));
    expect(numsBdf).toHaveLength(job.groups!.length);
    expect(repeated(numsBdf)).toEqual([]);
    // and the number of a group is the same in every file
    for (const p of main.filter((q) => q.dim >= 2)) {
      expect(names22).toContain(`${p.dim} ${p.tag} "${p.name}"`);
      expect(bdf).toContain(`"${p.name}"\n${p.dim === 3 ? 'PSOLID' : 'SET1'},${p.tag},`);
    }
  });
});

it('a mesh written before the numbers were unique (a face and a body both 1) exports with them apart', () => {
  const physicals = [
    { dim: 3, tag: 1, name: 'Body_1', entities: [1] },
    { dim: 2, tag: 1, name: 'Face_1', entities: [1] },
    { dim: 2, tag: 2, name: 'Face_2', entities: [2] },
  ];
  const groups = groupsOfMesh({ physicals });
  expect(groups.map((g) => [g.name, g.physical])).toEqual([
    ['Body_1', 1],
    ['Face_1', 3],
    ['Face_2', 2],
  ]);
});
