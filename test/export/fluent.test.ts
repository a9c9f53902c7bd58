// The Fluent mesh writer read back by a parser written from the format's description: every tet is a cell bounded by
// exactly four faces, every face's right-hand normal points into its c0 cell (and out of c1), boundary faces sit in
// one wall zone per face group under the group's name, interior faces in interior zones, cells in one zone per body.
// OpenFOAM's fluent3DMeshToFoam reads the same files in openfoam.test.ts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportMesh, groupsOfMesh } from '../../src/export/export-mesh';
import { writeFluent } from '../../src/export/fluent';
import { exportView, resolveGroups } from '../../src/export/groups';
import { readMshFile } from '../../src/mesh/msh-reader';
import { demoPart } from '../helpers/paths';
import { bracket, meshPart } from './helpers';

interface Zone {
  id: number;
  first: number;
  last: number;
  type?: string;
  name?: string;
}
interface Fluent {
  nodes: number[][];
  cells: number;
  cellZones: Zone[];
  faceZones: (Zone & { bc: number; faces: number[][] })[];
}

function parseFluent(text: string): Fluent {
  const hex = (s: string) => parseInt(s, 16);
  const decl = (section: number) =>
    text.match(new RegExp(`^\\(${section} \\(0 1 ([0-9a-f]+) 0(?: 3)?\\)\\)$`, 'm'))![1];
  const nodeBlock = text.match(/^\(10 \(1 1 ([0-9a-f]+) 1 3\)\(\n([^)]*)\)\)$/m)!;
  const nodes = nodeBlock[2]
    .trim()
    .split('\n')
    .map((l) => l.split(' ').map(Number));
  expect(nodes.length).toBe(hex(nodeBlock[1]));
  expect(nodes.length).toBe(hex(decl(10)));
  const names = new Map(
    [...text.matchAll(/^\(39 \((\d+) (\S+) (\S+)\)\(\)\)$/gm)].map((m) => [Number(m[1]), { type: m[2], name: m[3] }]),
  );
  const cellZones = [...text.matchAll(/^\(12 \(([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) 1 2\)\)$/gm)].map((m) => ({
    id: hex(m[1]),
    first: hex(m[2]),
    last: hex(m[3]),
    ...names.get(hex(m[1])),
  }));
  const faceZones = [...text.matchAll(/^\(13 \(([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) (\d) 3\)\(\n([^)]*)\)\)$/gm)].map(
    (m) => ({
      id: hex(m[1]),
      first: hex(m[2]),
      last: hex(m[3]),
      bc: Number(m[4]),
      faces: m[5]
        .trim()
        .split('\n')
        .map((l) => l.split(' ').map(hex)),
      ...names.get(hex(m[1])),
    }),
  );
  const faces = faceZones.reduce((s, z) => s + z.faces.length, 0);
  expect(faces).toBe(hex(decl(13)));
  return { nodes, cells: hex(decl(12)), cellZones, faceZones };
}

const sub = (a: number[], b: number[]) => a.map((v, i) => v - b[i]);
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const cross = (a: number[], b: number[]) => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];

/** The checks every Fluent file must pass: closed cells, orientation, zones by boundary. */
function checkTopology(f: Fluent, tets: number) {
  expect(f.cells).toBe(tets);
  // cell zones tile 1..cells
  let next = 1;
  for (const z of f.cellZones) {
    expect(z.first).toBe(next);
    next = z.last + 1;
  }
  expect(next - 1).toBe(tets);
  // each cell: four faces, four distinct nodes
  const faceCount = new Uint8Array(tets + 1);
  const cellNodes = Array.from({ length: tets + 1 }, () => new Set<number>());
  for (const z of f.faceZones)
    for (const [a, b, c, c0, c1] of z.faces) {
      expect(c0).toBeGreaterThan(0);
      expect(z.type === 'wall', `zone ${z.name}: boundary faces only in wall zones`).toBe(c1 === 0);
      for (const cell of c1 ? [c0, c1] : [c0]) {
        faceCount[cell]++;
        for (const n of [a, b, c]) cellNodes[cell].add(n);
      }
    }
  for (let c = 1; c <= tets; c++) {
    expect(faceCount[c], `cell ${c}`).toBe(4);
    expect(cellNodes[c].size, `cell ${c}`).toBe(4);
  }
  const centroid = (c: number) =>
    [...cellNodes[c]].reduce((s, n) => s.map((v, i) => v + f.nodes[n - 1][i] / 4), [0, 0, 0]);
  let wrong = 0;
  for (const z of f.faceZones)
    for (const [a, b, c, c0, c1] of z.faces) {
      const [pa, pb, pc] = [a, b, c].map((n) => f.nodes[n - 1]);
      const normal = cross(sub(pb, pa), sub(pc, pa));
      const mid = [0, 1, 2].map((i) => (pa[i] + pb[i] + pc[i]) / 3);
      if (dot(normal, sub(centroid(c0), mid)) <= 0) wrong++;
      if (c1 && dot(normal, sub(centroid(c1), mid)) >= 0) wrong++;
    }
  expect(wrong, 'faces whose normal does not point into c0').toBe(0);
}

