// Tetrahedron quality kernel (docs/architecture.md, "Quality and the score"). One pass over the tets, scalar locals only, results in typed arrays.
// Quadratic tets are measured on their corner nodes (the caller passes corner indices and says so in summarize());
// their curved shape is judged by the scaled Jacobian (curved.ts), which summarize() folds into `inverted`.
import type { Histogram, LayerElementsQuality, MetricStats, QualityReport } from '../contract/job';
import type { PrismMetrics } from './prism-pyramid';

export interface TetMetrics {
  sicn: Float64Array;
  gamma: Float64Array;
  aspectRatio: Float64Array;
  minDihedralDeg: Float64Array;
  skewness: Float64Array;
}

/**
 * Aspect ratio is unbounded for degenerate tets; we store this finite cap instead of Infinity so reports stay valid
 * JSON and averages stay meaningful. Inverted or flat tets (V <= 0) get the worst value of every metric:
 * gamma 0, aspect ratio ASPECT_CAP, minimum dihedral 0°, skewness 1 (SICN keeps its own sign, <= 0).
 */
export const ASPECT_CAP = 1e6;

const SQRT6x2 = 2 * Math.sqrt(6);
/** V_ideal = 8 R³ / (9 √3): volume of the regular tet inscribed in a sphere of radius R. */
const VIDEAL_COEF = 8 / (9 * Math.sqrt(3));
const RAD2DEG = 180 / Math.PI;

/** Tets per call of measureRange: many short calls get the loop optimized early in the first (cold) run. */
const CHUNK = 512;

export function measureTets(nodes: Float64Array, tets: Uint32Array): TetMetrics {
  const n = (tets.length / 4) | 0;
  const m: TetMetrics = {
    sicn: new Float64Array(n),
    gamma: new Float64Array(n),
    aspectRatio: new Float64Array(n),
    minDihedralDeg: new Float64Array(n),
    skewness: new Float64Array(n),
  };
  for (let s = 0; s < n; s += CHUNK)
    measureRange(nodes, tets, s, Math.min(n, s + CHUNK), m.sicn, m.gamma, m.aspectRatio, m.minDihedralDeg, m.skewness);
  return m;
}

