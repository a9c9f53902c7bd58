// Which CAD faces touch which, from the part's triangulation (triangles carry their face's tag; faces that share a
// curve share its nodes): "add tangent faces" grows a selection over the faces that continue it smoothly, as a fillet
// continues into the plane beside it, the way CAD tools select a tangent chain.
import { faceNormals } from './surface-shading';

/**
 * Faces reachable from `seed` through edges where two faces meet within `angleDeg` (the normals of the triangles
 * on either side of a shared edge), the seed faces included, ascending.
 */
export function tangentFaces(
  positions: ArrayLike<number>,
  indices: ArrayLike<number>,
  tags: ArrayLike<number>,
  seed: readonly number[],
  angleDeg = 15,
): number[] {
  const cos = Math.cos((angleDeg * Math.PI) / 180);
  const count = indices.length / 3;
  const { n } = faceNormals(positions, indices);
  // Edges shared by triangles of two different faces, and whether the faces are tangent there.
  const firstTri = new Map<string, number>();
  const tangent = new Map<number, Set<number>>();
  const link = (p: number, q: number) => {
    if (!tangent.has(p)) tangent.set(p, new Set());
    tangent.get(p)!.add(q);
  };
  for (let t = 0; t < count; t++) {
    for (let k = 0; k < 3; k++) {
      const a = indices[t * 3 + k];
      const b = indices[t * 3 + ((k + 1) % 3)];
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      const u = firstTri.get(key);
      if (u === undefined) {
        firstTri.set(key, t);
        continue;
      }
      if (tags[u] === tags[t]) continue;
      if (n[t * 3] * n[u * 3] + n[t * 3 + 1] * n[u * 3 + 1] + n[t * 3 + 2] * n[u * 3 + 2] >= cos) {
        link(tags[t], tags[u]);
        link(tags[u], tags[t]);
      }
    }
  }
  const out = new Set(seed);
  const queue = [...seed];
  while (queue.length) {
    for (const next of tangent.get(queue.pop()!) ?? []) {
      if (out.has(next)) continue;
      out.add(next);
      queue.push(next);
    }
  }
  return [...out].sort((a, b) => a - b);
}
