// The quality kernel on tetrahedra whose metrics are known by hand.
import { describe, expect, it } from 'vitest';
import { ASPECT_CAP, isAcceptable, measureTets, percentile10, scoreOf, summarize } from '../../src/quality/kernel';

const nodes = (...xyz: number[][]) => new Float64Array(xyz.flat());
const one = (n: Float64Array, t: number[]) => {
  const m = measureTets(n, new Uint32Array(t));
  return {
    sicn: m.sicn[0],
    gamma: m.gamma[0],
    aspect: m.aspectRatio[0],
    dihedral: m.minDihedralDeg[0],
    skew: m.skewness[0],
  };
};

// Regular tet on alternate cube corners, listed in Gmsh's positive orientation.
const regular = nodes([1, 1, 1], [-1, 1, -1], [1, -1, -1], [-1, -1, 1]);
// The unit corner tet: edges 1, 1, 1, √2, √2, √2.
const corner = nodes([0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]);

describe('measureTets on hand-computed tetrahedra', () => {
  it('regular tet: sicn = gamma = aspect ratio = 1, dihedral 70.5288°, skewness 0', () => {
    const q = one(regular, [0, 1, 2, 3]);
    expect(q.sicn).toBeCloseTo(1, 12);
    expect(q.gamma).toBeCloseTo(1, 12);
    expect(q.aspect).toBeCloseTo(1, 12);
    expect(q.dihedral).toBeCloseTo((Math.acos(1 / 3) * 180) / Math.PI, 10);
    expect(q.dihedral).toBeCloseTo(70.5288, 4);
    expect(q.skew).toBeCloseTo(0, 12);
  });

  it('unit corner tet: values worked out by hand', () => {
    const q = one(corner, [0, 1, 2, 3]);
    // V = 1/6, Σl² = 3·1 + 3·2 = 9: sicn = 12·(1/2)^(2/3) / 9
    expect(q.sicn).toBeCloseTo((12 * Math.pow(0.5, 2 / 3)) / 9, 14);
    expect(q.sicn).toBeCloseTo(0.839947, 6);
    // r = 3V / area = 0.5 / (3/2 + √3/2), R = √3/2  =>  gamma = 3r/R = √3 − 1
    expect(q.gamma).toBeCloseTo(Math.sqrt(3) - 1, 14);
    // l_max / (2√6 r) = √2 (3/2 + √3/2) / √6 = (1 + √3) / 2
    expect(q.aspect).toBeCloseTo((1 + Math.sqrt(3)) / 2, 14);
    // three right angles at the axis edges, acos(1/√3) = 54.7356° at the slanted face
    expect(q.dihedral).toBeCloseTo((Math.acos(1 / Math.sqrt(3)) * 180) / Math.PI, 10);
    // V_ideal for R = √3/2 is 8R³/(9√3) = 1/3, so skew = (1/3 − 1/6) / (1/3) = 1/2
    expect(q.skew).toBeCloseTo(0.5, 14);
  });

  it('sicn does not depend on scale or position', () => {
    const moved = corner.map((v, i) => v * 1e-3 + (i % 3) * 1e4);
    expect(one(moved, [0, 1, 2, 3]).sicn).toBeCloseTo(one(corner, [0, 1, 2, 3]).sicn, 9);
  });

  it('inverted tet (two nodes swapped): negative sicn and the worst value of every other metric', () => {
    const q = one(corner, [0, 2, 1, 3]);
    expect(q.sicn).toBeCloseTo(-((12 * Math.pow(0.5, 2 / 3)) / 9), 14);
    expect(q).toMatchObject({ gamma: 0, aspect: ASPECT_CAP, dihedral: 0, skew: 1 });
    expect(one(regular, [1, 0, 2, 3]).sicn).toBeCloseTo(-1, 12);
  });

  it('flat tet (four coplanar nodes): sicn 0, counted as inverted', () => {
    const flat = nodes([0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]);
    const q = one(flat, [0, 1, 2, 3]);
    expect(q.sicn).toBe(0);
    expect(q).toMatchObject({ gamma: 0, aspect: ASPECT_CAP, dihedral: 0, skew: 1 });
    const report = summarize(measureTets(flat, new Uint32Array([0, 1, 2, 3])), { cornerNodesOnly: false });
    expect(report.inverted).toBe(1);
  });

  it('a needle-thin but valid tet gets a finite capped aspect ratio and a tiny sicn', () => {
    const needle = nodes([0, 0, 0], [1, 0, 0], [0, 1e-9, 0], [0, 0, 1e-9]);
    const q = one(needle, [0, 1, 2, 3]);
    expect(q.sicn).toBeGreaterThan(0);
    expect(q.sicn).toBeLessThan(1e-5);
    expect(q.aspect).toBeLessThanOrEqual(ASPECT_CAP);
    expect(Number.isFinite(q.aspect)).toBe(true);
  });
});