function measureRange(
  P: Float64Array,
  tets: Uint32Array,
  start: number,
  end: number,
  sicn: Float64Array,
  gamma: Float64Array,
  aspectRatio: Float64Array,
  minDihedralDeg: Float64Array,
  skewness: Float64Array,
): void {
  for (let t = start; t < end; t++) {
    const a = 3 * tets[4 * t],
      b = 3 * tets[4 * t + 1],
      c = 3 * tets[4 * t + 2],
      d = 3 * tets[4 * t + 3];
    const x0 = P[a],
      y0 = P[a + 1],
      z0 = P[a + 2];
    // edges from node 0 and the opposite edges
    const e1x = P[b] - x0,
      e1y = P[b + 1] - y0,
      e1z = P[b + 2] - z0;
    const e2x = P[c] - x0,
      e2y = P[c + 1] - y0,
      e2z = P[c + 2] - z0;
    const e3x = P[d] - x0,
      e3y = P[d + 1] - y0,
      e3z = P[d + 2] - z0;
    const e4x = e2x - e1x,
      e4y = e2y - e1y,
      e4z = e2z - e1z; // 1 -> 2
    const e5x = e3x - e1x,
      e5y = e3y - e1y,
      e5z = e3z - e1z; // 1 -> 3
    const e6x = e3x - e2x,
      e6y = e3y - e2y,
      e6z = e3z - e2z; // 2 -> 3
    const l1 = e1x * e1x + e1y * e1y + e1z * e1z;
    const l2 = e2x * e2x + e2y * e2y + e2z * e2z;
    const l3 = e3x * e3x + e3y * e3y + e3z * e3z;
    const l4 = e4x * e4x + e4y * e4y + e4z * e4z;
    const l5 = e5x * e5x + e5y * e5y + e5z * e5z;
    const l6 = e6x * e6x + e6y * e6y + e6z * e6z;
    const sumL2 = l1 + l2 + l3 + l4 + l5 + l6;
    // Face area vectors, outward for a positively oriented tet (Gmsh's orientation):
    // N0 = e4 x e5 (face 1 2 3), N1 = e3 x e2 (face 0 3 2), N2 = e1 x e3 (face 0 1 3), N3 = e2 x e1 (face 0 2 1).
    const n0x = e4y * e5z - e4z * e5y,
      n0y = e4z * e5x - e4x * e5z,
      n0z = e4x * e5y - e4y * e5x;
    const n1x = e3y * e2z - e3z * e2y,
      n1y = e3z * e2x - e3x * e2z,
      n1z = e3x * e2y - e3y * e2x;
    const n2x = e1y * e3z - e1z * e3y,
      n2y = e1z * e3x - e1x * e3z,
      n2z = e1x * e3y - e1y * e3x;
    const n3x = e2y * e1z - e2z * e1y,
      n3y = e2z * e1x - e2x * e1z,
      n3z = e2x * e1y - e2y * e1x;
    const det = -(e1x * n1x + e1y * n1y + e1z * n1z); // e1 . (e2 x e3) = 6 V
    const absV = Math.abs(det) / 6;
    const cv = Math.cbrt(3 * absV);
    const s = sumL2 > 0 ? (12 * cv * cv) / sumL2 : 0;
    sicn[t] = det > 0 ? s : det < 0 ? -s : 0;
    if (!(det > 0)) {
      gamma[t] = 0;
      aspectRatio[t] = ASPECT_CAP;
      minDihedralDeg[t] = 0;
      skewness[t] = 1;
      continue;
    }
    const A0 = Math.sqrt(n0x * n0x + n0y * n0y + n0z * n0z);
    const A1 = Math.sqrt(n1x * n1x + n1y * n1y + n1z * n1z);
    const A2 = Math.sqrt(n2x * n2x + n2y * n2y + n2z * n2z);
    const A3 = Math.sqrt(n3x * n3x + n3y * n3y + n3z * n3z);
    // inradius r = 3V / (sum of face areas) = det / (sum |N|)
    const r = det / (A0 + A1 + A2 + A3);
    // circumcentre offset from node 0: (l1 (e2 x e3) + l2 (e3 x e1) + l3 (e1 x e2)) / (2 det)
    const ccx = -(l1 * n1x + l2 * n2x + l3 * n3x) / (2 * det);
    const ccy = -(l1 * n1y + l2 * n2y + l3 * n3y) / (2 * det);
    const ccz = -(l1 * n1z + l2 * n2z + l3 * n3z) / (2 * det);
    const R = Math.sqrt(ccx * ccx + ccy * ccy + ccz * ccz);
    gamma[t] = (3 * r) / R;
    let lmax = l1;
    if (l2 > lmax) lmax = l2;
    if (l3 > lmax) lmax = l3;
    if (l4 > lmax) lmax = l4;
    if (l5 > lmax) lmax = l5;
    if (l6 > lmax) lmax = l6;
    const ar = Math.sqrt(lmax) / (SQRT6x2 * r);
    aspectRatio[t] = ar < ASPECT_CAP ? ar : ASPECT_CAP;
    // Interior dihedral angle between faces k and l: cos = -N_k.N_l / (|N_k||N_l|); the smallest angle has the largest cos.
    let cmax = -(n0x * n1x + n0y * n1y + n0z * n1z) / (A0 * A1);
    let cc = -(n0x * n2x + n0y * n2y + n0z * n2z) / (A0 * A2);
    if (cc > cmax) cmax = cc;
    cc = -(n0x * n3x + n0y * n3y + n0z * n3z) / (A0 * A3);
    if (cc > cmax) cmax = cc;
    cc = -(n1x * n2x + n1y * n2y + n1z * n2z) / (A1 * A2);
    if (cc > cmax) cmax = cc;
    cc = -(n1x * n3x + n1y * n3y + n1z * n3z) / (A1 * A3);
    if (cc > cmax) cmax = cc;
    cc = -(n2x * n3x + n2y * n3y + n2z * n3z) / (A2 * A3);
    if (cc > cmax) cmax = cc;
    minDihedralDeg[t] = Math.acos(cmax > 1 ? 1 : cmax) * RAD2DEG;
    const vIdeal = VIDEAL_COEF * R * R * R;
    const sk = (vIdeal - absV) / vIdeal;
    skewness[t] = sk < 0 ? 0 : sk > 1 ? 1 : sk;
  }
}

