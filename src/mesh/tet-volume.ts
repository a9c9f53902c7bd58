// Signed volume of a tetrahedron from its corner nodes: what orientation checks and volume sums share.

/**
 * Six times the signed volume of tet `t` (4 corner node indices per tet in `tets`, xyz per node in `nodes`):
 * positive when node 3 lies on the side the right-hand normal of nodes 0-1-2 points to (Gmsh's orientation).
 */
export function tetDet6(nodes: Float64Array, tets: Uint32Array, t: number): number {
  const a = 3 * tets[4 * t],
    b = 3 * tets[4 * t + 1],
    c = 3 * tets[4 * t + 2],
    d = 3 * tets[4 * t + 3];
  const ux = nodes[b] - nodes[a],
    uy = nodes[b + 1] - nodes[a + 1],
    uz = nodes[b + 2] - nodes[a + 2];
  const vx = nodes[c] - nodes[a],
    vy = nodes[c + 1] - nodes[a + 1],
    vz = nodes[c + 2] - nodes[a + 2];
  const wx = nodes[d] - nodes[a],
    wy = nodes[d + 1] - nodes[a + 1],
    wz = nodes[d + 2] - nodes[a + 2];
  return ux * (vy * wz - vz * wy) - uy * (vx * wz - vz * wx) + uz * (vx * wy - vy * wx);
}