describe('Fluent mesh export', () => {
  it('the demo bracket: closed cells, normals into c0, one wall zone per face group, one cell zone', () => {
    const { msh, dir } = meshPart(bracket, { sizeFactor: 2 });
    const out = exportMesh(msh, ['fluent'], dir, 'bracket');
    expect(out.exports[0].path).toBe(join(dir, 'bracket.fluent.msh'));
    const m = readMshFile(msh);
    const f = parseFluent(readFileSync(out.exports[0].path, 'latin1'));
    expect(f.nodes.length).toBe(m.nodeCount);
    checkTopology(f, m.counts.tetrahedra);
    expect(f.cellZones.map((z) => [z.name, z.type])).toEqual([['Body_1', 'fluid']]);
    const walls = f.faceZones.filter((z) => z.type === 'wall');
    const faceGroups = out.groups!.filter((g) => g.dim === 2);
    expect(walls.map((z) => z.name).sort()).toEqual(faceGroups.map((g) => g.name).sort());
    for (const z of walls) expect(z.faces.length).toBe(faceGroups.find((g) => g.name === z.name)!.elements);
    expect(f.faceZones.filter((z) => z.type === 'interior').map((z) => z.name)).toEqual(['default-interior']);
  });

  it('the three-body assembly: a cell zone per body, the interfaces as named interior zones', () => {
    const { msh, dir } = meshPart(demoPart('assembly.step'), { sizeFactor: 2 });
    const out = exportMesh(msh, ['fluent'], dir, 'assembly');
    const f = parseFluent(readFileSync(out.exports[0].path, 'latin1'));
    const bodies = out.groups!.filter((g) => g.dim === 3);
    checkTopology(f, readMshFile(msh).counts.tetrahedra);
    expect(f.cellZones.map((z) => [z.name, z.last - z.first + 1])).toEqual(bodies.map((b) => [b.name, b.elements]));
    // the surfaces two bodies share carry no wall: their faces are interior, in their group's interior zone
    const interiors = f.faceZones.filter((z) => z.type === 'interior').map((z) => z.name);
    expect(interiors[0]).toBe('default-interior');
    expect(interiors.length).toBeGreaterThan(1);
    for (const name of interiors.slice(1))
      expect(out.groups!.map((g) => g.name)).toContain(name!.replace(/-interior$/, ''));
  });

  it('turns the faces of negatively oriented tets round', () => {
    const { msh } = meshPart(bracket, { sizeFactor: 2 });
    const mesh = exportView(readMshFile(msh, undefined, { full: true }));
    const tets = mesh.tets.slice();
    for (let t = 0; t < tets.length / 4; t += 2)
      [tets[4 * t + 1], tets[4 * t + 2]] = [tets[4 * t + 2], tets[4 * t + 1]];
    const flipped = { ...mesh, tets };
    const path = join(msh, '..', 'flipped.fluent.msh');
    writeFluent(path, flipped, resolveGroups(flipped, groupsOfMesh(flipped)), 'flipped');
    checkTopology(parseFluent(readFileSync(path, 'latin1')), tets.length / 4);
  });

  it('refuses a quadratic mesh with the reason (Fluent cells are linear)', () => {
    const { msh, dir } = meshPart(bracket, { elementOrder: 2, sizeFactor: 2 });
    const [fluent] = exportMesh(msh, ['fluent'], dir, 'q').exports;
    expect(fluent.error).toMatch(/Fluent \(\.fluent\.msh\) takes linear elements only/);
    expect(existsSync(fluent.path)).toBe(false);
  });
});