// ---- summaries ----
// Fixed histogram bins, so two runs (local / Modal, two strategies) are directly comparable:
//  - sicn, gamma: 20 bins over [0, 1]; values <= 0 (inverted or flat) land in the first bin.
//  - skewness: 20 bins over [0, 1].
//  - aspect ratio: 15 bins with edges 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 7.5, 10, 20, 50, 100, ASPECT_CAP;
//    values beyond the last edge (none, thanks to the cap) or below 1 (rounding) are clamped into the end bins.
//  - minimum dihedral angle: 18 bins of 5° over [0°, 90°] (the regular tet has 70.53°; a tet's minimum never exceeds it).
const UNIT_EDGES = Array.from({ length: 21 }, (_, i) => i / 20);
const ASPECT_EDGES = [1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 7.5, 10, 20, 50, 100, ASPECT_CAP];
const DIHEDRAL_EDGES = Array.from({ length: 19 }, (_, i) => i * 5);

/**
 * One pass over values[start, end): min, max and sum into acc[0..2], histogram counts into `counts`.
 * Values below the first edge (or NaN) go to the first bin, values at or above the last edge to the last one.
 */
function scanRange(
  values: Float64Array,
  start: number,
  end: number,
  edges: Float64Array,
  uniform: boolean,
  counts: Int32Array,
  acc: Float64Array,
): void {
  const bins = edges.length - 1;
  const lo = edges[0];
  const scale = bins / (edges[bins] - lo);
  let min = acc[0];
  let max = acc[1];
  let sum = acc[2];
  for (let i = start; i < end; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    let k: number;
    if (uniform) k = Math.floor((v - lo) * scale);
    else {
      k = 0;
      while (k < bins - 1 && v >= edges[k + 1]) k++;
    }
    if (!(k >= 0)) k = 0;
    if (k >= bins) k = bins - 1;
    counts[k]++;
  }
  acc[0] = min;
  acc[1] = max;
  acc[2] = sum;
}

