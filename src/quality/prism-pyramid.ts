// Quality of the prisms and pyramids boundary layers make, as Gmsh 4.8 defines it (docs/architecture.md, "Quality
// and the score"): the ICN of Plugin(AnalyseMeshQuality), 3·det(J)^(2/3)/‖J‖²_F with J the Jacobian of the map from
// the ideal element, at the corners (a linear prism's and pyramid's minimum lies there), signed by det J; and
// Gmsh's gamma for prisms (qmPrism::minNCJ). Gmsh's plugin ignores orientation; the sign here is what counts an
// element inverted (det J <= 0 at a corner), as SICN <= 0 does for a tet.

const INV_SQRT3 = 1 / Math.sqrt(3);
const SQRT2 = Math.sqrt(2);
const TWO_OVER_SQRT3 = 2 / Math.sqrt(3);

/** Signed ICN of the Jacobian whose columns are (a, b, c): 3·det^(2/3)/‖J‖²_F, with the sign of det. */
function icn(
  ax: number,
  ay: number,
  az: number,
  bx: number,
  by: number,
  bz: number,
  cx: number,
  cy: number,
  cz: number,
): number {
  const det = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
  const f2 = ax * ax + ay * ay + az * az + bx * bx + by * by + bz * bz + cx * cx + cy * cy + cz * cz;
  if (!(det !== 0) || !(f2 > 0)) return 0;
  const c = Math.cbrt(det); // odd root: keeps the sign
  return (3 * c * Math.abs(c)) / f2;
}

/** Prism (Gmsh order: bottom 0 1 2, top 3 4 5) corners: [a from, a to, b from, b to, c from, c to]. */
const PRISM_CORNERS = [
  [0, 1, 0, 2, 0, 3],
  [0, 1, 0, 2, 1, 4],
  [0, 1, 0, 2, 2, 5],
  [3, 4, 3, 5, 0, 3],
  [3, 4, 3, 5, 1, 4],
  [3, 4, 3, 5, 2, 5],
] as const;
/** Each prism corner's three edges (to these nodes), for gamma. */
const PRISM_EDGES = [
  [0, 1, 2, 3],
  [1, 0, 2, 4],
  [2, 0, 1, 5],
  [3, 0, 4, 5],
  [4, 1, 3, 5],
  [5, 2, 3, 4],
] as const;

/** Signed ICN of one prism whose six corners are packed in x (18 numbers): the minimum over its corners. */
export function prismSicn(x: Float64Array): number {
  let q = Infinity;
  for (const [a0, a1, b0, b1, c0, c1] of PRISM_CORNERS) {
    const ax = x[3 * a1] - x[3 * a0],
      ay = x[3 * a1 + 1] - x[3 * a0 + 1],
      az = x[3 * a1 + 2] - x[3 * a0 + 2];
    const bx = x[3 * b1] - x[3 * b0],
      by = x[3 * b1 + 1] - x[3 * b0 + 1],
      bz = x[3 * b1 + 2] - x[3 * b0 + 2];
    const v = icn(
      ax,
      ay,
      az,
      (2 * bx - ax) * INV_SQRT3,
      (2 * by - ay) * INV_SQRT3,
      (2 * bz - az) * INV_SQRT3,
      x[3 * c1] - x[3 * c0],
      x[3 * c1 + 1] - x[3 * c0 + 1],
      x[3 * c1 + 2] - x[3 * c0 + 2],
    );
    if (v < q) q = v;
  }
  return q;
}

export interface PrismMetrics {
  /** Signed ICN, minimum over the corners; <= 0: inverted or flat. */
  sicn: Float64Array;
  /** Gmsh's prism gamma (minimum normalised corner Jacobian); 0 for an inverted prism. */
  gamma: Float64Array;
}

