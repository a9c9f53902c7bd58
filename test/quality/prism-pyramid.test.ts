// Prism and pyramid quality as Gmsh defines it: closed forms by hand, then element by element against Gmsh's own
// Plugin(AnalyseMeshQuality) on a real layered mesh; and how layer elements enter the report and the score.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inflateMesh } from '../../src/layers/inflate';
import { readMshFile } from '../../src/mesh/msh-reader';
import { isAcceptable, measureTets, scoreOf, summarize } from '../../src/quality/kernel';
import { measurePrisms, measurePyramids } from '../../src/quality/prism-pyramid';
import { demoPart } from '../helpers/paths';
import { gmshIcn } from '../mesh/gmsh-fixtures';
import { attemptMesh, layerDir } from '../layers/fixtures';

const P = (...xyz: number[][]) => new Float64Array(xyz.flat());
const S3 = Math.sqrt(3);
/** Equilateral bottom triangle of side 1 at z = 0, top at z = h (Gmsh order: 0 1 2 bottom, 3 4 5 above them). */
const prism = (h: number) => P([0, 0, 0], [1, 0, 0], [0.5, S3 / 2, 0], [0, 0, h], [1, 0, h], [0.5, S3 / 2, h]);
/** Unit square base, apex above its centre at height t/√2 (t = 1: every edge 1). */
const pyramid = (t: number) => P([0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0.5, 0.5, t / Math.SQRT2]);
const icnOf = (det: number, f2: number) => (3 * Math.cbrt(det) ** 2) / f2;

describe('prism quality by hand', () => {
  it('the ideal prism (height = side) has ICN 1 and gamma 1', () => {
    const q = measurePrisms(prism(1), Uint32Array.of(0, 1, 2, 3, 4, 5));
    expect(q.sicn[0]).toBeCloseTo(1, 14);
    expect(q.gamma[0]).toBeCloseTo(1, 14);
  });

  it('a thin right prism: ICN 3h^(2/3)/(2 + h²), low by design, gamma still 1', () => {
    const h = 0.02;
    const q = measurePrisms(prism(h), Uint32Array.of(0, 1, 2, 3, 4, 5));
    expect(q.sicn[0]).toBeCloseTo(icnOf(h, 2 + h * h), 14);
    expect(q.sicn[0]).toBeCloseTo(0.1105, 4);
    expect(q.gamma[0]).toBeCloseTo(1, 14);
  });

  it('a prism listed top first is inverted: negative ICN, gamma 0', () => {
    const q = measurePrisms(prism(0.5), Uint32Array.of(3, 4, 5, 0, 1, 2));
    expect(q.sicn[0]).toBeLessThan(0);
    expect(q.gamma[0]).toBe(0);
  });

  it('a sheared prism: gamma is the least normalised corner Jacobian', () => {
    // top shifted by s along x: corner 0's edges (1,0,0), (1/2, √3/2, 0), (s, 0, 1)
    const s = 1;
    const X = P([0, 0, 0], [1, 0, 0], [0.5, S3 / 2, 0], [s, 0, 1], [1 + s, 0, 1], [0.5 + s, S3 / 2, 1]);
    const q = measurePrisms(X, Uint32Array.of(0, 1, 2, 3, 4, 5));
    // |e1·(e2×e3)| = √3/2 · 1 at every corner; the longest vertical edges are √2: 2/√3 · (√3/2) / (1·1·√2)
    expect(q.gamma[0]).toBeCloseTo(1 / Math.SQRT2, 14);
  });
});

describe('pyramid quality by hand', () => {
  it('every edge 1: ICN 1; flattened: 3t^(2/3)/(2 + t²); apex below the base: inverted', () => {
    expect(measurePyramids(pyramid(1), Uint32Array.of(0, 1, 2, 3, 4))[0]).toBeCloseTo(1, 14);
    const t = 0.1;
    expect(measurePyramids(pyramid(t), Uint32Array.of(0, 1, 2, 3, 4))[0]).toBeCloseTo(icnOf(t, 2 + t * t), 14);
    expect(measurePyramids(pyramid(-0.5), Uint32Array.of(0, 1, 2, 3, 4))[0]).toBeLessThan(0);
  });
});

describe('prisms, pyramids and layer tetrahedra against Gmsh AnalyseMeshQuality (ICNMeasure)', async () => {
  // every face of the bracket: stops at sharp corners make pyramids and tetrahedra inside the layers too
  const tets = await attemptMesh(demoPart('bracket.step'), 'bracket-all', { sizing: { sizeMax: 12 } });
  const faces = [...new Set(readMshFile(tets).triangleEntities)];
  const out = join(layerDir(), 'bracket-all.msh');
  inflateMesh(tets, out, { groups: [{ target: 'all', faces, count: 3, first: 0.1, growth: 1.3 }], minSicn: 0.1 }, 1);
  const m = readMshFile(out);

  it('element by element, |ours - Gmsh| < 1e-9', () => {
    expect(m.counts.prisms).toBeGreaterThan(1000);
    expect(m.counts.pyramids).toBeGreaterThan(10);
    const g = gmshIcn(out);
    const byTag = new Map<number, number>();
    const prisms = measurePrisms(m.nodes, m.prisms).sicn;
    const pyramids = measurePyramids(m.nodes, m.pyramids);
    const tetSicn = measureTets(m.nodes, m.tets).sicn;
    m.prismTags.forEach((t, i) => byTag.set(t, prisms[i]));
    m.pyramidTags.forEach((t, i) => byTag.set(t, pyramids[i]));
    m.tetTags.forEach((t, i) => byTag.set(t, tetSicn[i]));
    expect(g.tags.length).toBe(m.counts.tetrahedra + m.counts.prisms + m.counts.pyramids);
    let worst = 0;
    g.tags.forEach((tag, k) => (worst = Math.max(worst, Math.abs(byTag.get(tag)! - g.icn[k]))));
    expect(worst).toBeLessThan(1e-9);
  });
});

describe('layer elements in the report and the score', () => {
  // two tets: a good one, and a flat one inside the layers
  const X = P([0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0.01]);
  const tets = measureTets(X, Uint32Array.of(0, 1, 2, 3, 0, 1, 2, 4));
  const goodPrism = measurePrisms(prism(0.02), Uint32Array.of(0, 1, 2, 3, 4, 5));
  const layers = (p = goodPrism) => ({ prisms: p, pyramids: new Float64Array(0), layerTet: Uint8Array.of(0, 1) });

  it('tetrahedra inside the layers are reported with them, not held to the SICN target', () => {
    const q = summarize(tets, { cornerNodesOnly: false, layers: layers() });
    expect(q.elements).toBe(1);
    expect(q.sicn.min).toBeGreaterThan(0.8);
    expect(q.layers!.tetrahedra.elements).toBe(1);
    expect(q.layers!.tetrahedra.sicn.min).toBeLessThan(0.1);
    expect(q.layers!.prisms.sicn.min).toBeCloseTo(0.1105, 4);
    expect(isAcceptable(q, { minSicn: 0.1 })).toBe(true);
    expect(scoreOf(q)).not.toBeNull();
  });

  it('an inverted prism disqualifies the mesh like an inverted tet', () => {
    const flipped = measurePrisms(prism(0.5), Uint32Array.of(3, 4, 5, 0, 1, 2));
    const q = summarize(tets, { cornerNodesOnly: false, layers: layers(flipped) });
    expect(q.layers!.prisms.inverted).toBe(1);
    expect(q.inverted).toBe(1);
    expect(scoreOf(q)).toBeNull();
    expect(isAcceptable(q, { minSicn: 0.1 })).toBe(false);
  });
});