/** k-th smallest (0-based) of a scratch copy; Hoare-style selection, O(n) on average. */
function select(a: Float64Array, k: number): number {
  let l = 0;
  let m = a.length - 1;
  while (l < m) {
    // median of three as the pivot value; it is an element of [l, m], so the scans stay in range
    const x0 = a[l],
      x1 = a[k],
      x2 = a[m];
    const x = x0 < x1 ? (x1 < x2 ? x1 : x0 < x2 ? x2 : x0) : x0 < x2 ? x0 : x1 < x2 ? x2 : x1;
    let i = l;
    let j = m;
    do {
      while (a[i] < x) i++;
      while (x < a[j]) j--;
      if (i <= j) {
        const tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) l = i;
    if (k < i) m = j;
  }
  return a[k];
}

/** 10th percentile, nearest-rank definition: the ceil(0.1 n)-th smallest value (an actual element, no interpolation). */
export function percentile10(values: Float64Array, scratch?: Float64Array): number {
  const n = values.length;
  if (n === 0) return 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return kthSmallest(
    values,
    Math.max(0, Math.ceil(0.1 * n) - 1),
    min,
    max,
    scratch && scratch.length >= n ? scratch : new Float64Array(n),
  );
}

const SELECT_BINS = 4096;
const binCounts = new Int32Array(SELECT_BINS);

/**
 * Exact k-th smallest of `values` (min and max given) without sorting: count values into fine bins, keep only the
 * bin holding rank k (copied into `scratch`), and repeat on that much smaller set; small sets finish with select().
 */
function kthSmallest(values: Float64Array, k: number, min: number, max: number, scratch: Float64Array): number {
  let src = values;
  let len = values.length;
  for (;;) {
    if (!(max > min)) return min;
    if (len <= 2048) {
      if (src !== scratch) scratch.set(src.subarray(0, len));
      return select(scratch.subarray(0, len), k);
    }
    const scale = SELECT_BINS / (max - min);
    const counts = binCounts;
    counts.fill(0);
    for (let i = 0; i < len; i++) {
      let b = ((src[i] - min) * scale) | 0;
      if (b >= SELECT_BINS) b = SELECT_BINS - 1;
      counts[b]++;
    }
    let bin = 0;
    let below = 0;
    while (below + counts[bin] <= k) below += counts[bin++];
    // gather that bin (in place when src is already the scratch: writes never overtake reads)
    let m = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < len; i++) {
      const v = src[i];
      let b = ((v - min) * scale) | 0;
      if (b >= SELECT_BINS) b = SELECT_BINS - 1;
      if (b === bin) {
        scratch[m++] = v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    src = scratch;
    len = m;
    k -= below;
    min = lo;
    max = hi;
  }
}

function stats(values: Float64Array, edges: number[], scratch: Float64Array): MetricStats {
  const n = values.length;
  const bins = edges.length - 1;
  const step = (edges[bins] - edges[0]) / bins;
  const uniform = edges.every((e, i) => i === 0 || Math.abs(e - edges[i - 1] - step) < 1e-12 * step);
  const counts = new Int32Array(bins);
  const acc = new Float64Array([Infinity, -Infinity, 0]);
  const e64 = Float64Array.from(edges);
  for (let s = 0; s < n; s += STATS_CHUNK)
    scanRange(values, s, Math.min(n, s + STATS_CHUNK), e64, uniform, counts, acc);
  const histogram: Histogram = { edges: edges.slice(), counts: Array.from(counts) };
  if (n === 0) return { min: 0, avg: 0, max: 0, p10: 0, histogram };
  const [min, max, sum] = acc;
  const p10 = kthSmallest(values, Math.max(0, Math.ceil(0.1 * n) - 1), min, max, scratch);
  return { min, avg: sum / n, max, p10, histogram };
}

/** Values per scanRange call (short calls get optimized early, as in measureTets). */
const STATS_CHUNK = 4096;

export interface CurvedInput {
  /** min det J / max det J per quadratic tet (see curved.ts). */
  scaledJacobian: Float64Array;
  /** Index in the tet arrays of each quadratic tet. */
  tetIndex: Uint32Array;
}

/** A mesh's boundary-layer elements, measured: judged apart from the tetrahedra (see LayerElementsQuality). */
export interface LayerMetrics {
  prisms: PrismMetrics;
  /** Signed ICN per pyramid. */
  pyramids: Float64Array;
  /** 1 for each tetrahedron inside the layers (where a layer stops), 0 for the others. */
  layerTet: Uint8Array;
}

/** The values of `a` where mask[i] === want, in order. */
function pick(a: Float64Array, mask: Uint8Array, want: number): Float64Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === want) n++;
  const out = new Float64Array(n);
  for (let i = 0, o = 0; i < mask.length; i++) if (mask[i] === want) out[o++] = a[i];
  return out;
}

function countInverted(sicn: Float64Array): number {
  let k = 0;
  for (let i = 0; i < sicn.length; i++) if (!(sicn[i] > 0)) k++;
  return k;
}

function layerStats(sicn: Float64Array, gamma: Float64Array | null, scratch: Float64Array): LayerElementsQuality {
  return {
    elements: sicn.length,
    sicn: stats(sicn, UNIT_EDGES, scratch),
    ...(gamma ? { gamma: stats(gamma, UNIT_EDGES, scratch) } : {}),
    inverted: countInverted(sicn),
  };
}

