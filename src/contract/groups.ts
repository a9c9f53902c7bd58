// The groups every mesh carries and the physical numbers they get. The numbers are unique across dimensions:
// OpenFOAM's gmshToFoam (and any converter that keys on the number alone) would otherwise name the patch of
// `Face_1` after the body that also has number 1. The ranges are fixed so a group has the same number in every file
// written from one mesh (.msh, msh 2.2, unv, bdf).

/** Where each kind of group starts; a group's number is its base plus its entity tag (faces, bodies) or position. */
export const PHYSICAL_BASE = {
  /** `Face_<n>`: n (faces of a part stay below the user's range). */
  face: 0,
  /** The user's groups, faces or bodies: 100 000 + their position in the job's list (from 1). */
  user: 100_000,
  /** One group per body (its CAD label, else `Body_<n>`): 200 000 + n. */
  body: 200_000,
  /** `Interface_<a>_<b>`, one per pair of touching bodies: 1 000 000 + k, k from 1 in (a, b) order. */
  interface: 1_000_000,
} as const;

/**
 * Every curve and every point of the model, as one group each, so that each element the .msh holds carries a
 * physical tag: meshio (FEniCS, scikit-fem, PyVista) refuses a .msh where some element blocks have one and others
 * none, and `Mesh.SaveAll` keeps the curves and points (the mesh stays the one Gmsh made).
 */
export const LOWER_DIM_GROUPS = [
  { dim: 1, name: 'Curves', physical: 2_000_001 },
  { dim: 0, name: 'Points', physical: 2_000_002 },
] as const;

/** Face and user-group numbers must stay below the next range. */
export const PHYSICAL_SPAN = 100_000;

/**
 * Why a name the user gives a group belongs to the automatic groups, or null. Checked wherever a user's group
 * enters (the CLI's --group, the job spec, the desktop's saved groups), before Gmsh runs.
 */
export function reservedGroupProblem(name: string): string | null {
  if (/^(Body|Face|Interface)_\d/.test(name) || LOWER_DIM_GROUPS.some((g) => g.name === name))
    return `Body_, Face_ and Interface_ names (and ${LOWER_DIM_GROUPS.map((g) => g.name).join(', ')}) belong to the automatic groups`;
  return null;
}
