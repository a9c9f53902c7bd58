// Boundary layers grown into real tetrahedral meshes of the project's CFD and demo parts: the requested layers where
// they fit, thinner (and said where and why) where they do not, and never an inverted element, a crack or a face
// used three times. Measured here independently of the layer code: stacks counted from the prisms, heights from the
// node coordinates, validity from Gmsh's own Jacobians.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AttemptLayers } from '../../src/contract/attempt';
import { growLayers } from '../../src/layers/grow';
import { inflateMesh } from '../../src/layers/inflate';
import { readMshFile, type MshMesh } from '../../src/mesh/msh-reader';
import { measureTets } from '../../src/quality/kernel';
import { demoPart } from '../helpers/paths';
import { PYTHON, fixturesPy } from '../mesh/gmsh-fixtures';
import { attemptMesh, boundaryOf, cfdPart, layerDir, meshVolume } from './fixtures';

const layers = (faces: number[], count: number, first: number, growth: number, minSicn = 0.1): AttemptLayers => ({
  groups: [{ target: 'walls', faces, count, first, growth }],
  minSicn,
});
let n = 0;
const inflate = (mesh: string, spec: AttemptLayers) => {
  const out = join(layerDir(), `layered-${n++}.msh`);
  const r = inflateMesh(mesh, out, spec, 1);
  return { ...r, m: readMshFile(out), out };
};
const gmshInverted = (mesh: string): Record<string, { n: number; inverted: number }> =>
  JSON.parse(execFileSync(PYTHON, [fixturesPy('gmsh_signed.py'), mesh], { timeout: 120_000 }).toString());
const allFaces = (m: MshMesh) => [...new Set(m.triangleEntities)].sort((a, b) => a - b);

/** Height of each first-layer prism over its wall triangle: the prisms whose bottom is a triangle of `faces`. */
function firstHeights(m: MshMesh, faces: number[]): number[] {
  const wall = new Set<string>();
  for (let i = 0; i < m.triangleEntities.length; i++)
    if (faces.includes(m.triangleEntities[i]))
      wall.add(
        Array.from(m.triangles.subarray(3 * i, 3 * i + 3))
          .sort((a, b) => a - b)
          .join(),
      );
  const P = m.nodes;
  const h: number[] = [];
  for (let e = 0; e < m.prisms.length; e += 6) {
    const b = Array.from(m.prisms.subarray(e, e + 3));
    if (!wall.has([...b].sort((x, y) => x - y).join())) continue;
    const [o, u, v] = b.map((x) => 3 * x);
    const a = [P[u] - P[o], P[u + 1] - P[o + 1], P[u + 2] - P[o + 2]];
    const c = [P[v] - P[o], P[v + 1] - P[o + 1], P[v + 2] - P[o + 2]];
    const nn = [a[1] * c[2] - a[2] * c[1], a[2] * c[0] - a[0] * c[2], a[0] * c[1] - a[1] * c[0]];
    const l = Math.hypot(...nn);
    for (let k = 0; k < 3; k++) {
      const t = 3 * m.prisms[e + 3 + k],
        s = 3 * m.prisms[e + k];
      h.push(((P[t] - P[s]) * nn[0] + (P[t + 1] - P[s + 1]) * nn[1] + (P[t + 2] - P[s + 2]) * nn[2]) / l);
    }
  }
  return h;
}

/** The stack over each wall triangle: prisms, pyramids and tets whose nodes all belong to its column. */
const triangleCount = (m: MshMesh, faces: number[]) => m.triangleEntities.filter((e) => faces.includes(e)).length;