export function measurePrisms(P: Float64Array, prisms: Uint32Array): PrismMetrics {
  const n = (prisms.length / 6) | 0;
  const sicn = new Float64Array(n);
  const gamma = new Float64Array(n);
  const x = new Float64Array(18);
  for (let e = 0; e < n; e++) {
    for (let k = 0; k < 6; k++) {
      const v = 3 * prisms[6 * e + k];
      x[3 * k] = P[v];
      x[3 * k + 1] = P[v + 1];
      x[3 * k + 2] = P[v + 2];
    }
    const q = prismSicn(x);
    sicn[e] = q;
    if (!(q > 0)) continue; // gamma 0, like a tet's metrics once inverted
    let g = Infinity;
    for (const [o, u, v, w] of PRISM_EDGES) {
      const ux = x[3 * u] - x[3 * o],
        uy = x[3 * u + 1] - x[3 * o + 1],
        uz = x[3 * u + 2] - x[3 * o + 2];
      const vx = x[3 * v] - x[3 * o],
        vy = x[3 * v + 1] - x[3 * o + 1],
        vz = x[3 * v + 2] - x[3 * o + 2];
      const wx = x[3 * w] - x[3 * o],
        wy = x[3 * w + 1] - x[3 * o + 1],
        wz = x[3 * w + 2] - x[3 * o + 2];
      const det = ux * (vy * wz - vz * wy) - uy * (vx * wz - vz * wx) + uz * (vx * wy - vy * wx);
      const len =
        Math.sqrt(ux * ux + uy * uy + uz * uz) *
        Math.sqrt(vx * vx + vy * vy + vz * vz) *
        Math.sqrt(wx * wx + wy * wy + wz * wz);
      const c = len > 0 ? (TWO_OVER_SQRT3 * Math.abs(det)) / len : 0;
      if (c < g) g = c;
    }
    gamma[e] = g;
  }
  return { sicn, gamma };
}

/** Pyramid base corners (Gmsh order: base 0 1 2 3, apex 4): [A from, A to, B from, B to, M between m0 and m1]. */
const PYRAMID_CORNERS = [
  [0, 1, 0, 3, 1, 3],
  [0, 1, 1, 2, 0, 2],
  [3, 2, 1, 2, 1, 3],
  [3, 2, 0, 3, 0, 2],
] as const;

/** Signed ICN of each pyramid, the minimum over its four base corners (Gmsh's J there: A, B, √2 (apex − M)). */
export function measurePyramids(P: Float64Array, pyramids: Uint32Array): Float64Array {
  const n = (pyramids.length / 5) | 0;
  const sicn = new Float64Array(n);
  const x = new Float64Array(15);
  for (let e = 0; e < n; e++) {
    for (let k = 0; k < 5; k++) {
      const v = 3 * pyramids[5 * e + k];
      x[3 * k] = P[v];
      x[3 * k + 1] = P[v + 1];
      x[3 * k + 2] = P[v + 2];
    }
    sicn[e] = pyramidSicn(x);
  }
  return sicn;
}

/** Signed ICN of one pyramid whose five corners are packed in x (15 numbers): the minimum over its base corners. */
export function pyramidSicn(x: Float64Array): number {
  let q = Infinity;
  for (const [a0, a1, b0, b1, m0, m1] of PYRAMID_CORNERS) {
    const cx = SQRT2 * (x[12] - 0.5 * (x[3 * m0] + x[3 * m1])),
      cy = SQRT2 * (x[13] - 0.5 * (x[3 * m0 + 1] + x[3 * m1 + 1])),
      cz = SQRT2 * (x[14] - 0.5 * (x[3 * m0 + 2] + x[3 * m1 + 2]));
    const v = icn(
      x[3 * a1] - x[3 * a0],
      x[3 * a1 + 1] - x[3 * a0 + 1],
      x[3 * a1 + 2] - x[3 * a0 + 2],
      x[3 * b1] - x[3 * b0],
      x[3 * b1 + 1] - x[3 * b0 + 1],
      x[3 * b1 + 2] - x[3 * b0 + 2],
      cx,
      cy,
      cz,
    );
    if (v < q) q = v;
  }
  return q;
}
