// Node orders of the 10-node tet. Gmsh (type 11): corners 0-3, then edges 01 12 20 30 23 31. Abaqus C3D10,
// Nastran CTETRA and VTK_QUADRATIC_TETRA: corners, then edges 01 12 20 03 13 23: Gmsh's last two swap.
export const GMSH_TO_ABAQUS_TET10 = [0, 1, 2, 3, 4, 5, 6, 7, 9, 8] as const;
/** @alias */
export const GMSH_TO_VTK_TET10 = GMSH_TO_ABAQUS_TET10;
/** @alias */
export const GMSH_TO_NASTRAN_TET10 = GMSH_TO_ABAQUS_TET10;
/** I-DEAS parabolic tetrahedron (118): corner, mid, corner, mid, corner, mid, then the three mids to the apex, apex. */
export const GMSH_TO_UNV_TET10 = [0, 4, 1, 5, 2, 6, 7, 9, 8, 3] as const;
/** I-DEAS parabolic triangle (92): corner, mid, corner, mid, corner, mid (Gmsh type 9: corners, then 01 12 20). */
export const GMSH_TO_UNV_TRI6 = [0, 3, 1, 4, 2, 5] as const;

/** Corner nodes of every tet (quality needs them; `tets` holds `per` nodes each). */
export function tetCorners(tets: Uint32Array, per: number): Uint32Array {
  if (per === 4) return tets;
  const n = tets.length / per;
  const out = new Uint32Array(4 * n);
  for (let t = 0; t < n; t++) for (let k = 0; k < 4; k++) out[4 * t + k] = tets[t * per + k];
  return out;
}

/**
 * One group per element where a format allows only one (msh 2.2 physical tag, Nastran property): the user's
 * groups take precedence over the automatic Body_/Face_ ones, later ones over earlier. -1: in no group.
 */
export function soleGroup(
  count: number,
  groups: readonly { spec: { physical: number }; elements: Uint32Array }[],
): Int32Array {
  const owner = new Int32Array(count).fill(-1);
  const order = groups.map((g, i) => i).sort((a, b) => groups[a].spec.physical - groups[b].spec.physical);
  for (const i of order) for (const e of groups[i].elements) owner[e] = i;
  return owner;
}

/** VTK's wedge (13) has the other winding of Gmsh's prism (6): each triangle's last two nodes swap (SU2 too). */
export const GMSH_TO_VTK_WEDGE = [0, 2, 1, 3, 5, 4] as const;
/**
 * A pyramid where a format has none (CalculiX C3D8, I-DEAS brick 115): a hexahedron with the apex as its whole top
 * face, which both solvers collapse.
 */
export const PYRAMID_AS_HEX8 = [0, 1, 2, 3, 4, 4, 4, 4] as const;