describe('layers on the duct walls (resources/cfd-parts/duct.step)', async () => {
  const tets = await attemptMesh(cfdPart('duct.step'), 'duct', { sizing: { sizeMax: 4 } });
  const before = readMshFile(tets);
  const walls = [1, 3, 4];
  const r = inflate(tets, layers(walls, 3, 0.1, 1.3));

  it('three prisms over every wall triangle, none elsewhere, the first 0.1 high within 20 %', () => {
    expect(r.m.counts.prisms).toBe(3 * triangleCount(before, walls));
    expect(r.m.counts.pyramids).toBe(0);
    const h = firstHeights(r.m, walls);
    expect(h.length).toBe(3 * triangleCount(before, walls));
    for (const x of h) expect(Math.abs(x - 0.1)).toBeLessThanOrEqual(0.02);
    const g = r.layers[0];
    expect(g.measured.count).toBe(3);
    expect(g.asked.total).toBeCloseTo(0.1 + 0.13 + 0.169, 9);
    expect(g.measured.first.min).toBeGreaterThanOrEqual(0.08);
    expect(g.measured.firstWithin20Pct).toBe(1);
    expect(g.stopped + g.shrunk).toBe(0);
  });

  it('no inverted element (Gmsh Jacobians), conformal, the same boundary and volume as the tetrahedral mesh', () => {
    const inv = gmshInverted(r.out);
    expect(inv.prism.n).toBe(r.m.counts.prisms);
    for (const t of Object.values(inv)) expect(t.inverted).toBe(0);
    const b0 = boundaryOf(before);
    const b = boundaryOf(r.m);
    expect(b.overUsed + b.bare + b.inner).toBe(0);
    expect(b.skinArea).toBeCloseTo(b0.skinArea, 6);
    // (prisms measured as three tets each: a warped side quadrangle splits one way or the other, hence 1e-5)
    expect(Math.abs(meshVolume(r.m) / meshVolume(before) - 1)).toBeLessThan(1e-5);
    // the inlet and outlet meet the layers in quadrangles: 3 per wall edge on them
    expect(r.m.counts.quadrangles).toBeGreaterThan(0);
    expect(r.m.counts.quadrangles % 3).toBe(0);
  });

  it('the same input gives the same file (sha256)', () => {
    const again = inflate(tets, layers(walls, 3, 0.1, 1.3));
    const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    expect(sha(again.out)).toBe(sha(r.out));
  });
});

describe('layers on every face of the fillet box: convex edges and corners keep the height', async () => {
  const tets = await attemptMesh(cfdPart('fillet-box.step'), 'fillet', { sizing: { sizeMax: 6 } });
  const m = readMshFile(tets);
  const r = inflate(tets, layers(allFaces(m), 3, 0.1, 1.3));

  it('every first layer within 20 % of 0.1, at the sharp edges too (the growth is lengthened by 1/cos)', () => {
    expect(r.m.counts.prisms).toBe(3 * triangleCount(m, allFaces(m)));
    const h = firstHeights(r.m, allFaces(m));
    expect(Math.min(...h)).toBeGreaterThanOrEqual(0.08);
    expect(Math.max(...h)).toBeLessThanOrEqual(0.12);
    expect(gmshInverted(r.out).prism.inverted).toBe(0);
  });
});

describe('a thin gap: layers from both walls would meet, so they thin out there and say so', async () => {
  const tets = await attemptMesh(cfdPart('thin-gap.step'), 'gap', { sizing: { sizeMax: 4 } });
  const m = readMshFile(tets);
  const r = inflate(tets, layers(allFaces(m), 5, 0.1, 1.3));

  it('shrinks in the gap only, reports the spot, keeps every tetrahedron at SICN >= min(0.1, before)', () => {
    const g = r.layers[0];
    expect(g.shrunk).toBeGreaterThan(0);
    expect(g.spots.length).toBeGreaterThan(0);
    const spot = g.spots[0];
    expect(spot.reason).toMatch(/tetrahedra beyond would fall below SICN 0\.1/);
    expect(spot.minShare).toBeLessThan(1);
    // the gap is x 15..25, z 0..1: the thinnest place is there
    expect(spot.at[0]).toBeGreaterThan(13);
    expect(spot.at[0]).toBeLessThan(27);
    expect(g.measured.first.min).toBeLessThan(0.08);
    expect(g.measured.first.max).toBeCloseTo(0.1, 6);
    const q0 = Math.min(...measureTets(m.nodes, m.tets).sicn);
    const q = Math.min(...measureTets(r.m.nodes, r.m.tets).sicn);
    expect(q).toBeGreaterThanOrEqual(Math.min(0.1, q0));
    for (const t of Object.values(gmshInverted(r.out))) expect(t.inverted).toBe(0);
    const b = boundaryOf(r.m);
    expect(b.overUsed + b.bare + b.inner).toBe(0);
  });

  it('neighbouring wall nodes differ by at most a quarter of the thickness (stops taper)', () => {
    const grown = growLayers(readMshFile(tets, undefined, { all: true }), {
      profiles: [{ count: 5, dists: [0.1, 0.23, 0.399, 0.6187, 0.90431] }],
      faceProfile: new Map(allFaces(m).map((f) => [f, 0])),
      minSicn: 0.1,
    });
    const share = new Map(grown.wall.map((w) => [w.node, w.factor]));
    let worst = 0;
    for (let i = 0; i < m.triangles.length; i += 3)
      for (let k = 0; k < 3; k++) {
        const a = share.get(m.triangles[i + k])!,
          b = share.get(m.triangles[i + ((k + 1) % 3)])!;
        worst = Math.max(worst, Math.abs(a - b));
      }
    expect(worst).toBeLessThanOrEqual(0.25 + 1e-12);
    expect(Math.min(...share.values())).toBeLessThan(0.75);
  });
});

