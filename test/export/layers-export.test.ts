// A mesh with boundary layers (tets, prisms, pyramids where the layers stop, quadrangles where they meet the faces
// beside them) through every export, each read by its real consumer: meshio reads every cell of the .msh 2.2, .vtu,
// .bdf, .inp and .su2 with the same counts and none inverted in the format's own node order; CalculiX solves the .inp
// (C3D6 prisms, pyramids as collapsed C3D8, a pressure on the layered faces); OpenFOAM's gmshToFoam and
// ideasUnvToFoam and fluent3DMeshToFoam convert the .msh 2.2, the .unv and the Fluent mesh, and checkMesh says "Mesh OK." with every cell.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportFormat, JobResult } from '../../src/contract/job';
import { readMshFile, type MshMesh } from '../../src/mesh/msh-reader';
import { cli } from '../helpers/cli';
import { demoPart, tmpHome } from '../helpers/paths';
import { PYTHON, fixturesPy } from '../mesh/gmsh-fixtures';
import { haveFoam, toFoam } from './foam';
import { haveCcx, solveCcx } from './helpers';

interface Volumes {
  points: number;
  types: Record<string, { cells: number; nonpositive: number }>;
}
const volumes = (path: string, format: string, vtkOrder = false): Volumes =>
  JSON.parse(
    execFileSync(PYTHON, [fixturesPy('meshio_volumes.py'), path, format, ...(vtkOrder ? ['vtk-order'] : [])], {
      timeout: 120_000,
    }).toString(),
  );

describe('a layered mesh (the bracket, 5 layers on faces 3 and 11) in every export format', async () => {
  const home = tmpHome('meshbench-layers-export-');
  const r = await cli(
    [
      'mesh',
      demoPart('bracket.step'),
      '--strategy',
      'default',
      '--size-max',
      '12',
      '--layers',
      'face:3,11=5,0.05,1.2',
      '--export',
      'msh22,vtu,bdf,inp,su2,unv,fluent',
      '--json',
    ],
    home,
  );
  const job: JobResult = r.code === 0 ? r.json() : ({} as JobResult);
  const file = (f: ExportFormat) => job.exports!.find((e) => e.format === f)!.path;
  const m: MshMesh | null = r.code === 0 ? readMshFile(job.mesh!.path) : null;

  it('is meshed with prisms, pyramids and the quadrangles beside the layers', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(m!.counts.prisms).toBeGreaterThan(0);
    expect(m!.counts.pyramids).toBeGreaterThan(0);
    expect(m!.counts.quadrangles).toBeGreaterThan(0);
    const body = job.groups!.filter((g) => g.dim === 3);
    expect(body.reduce((s, g) => s + g.elements, 0)).toBe(m!.counts.tetrahedra + m!.counts.prisms + m!.counts.pyramids);
  });

  it.each([
    ['msh22', 'gmsh', false],
    ['vtu', 'vtu', false],
    ['bdf', 'nastran', false],
    ['inp', 'abaqus', false],
    ['su2', 'su2', true], // meshio keeps SU2's (VTK's) wedge order as it reads it
  ] as const)('%s (meshio): every tet, prism and pyramid, none inverted', (format, reader, vtkOrder) => {
    const v = volumes(file(format), reader, vtkOrder);
    expect(v.points).toBe(m!.nodeCount);
    const pyramids = format === 'inp' ? 'pyramid(collapsed hexahedron)' : 'pyramid';
    expect(v.types.tetra).toEqual({ cells: m!.counts.tetrahedra, nonpositive: 0 });
    expect(v.types.wedge).toEqual({ cells: m!.counts.prisms, nonpositive: 0 });
    expect(v.types[pyramids]).toEqual({ cells: m!.counts.pyramids, nonpositive: 0 });
  });

  it.skipIf(!haveCcx)('CalculiX solves the .inp: fixed layered face, pressure on the other, no error', () => {
    const dir = dirname(file('inp'));
    const faces = job.groups!.filter((g) => g.dim === 2);
    const name = (tag: number) => faces.find((g) => g.tags.includes(tag))!.name;
    const inp = readFileSync(file('inp'), 'utf8');
    expect(inp).toContain('TYPE=C3D6');
    expect(inp).toContain('TYPE=C3D8');
    const deck = [
      `*INCLUDE, INPUT=${file('inp')}`,
      '*MATERIAL, NAME=STEEL',
      '*ELASTIC',
      '210000., 0.3',
      ...job.groups!.filter((g) => g.dim === 3).map((b) => `*SOLID SECTION, ELSET=${b.name}, MATERIAL=STEEL`),
      '*BOUNDARY',
      `${name(3)}, 1, 3`,
      '*STEP',
      '*STATIC',
      '*DSLOAD', // the *SURFACE of a layered face: faces S1 of its first prisms
      `${name(11)}, P, 1.`,
      '*NODE PRINT, NSET=NALL',
      'U',
      '*END STEP',
      '',
    ].join('\n');
    const s = solveCcx(dir, deck);
    const log = s.log;
    expect(log).not.toMatch(/\*ERROR|jacobian/i);
    expect(s.status, log).toBe(0);
    expect(log).toMatch(/Job finished/);
    // every element face of the loaded group was found: one *SURFACE line per boundary triangle of face 11
    const surface = inp
      .split(`*SURFACE, NAME=${name(11)}, TYPE=ELEMENT\n`)[1]
      .split('*')[0]
      .trim()
      .split('\n');
    expect(surface.length).toBe(faces.find((g) => g.tags.includes(11))!.elements);
    // mostly the bottom (S1) of a first-layer prism; a side of a pyramid or tet where the layers stop
    expect(surface.filter((l) => / S1$/.test(l)).length).toBeGreaterThan(surface.length / 2);
  });

  it.skipIf(!haveFoam).each([
    ['gmshToFoam', 'msh22'],
    ['ideasUnvToFoam', 'unv'],
    ['fluent3DMeshToFoam', 'fluent'],
  ] as const)('OpenFOAM %s + checkMesh: Mesh OK., every cell', async (tool, format) => {
    const { check: stdout } = await toFoam(tool, file(format), dirname(file(format)));
    expect(stdout).toMatch(/^Mesh OK\.$/m);
    const cells = Number(/^\s+cells:\s+(\d+)/m.exec(stdout)![1]);
    expect(cells).toBe(m!.counts.tetrahedra + m!.counts.prisms + m!.counts.pyramids);
    expect(Number(/prisms:\s+(\d+)/.exec(stdout)![1])).toBe(m!.counts.prisms);
    expect(Number(/pyramids:\s+(\d+)/.exec(stdout)![1])).toBe(m!.counts.pyramids);
  });
});
