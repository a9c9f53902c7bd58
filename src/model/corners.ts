// Each face's corner angles at its CAD vertices, from the model read's surface mesh (fine at the vertices): the
// angles, at a vertex's node, of the face's triangles there sum to the face's interior angle between its two curves
// (the fan's two free sides lie on them).
import type { MshMesh } from '../mesh/msh-reader';

export interface CadCorner {
  face: number;
  vertex: number;
  /** The face's curves that meet at the corner (the fan's two sides), ascending; fewer when the mesh has no line there. */
  curves: number[];
  /** Interior angle of the face at the vertex, degrees. */
  angle: number;
}

export function faceCorners(m: MshMesh): CadCorner[] {
  const extras = m.all;
  if (!extras) return [];
  const vertexOf = new Map<number, number>();
  for (let i = 0; i < extras.pointEntities.length; i++) vertexOf.set(extras.points[i], extras.pointEntities[i]);
  // The curve of each mesh edge that starts at a vertex's node.
  const curveAt = new Map<string, number>();
  for (let i = 0; i < extras.lineEntities.length; i++) {
    const [a, b] = [extras.lines[2 * i], extras.lines[2 * i + 1]];
    if (vertexOf.has(a)) curveAt.set(`${a}:${b}`, extras.lineEntities[i]);
    if (vertexOf.has(b)) curveAt.set(`${b}:${a}`, extras.lineEntities[i]);
  }
  const X = m.nodes;
  const angleAt = (a: number, b: number, c: number) => {
    const u = [X[3 * b] - X[3 * a], X[3 * b + 1] - X[3 * a + 1], X[3 * b + 2] - X[3 * a + 2]];
    const w = [X[3 * c] - X[3 * a], X[3 * c + 1] - X[3 * a + 1], X[3 * c + 2] - X[3 * a + 2]];
    const d = (u[0] * w[0] + u[1] * w[1] + u[2] * w[2]) / (Math.hypot(u[0], u[1], u[2]) * Math.hypot(w[0], w[1], w[2]));
    return (Math.acos(Math.max(-1, Math.min(1, d))) * 180) / Math.PI;
  };
  // (face, vertex node) -> the triangles' other two nodes and angle there
  const fans = new Map<string, { face: number; node: number; tris: [number, number, number][] }>();
  const T = m.triangles;
  const n = m.triNodes;
  for (let t = 0; t < m.triangleEntities.length; t++)
    for (let k = 0; k < 3; k++) {
      const a = T[n * t + k];
      if (!vertexOf.has(a)) continue;
      const [b, c] = [T[n * t + ((k + 1) % 3)], T[n * t + ((k + 2) % 3)]];
      const face = m.triangleEntities[t];
      const key = `${face}:${a}`;
      let fan = fans.get(key);
      if (!fan) fans.set(key, (fan = { face, node: a, tris: [] }));
      fan.tris.push([b, c, angleAt(a, b, c)]);
    }
  const out: CadCorner[] = [];
  for (const { face, node, tris } of fans.values()) {
    // the fan's free sides: nodes that only one of its triangles has
    const seen = new Map<number, number>();
    for (const [b, c] of tris) for (const v of [b, c]) seen.set(v, (seen.get(v) ?? 0) + 1);
    const ends = [...seen].filter(([, k]) => k === 1).map(([v]) => v);
    const curves = [...new Set(ends.flatMap((e) => curveAt.get(`${node}:${e}`) ?? []))].sort((x, y) => x - y);
    const angle = tris.reduce((sum, t) => sum + t[2], 0);
    out.push({ face, vertex: vertexOf.get(node)!, curves, angle: Math.round(angle * 100) / 100 });
  }
  return out.sort((x, y) => x.face - y.face || x.vertex - y.vertex || x.angle - y.angle);
}
