// Scaled Jacobian of quadratic (10-node, curved) tetrahedra: min(det J) / max(det J) over the element, the measure
// Gmsh reports as "distortion" and its AnalyseMeshQuality plugin as "minJ/maxJ".
//
// det J of a 10-node tet is a cubic polynomial; Gmsh samples it at the 20 points of the order-3 lattice of the
// reference tet (its Jacobian basis for this element), and so do we, with the same node ordering. A straight-sided
// tet scores 1; det J <= 0 anywhere means the curved element folds over itself: it is inverted even when its corner
// tet is fine, and an attempt holding one is disqualified like one with an inverted linear tet.

/** Gmsh's mid-edge nodes 4..9 of a 10-node tet sit on these corner pairs. */
const EDGES: readonly [number, number][] = [
  [0, 1],
  [1, 2],
  [0, 2],
  [0, 3],
  [2, 3],
  [1, 3],
];

/** The 20 sampling points (u, v, w) of the order-3 lattice: i/3, j/3, k/3 with i + j + k <= 3. */
const SAMPLE_POINTS: readonly [number, number, number][] = (() => {
  const pts: [number, number, number][] = [];
  for (let i = 0; i <= 3; i++)
    for (let j = 0; j <= 3 - i; j++) for (let k = 0; k <= 3 - i - j; k++) pts.push([i / 3, j / 3, k / 3]);
  return pts;
})();

const NP = SAMPLE_POINTS.length;

/**
 * Shape-function gradients at each sampling point, flattened: G[(p * 10 + node) * 3 + d] = dN_node/d(u,v,w)_d.
 * Barycentrics l0 = 1-u-v-w, l1 = u, l2 = v, l3 = w; corner N_i = l_i (2 l_i - 1), mid-edge N_ij = 4 l_i l_j.
 */
const GRAD: Float64Array = (() => {
  const dl = [
    [-1, -1, -1],
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  const g = new Float64Array(NP * 10 * 3);
  SAMPLE_POINTS.forEach(([u, v, w], p) => {
    const l = [1 - u - v - w, u, v, w];
    for (let i = 0; i < 4; i++) for (let d = 0; d < 3; d++) g[(p * 10 + i) * 3 + d] = (4 * l[i] - 1) * dl[i][d];
    EDGES.forEach(([a, b], e) => {
      for (let d = 0; d < 3; d++) g[(p * 10 + 4 + e) * 3 + d] = 4 * (l[a] * dl[b][d] + l[b] * dl[a][d]);
    });
  });
  return g;
})();

export interface CurvedMetrics {
  /** min det J / max det J per quadratic tet; -1 when det J is nowhere positive. */
  scaledJacobian: Float64Array;
  /** Quadratic tets with det J <= 0 at some sampling point. */
  inverted: number;
}

/** `quadTets`: 10 node indices per tet (Gmsh order) into `nodes` (xyz per node). */
export function measureQuadTets(nodes: Float64Array, quadTets: Uint32Array): CurvedMetrics {
  const n = (quadTets.length / 10) | 0;
  const out = new Float64Array(n);
  const x = new Float64Array(30);
  let inverted = 0;
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < 10; i++) {
      const k = 3 * quadTets[10 * t + i];
      x[3 * i] = nodes[k];
      x[3 * i + 1] = nodes[k + 1];
      x[3 * i + 2] = nodes[k + 2];
    }
    let min = Infinity;
    let max = -Infinity;
    for (let p = 0; p < NP; p++) {
      // columns of J: dX/du, dX/dv, dX/dw
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        b0 = 0,
        b1 = 0,
        b2 = 0,
        c0 = 0,
        c1 = 0,
        c2 = 0;
      for (let i = 0; i < 10; i++) {
        const o = (p * 10 + i) * 3;
        const gu = GRAD[o],
          gv = GRAD[o + 1],
          gw = GRAD[o + 2];
        const px = x[3 * i],
          py = x[3 * i + 1],
          pz = x[3 * i + 2];
        a0 += gu * px;
        a1 += gu * py;
        a2 += gu * pz;
        b0 += gv * px;
        b1 += gv * py;
        b2 += gv * pz;
        c0 += gw * px;
        c1 += gw * py;
        c2 += gw * pz;
      }
      const det = a0 * (b1 * c2 - b2 * c1) - a1 * (b0 * c2 - b2 * c0) + a2 * (b0 * c1 - b1 * c0);
      if (det < min) min = det;
      if (det > max) max = det;
    }
    if (!(min > 0)) inverted++;
    out[t] = max > 0 ? min / max : -1;
  }
  return { scaledJacobian: out, inverted };
}