describe('layers on two faces of the bracket: they stop at concave corners against faces without layers', async () => {
  const tets = await attemptMesh(demoPart('bracket.step'), 'bracket', { sizing: { sizeMax: 12 } });
  const m = readMshFile(tets);
  const r = inflate(tets, layers([3, 11], 5, 0.05, 1.2));

  it('no crack: the boundary stays the same surface (area) and volume; the stops are reported as concave corners', () => {
    const b0 = boundaryOf(m);
    const b = boundaryOf(r.m);
    expect(b.overUsed + b.bare + b.inner).toBe(0);
    expect(Math.abs(b.skinArea - b0.skinArea) / b0.skinArea).toBeLessThan(1e-4);
    expect(Math.abs(meshVolume(r.m) / meshVolume(m) - 1)).toBeLessThan(1e-5);
    const g = r.layers[0];
    expect(g.stopped).toBeGreaterThan(0);
    expect(g.spots.some((s) => /concave corner against a face without layers/.test(s.reason))).toBe(true);
    expect(r.m.counts.pyramids).toBeGreaterThan(0); // stopped nodes collapse prisms to pyramids
    for (const t of Object.values(gmshInverted(r.out))) expect(t.inverted).toBe(0);
  });
});

describe('an assembly: layers on an interface grow into both bodies; beside one they cannot slide', async () => {
  const tets = await attemptMesh(demoPart('assembly.step'), 'assembly', { sizing: { sizeMax: 12 } });
  const m = readMshFile(tets);

  // the interfaces' triangles (faces 15 and 17) lie between two bodies: surface elements inside, before and after
  const b0 = boundaryOf(m);

  it('Interface_1_2 (face 17): prisms on both sides, conformal', () => {
    const r = inflate(tets, layers([17], 2, 0.2, 1.2));
    expect(r.m.counts.prisms).toBe(2 * 2 * triangleCount(m, [17]));
    expect(new Set(r.m.prismEntities)).toEqual(new Set([1, 2]));
    const b = boundaryOf(r.m);
    expect(b.overUsed + b.bare).toBe(0);
    expect(b.inner).toBe(b0.inner);
    expect(r.layers[0].stopped).toBe(0);
    for (const t of Object.values(gmshInverted(r.out))) expect(t.inverted).toBe(0);
  });

  it('the top of body 1 (face 21) stops where it meets the interface, and says why', () => {
    const r = inflate(tets, layers([21], 2, 0.2, 1.2));
    const g = r.layers[0];
    expect(g.stopped).toBeGreaterThan(0);
    expect(g.spots.some((s) => /interface between bodies/.test(s.reason) && s.at[0] === 40)).toBe(true);
    const b = boundaryOf(r.m);
    expect(b.overUsed + b.bare).toBe(0);
    expect(b.inner).toBe(b0.inner);
    expect(Math.abs(b.skinArea - b0.skinArea)).toBeLessThan(1e-6);
  });
});
