// Every export read back by a reader that is not ours: Debian's meshio where it reads the format (inp, bdf, vtu,
// msh 2.2, su2), Gmsh itself for .unv (whose group dataset Gmsh does not read: the names are checked in the text). Same node and tet counts as the .msh, and the group names where the
// format carries names.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExportFormat } from '../../src/contract/job';
import { exportMesh } from '../../src/export/export-mesh';
import { readMshFile } from '../../src/mesh/msh-reader';
import { PYTHON, fixturesPy } from '../mesh/gmsh-fixtures';
import { bracket, meshPart } from './helpers';

const MESHIO_FORMAT: Partial<Record<ExportFormat, string>> = {
  inp: 'abaqus',
  bdf: 'nastran',
  vtu: 'vtu',
  msh22: 'gmsh',
  su2: 'su2',
};
const meshio = (path: string, fmt: string) =>
  JSON.parse(execFileSync(PYTHON, [fixturesPy('meshio_readback.py'), path, fmt], { timeout: 120_000 }).toString());

describe.each([1, 2] as const)('exports of the demo bracket, order %i, read back independently', (order) => {
  let out: ReturnType<typeof exportMesh>;
  let nodes = 0;
  let tets = 0;
  const tet = order === 2 ? 'tetra10' : 'tetra';
  beforeAll(() => {
    const { msh, dir } = meshPart(bracket, { elementOrder: order, sizeFactor: 1.5, groups: undefined });
    const m = readMshFile(msh);
    nodes = m.nodeCount;
    tets = m.counts.tetrahedra;
    const formats: ExportFormat[] =
      order === 1 ? ['inp', 'bdf', 'vtu', 'msh22', 'su2', 'unv'] : ['inp', 'bdf', 'vtu', 'msh22', 'unv'];
    out = exportMesh(msh, formats, dir, 'bracket');
  });
  const file = (f: ExportFormat) => out.exports.find((e) => e.format === f)!.path;
  const faceNames = () => out.groups!.filter((g) => g.dim === 2).map((g) => g.name);

  it('inp (meshio abaqus): nodes, tets, an NSET per face group and an ELSET per body', () => {
    const r = meshio(file('inp'), MESHIO_FORMAT.inp!);
    expect(r.points).toBe(nodes);
    expect(r.cells).toEqual({ [tet]: tets });
    expect(r.point_sets).toEqual(expect.arrayContaining(faceNames()));
    expect(r.cell_sets).toEqual(expect.arrayContaining(['Body_1']));
  });

  it('bdf (meshio nastran): nodes, tets, the body property on every tet, names in the comments', () => {
    const r = meshio(file('bdf'), MESHIO_FORMAT.bdf!);
    expect(r.points).toBe(nodes);
    expect(r.cells).toEqual({ [tet]: tets });
    const text = readFileSync(file('bdf'), 'utf8');
    expect(text).toMatch(/^\$ group Body_1\n\$HMNAME COMP 200001 "Body_1"\nPSOLID,200001,1$/m);
    for (const n of faceNames()) expect(text).toContain(`$ group ${n}\n`);
  });

  it('vtu (meshio): nodes, tets, quality and body per cell', () => {
    const r = meshio(file('vtu'), MESHIO_FORMAT.vtu!);
    expect(r.points).toBe(nodes);
    expect(r.cells).toEqual({ [tet]: tets });
    expect(r.cell_data).toEqual(['aspect_ratio', 'body', 'gamma', 'min_dihedral_deg', 'sicn', 'skewness']);
  });

  it('msh 2.2 (meshio gmsh): nodes, tets, every group as a physical name', () => {
    const r = meshio(file('msh22'), MESHIO_FORMAT.msh22!);
    expect(r.points).toBe(nodes);
    expect(r.cells[tet]).toBe(tets);
    expect(r.field_data.sort()).toEqual(out.groups!.map((g) => g.name).sort());
    expect(readFileSync(file('msh22'), 'latin1').slice(0, 35)).toBe('$MeshFormat\n2.2 0 8\n$EndMeshFormat\n');
  });

  it.runIf(order === 1)('su2 (meshio): nodes, tets, one marker per face group', () => {
    const r = meshio(file('su2'), MESHIO_FORMAT.su2!);
    expect(r.points).toBe(nodes);
    expect(r.cells.tetra).toBe(tets);
    const markers = [...readFileSync(file('su2'), 'latin1').matchAll(/^MARKER_TAG= (\S+)$/gm)].map((m) => m[1]);
    expect(markers.sort()).toEqual(faceNames().sort());
    expect(r.cells.triangle).toBe(out.groups!.filter((g) => g.dim === 2).reduce((s, g) => s + g.elements, 0));
  });

  it('unv (read by Gmsh, which skips dataset 2467): nodes and tets; each group named in 2467', () => {
    const back = join(out.exports[0].path, '..', 'unv-back.msh');
    execFileSync('gmsh', [file('unv'), '-0', '-format', 'msh41', '-o', back], { stdio: 'pipe' });
    const m = readMshFile(back);
    expect(m.nodeCount).toBe(nodes);
    expect(m.counts.tetrahedra).toBe(tets);
    expect(m.tetOrder).toBe(order);
    const groups = readFileSync(file('unv'), 'latin1').split('\n  2467\n')[1];
    for (const g of out.groups!) expect(groups).toMatch(new RegExp(`^${g.name}$`, 'm'));
  });
});

it('su2 refuses a quadratic mesh with the reason; the other formats are written all the same', () => {
  const { msh, dir } = meshPart(bracket, { elementOrder: 2, sizeFactor: 2 });
  const { exports } = exportMesh(msh, ['su2', 'inp'], dir, 'q');
  expect(exports[0]).toEqual({
    format: 'su2',
    path: join(dir, 'q.su2'),
    error: 'SU2 (.su2) takes linear elements only: export su2 from a linear mesh (--order 1)',
  });
  expect(existsSync(join(dir, 'q.su2'))).toBe(false);
  expect(exports[1]).toMatchObject({ format: 'inp', bytes: expect.any(Number) });
  expect(statSync(exports[1].path).size).toBe(exports[1].bytes);
});
