// Where a tetrahedron is and how big: its centroid and its shortest and longest edge, from its corner nodes. The repair
// centres its balls on bad tets and sizes them by their shortest edge; the geometry report looks for a CAD feature
// within a bad tet's longest edge.

export interface TetShape {
  centroid: [number, number, number];
  shortEdge: number;
  longEdge: number;
}

/** Tet `t` (4 corner node indices per tet in `tets`, xyz per node in `nodes`). */
export function tetShape(nodes: Float64Array, tets: Uint32Array, t: number): TetShape {
  const v = [0, 1, 2, 3].map((k) => 3 * tets[4 * t + k]);
  const P = nodes;
  const centroid = [0, 1, 2].map((c) => (P[v[0] + c] + P[v[1] + c] + P[v[2] + c] + P[v[3] + c]) / 4);
  let shortEdge = Infinity;
  let longEdge = 0;
  for (let a = 0; a < 4; a++)
    for (let b = a + 1; b < 4; b++) {
      const l = Math.hypot(P[v[a]] - P[v[b]], P[v[a] + 1] - P[v[b] + 1], P[v[a] + 2] - P[v[b] + 2]);
      shortEdge = Math.min(shortEdge, l);
      longEdge = Math.max(longEdge, l);
    }
  return { centroid: centroid as TetShape['centroid'], shortEdge, longEdge };
}
