// The angle between neighbouring CAD faces across the curves they share, from the model read's quadratic surface
// mesh. A fillet strip meets its neighbours at 180° (the faces continue smoothly); a square edge at 90°. The
// compound-fillets attempt merges a narrow face with a neighbour it meets so.
// Each triangle's direction away from a shared edge is the tangent, at the edge, of its quadratic edges towards its
// third corner: their midpoints lie on the CAD face, so a strip one triangle wide still gives the face's own
// direction (its straight chord would be off by half the fillet's arc, 45° on a quarter round).
import type { MshMesh } from '../mesh/msh-reader';

export interface FaceAngle {
  /** The two faces, smaller tag first. */
  faces: [number, number];
  /** Mean over their shared mesh edges, in degrees to 0.1: 180 where they continue smoothly. */
  angle: number;
}

/** Gmsh's 6-node triangle: corners 0 1 2, then the midpoints of edges 01, 12, 20. */
const MID = [
  [-1, 3, 5],
  [3, -1, 4],
  [5, 4, -1],
];

type Vec = [number, number, number];
const sub = (a: Vec, b: Vec): Vec => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const unit = (a: Vec): Vec | null => {
  const l = Math.hypot(a[0], a[1], a[2]);
  return l > 0 ? [a[0] / l, a[1] / l, a[2] / l] : null;
};

/**
 * For each pair of faces whose triangles share mesh edges (each edge between exactly two triangles): the angle between
 * the two faces' directions away from the edge, averaged over the edges. `m` must keep all six nodes of its quadratic
 * triangles (readMsh's `full`); a linear mesh gives no angles.
 */
export function faceAngles(m: MshMesh): FaceAngle[] {
  if (m.triNodes !== 6) return [];
  const X = m.nodes;
  const at = (n: number): Vec => [X[3 * n], X[3 * n + 1], X[3 * n + 2]];
  const tri = (t: number, k: number) => m.triangles[6 * t + k];
  const edges = new Map<number, number[]>();
  const N = m.nodeCount;
  for (let t = 0; t < m.triangleEntities.length; t++)
    for (const [i, j] of [
      [0, 1],
      [1, 2],
      [2, 0],
    ]) {
      const a = tri(t, i);
      const b = tri(t, j);
      const key = Math.min(a, b) * N + Math.max(a, b);
      const list = edges.get(key);
      if (list) list.push(t);
      else edges.set(key, [t]);
    }
  /** Direction of triangle t away from its edge (a, b), in its own face; null when degenerate. */
  const away = (t: number, a: number, b: number): Vec | null => {
    const corners = [0, 1, 2].map((k) => tri(t, k));
    const ia = corners.indexOf(a);
    const ib = corners.indexOf(b);
    const ic = 3 - ia - ib;
    const c = at(corners[ic]);
    const e = unit(sub(at(b), at(a)));
    if (!e) return null;
    let sum: Vec = [0, 0, 0];
    for (const i of [ia, ib]) {
      const p = at(corners[i]);
      const q = at(tri(t, MID[i][ic]));
      // derivative at p of the quadratic through p, q (its midpoint) and c
      const d: Vec = [4 * q[0] - 3 * p[0] - c[0], 4 * q[1] - 3 * p[1] - c[1], 4 * q[2] - 3 * p[2] - c[2]];
      const along = dot(d, e);
      const u = unit([d[0] - along * e[0], d[1] - along * e[1], d[2] - along * e[2]]);
      if (!u) return null;
      sum = [sum[0] + u[0], sum[1] + u[1], sum[2] + u[2]];
    }
    return unit(sum);
  };
  const acc = new Map<string, { faces: [number, number]; sum: number; n: number }>();
  for (const [key, tris] of edges) {
    if (tris.length !== 2) continue;
    const [s, t] = tris;
    const f = m.triangleEntities[s];
    const g = m.triangleEntities[t];
    if (f === g) continue;
    const a = Math.floor(key / N);
    const b = key - a * N;
    const u = away(s, a, b);
    const v = away(t, a, b);
    if (!u || !v) continue;
    const angle = (Math.acos(Math.max(-1, Math.min(1, dot(u, v)))) * 180) / Math.PI;
    const faces: [number, number] = f < g ? [f, g] : [g, f];
    const id = faces.join(':');
    const e = acc.get(id) ?? { faces, sum: 0, n: 0 };
    e.sum += angle;
    e.n += 1;
    acc.set(id, e);
  }
  return [...acc.values()]
    .map((e) => ({ faces: e.faces, angle: Math.round((e.sum / e.n) * 10) / 10 }))
    .sort((x, y) => x.faces[0] - y.faces[0] || x.faces[1] - y.faces[1]);
}