describe('summarize, score and acceptance', () => {
  // three tets: regular, corner, inverted corner
  const all = new Float64Array([...regular, ...corner]);
  const good = new Uint32Array([0, 1, 2, 3, 4, 5, 6, 7]);
  const withInverted = new Uint32Array([0, 1, 2, 3, 4, 5, 6, 7, 4, 6, 5, 7]);
  const sicnCorner = (12 * Math.pow(0.5, 2 / 3)) / 9;

  it('stats: min, avg, max, p10 and fixed histograms', () => {
    const q = summarize(measureTets(all, good), { cornerNodesOnly: false });
    expect(q.elements).toBe(2);
    expect(q.inverted).toBe(0);
    expect(q.sicn.min).toBeCloseTo(sicnCorner, 14);
    expect(q.sicn.max).toBeCloseTo(1, 12);
    expect(q.sicn.avg).toBeCloseTo((1 + sicnCorner) / 2, 12);
    expect(q.sicn.p10).toBeCloseTo(sicnCorner, 14); // nearest rank: ceil(0.1·2) = 1st smallest
    expect(q.sicn.histogram.edges).toHaveLength(21);
    expect(q.sicn.histogram.counts[16]).toBe(1); // 0.84 in [0.80, 0.85)
    expect(q.sicn.histogram.counts[19]).toBe(1); // 1.0 in the last bin
    expect(q.minDihedralDeg.histogram.edges.at(-1)).toBe(90);
    expect(q.minDihedralDeg.histogram.counts[14]).toBe(1); // 70.5° in [70, 75)
    expect(q.minDihedralDeg.histogram.counts[10]).toBe(1); // 54.7° in [50, 55)
    expect(q.aspectRatio.histogram.counts[0]).toBe(1); // 1.0 in [1, 1.1)
    for (const k of ['sicn', 'gamma', 'aspectRatio', 'minDihedralDeg', 'skewness'] as const) {
      expect(q[k].histogram.counts.reduce((a, b) => a + b, 0)).toBe(2);
      expect(q[k].histogram.edges.length).toBe(q[k].histogram.counts.length + 1);
    }
  });

  it('score per the documented formula, and null (disqualified) with an inverted element', () => {
    const q = summarize(measureTets(all, good), { cornerNodesOnly: true });
    expect(q.cornerNodesOnly).toBe(true);
    const expected = (1 - (1 + sicnCorner) / 2) * 100 + 0 + 2 * Math.log10(2);
    expect(scoreOf(q)).toBeCloseTo(expected, 12);
    expect(isAcceptable(q, { minSicn: 0.1 })).toBe(true);
    expect(isAcceptable(q, { minSicn: 0.9 })).toBe(false);

    const bad = summarize(measureTets(all, withInverted), { cornerNodesOnly: false });
    expect(bad.inverted).toBe(1);
    expect(bad.sicn.min).toBeCloseTo(-sicnCorner, 14);
    expect(bad.sicn.histogram.counts[0]).toBe(1); // negatives land in the first bin
    expect(scoreOf(bad)).toBeNull();
    expect(isAcceptable(bad, { minSicn: -1 })).toBe(false);
  });

  it('score penalties: +20 below sicn 0.2, +10 below 0.3', () => {
    const base = summarize(measureTets(all, good), { cornerNodesOnly: false });
    const withMin = (min: number) => ({ ...base, sicn: { ...base.sicn, min } });
    const s0 = scoreOf(withMin(0.5))!;
    expect(scoreOf(withMin(0.25))! - s0).toBeCloseTo(10, 12);
    expect(scoreOf(withMin(0.1))! - s0).toBeCloseTo(20, 12);
  });

  it('p10 is the exact nearest-rank 10th percentile', () => {
    const v = Float64Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1
    expect(percentile10(v)).toBe(10);
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const n of [1, 2, 9, 10, 11, 1000, 12345]) {
      const a = Float64Array.from({ length: n }, () => Math.round(rnd() * 50) / 7);
      const sorted = Float64Array.from(a).sort();
      expect(percentile10(a)).toBe(sorted[Math.ceil(0.1 * n) - 1]);
    }
    // large sets go through the binned selection: heavy tails, ties, all-equal, negatives
    const heavy = Float64Array.from({ length: 50_000 }, (_, i) => (i % 97 === 0 ? ASPECT_CAP : 1 + rnd() * (i % 3)));
    const ties = Float64Array.from({ length: 30_000 }, (_, i) => (i % 10 === 3 ? -0.5 : 0.75));
    const flat = new Float64Array(10_000).fill(0.42);
    const spread = Float64Array.from({ length: 99_999 }, () => (rnd() - 0.3) * 1e-6 + 1e3 * Math.floor(rnd() * 3));
    for (const a of [heavy, ties, flat, spread]) {
      const sorted = Float64Array.from(a).sort();
      expect(percentile10(a)).toBe(sorted[Math.ceil(0.1 * a.length) - 1]);
    }
  });
});