export function summarize(
  all: TetMetrics,
  opts: { cornerNodesOnly: boolean; curved?: CurvedInput; layers?: LayerMetrics },
): QualityReport {
  const L = opts.layers;
  // With layers, the tetrahedra inside them are reported with the layers; the rest are the mesh's "elements".
  const hasLayerTets = !!L && L.layerTet.some((x) => x === 1);
  const m: TetMetrics = hasLayerTets
    ? {
        sicn: pick(all.sicn, L.layerTet, 0),
        gamma: pick(all.gamma, L.layerTet, 0),
        aspectRatio: pick(all.aspectRatio, L.layerTet, 0),
        minDihedralDeg: pick(all.minDihedralDeg, L.layerTet, 0),
        skewness: pick(all.skewness, L.layerTet, 0),
      }
    : all;
  const n = m.sicn.length;
  const scratch = new Float64Array(
    Math.max(
      all.sicn.length,
      opts.curved?.scaledJacobian.length ?? 0,
      L?.prisms.sicn.length ?? 0,
      L?.pyramids.length ?? 0,
    ),
  );
  const bad = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (!(m.sicn[i] > 0)) bad[i] = 1;
  let invertedCurved = 0;
  if (opts.curved) {
    const { scaledJacobian: sj, tetIndex } = opts.curved;
    for (let q = 0; q < sj.length; q++)
      if (!(sj[q] > 0)) {
        invertedCurved++;
        bad[tetIndex[q]] = 1; // a folded curved element is inverted, whatever its corners say
      }
  }
  let inverted = 0;
  for (let i = 0; i < n; i++) inverted += bad[i];
  const curved = opts.curved
    ? { scaledJacobian: stats(opts.curved.scaledJacobian, UNIT_EDGES, scratch), invertedCurved }
    : {};
  let layers: QualityReport['layers'];
  if (L) {
    layers = {
      prisms: layerStats(L.prisms.sicn, L.prisms.gamma, scratch),
      pyramids: layerStats(L.pyramids, null, scratch),
      tetrahedra: hasLayerTets
        ? layerStats(pick(all.sicn, L.layerTet, 1), pick(all.gamma, L.layerTet, 1), scratch)
        : layerStats(new Float64Array(0), new Float64Array(0), scratch),
    };
    inverted += layers.prisms.inverted + layers.pyramids.inverted + layers.tetrahedra.inverted;
  }
  return {
    ...curved,
    ...(layers ? { layers } : {}),
    elements: n,
    cornerNodesOnly: opts.cornerNodesOnly,
    sicn: stats(m.sicn, UNIT_EDGES, scratch),
    gamma: stats(m.gamma, UNIT_EDGES, scratch),
    aspectRatio: stats(m.aspectRatio, ASPECT_EDGES, scratch),
    minDihedralDeg: stats(m.minDihedralDeg, DIHEDRAL_EDGES, scratch),
    skewness: stats(m.skewness, UNIT_EDGES, scratch),
    inverted,
  };
}

/**
 * The attempt's score (docs/architecture.md), lower is better; null when an element is inverted (the attempt is
 * disqualified) or there are none. Its SICN terms are the tetrahedra's: layer elements count only through `inverted`.
 */
export function scoreOf(q: QualityReport): number | null {
  if (q.inverted > 0 || q.elements <= 0) return null;
  const penalty = q.sicn.min < 0.2 ? 20 : q.sicn.min < 0.3 ? 10 : 0;
  return (1 - q.sicn.avg) * 100 + penalty + 2 * Math.log10(q.elements);
}

/** The `first-acceptable` test: no inverted element (layers included) and the tetrahedra's sicn.min >= minSicn. */
export function isAcceptable(q: QualityReport, targets: { minSicn: number }): boolean {
  return q.elements > 0 && q.inverted === 0 && q.sicn.min >= targets.minSicn;
}
