// The global size bound Gmsh gets for the user's --size-max (and the --target-elements size), and the growth of
// local sizes away from a refined region: numbers, not script (src/geo/size-fields.ts writes the fields).
import type { AttemptSizing } from '../contract/attempt';

/** Default ratio between neighbouring element sizes away from a refined region. */
export const DEFAULT_GROWTH = 1.3;

/**
 * `--size-max` is a bound on edge lengths, Gmsh's Mesh.MeshSizeMax a target for them: its 3D Delaunay refinement
 * makes edges up to about twice the size (measured 2.0× on Angled.step and bracket.step, up to 2.34× with HXT, whose
 * runs differ). Asking Gmsh for 0.45 of the bound keeps the longest edge within 1.2× of it (1.02-1.10× measured on
 * Angled, t20_data and wrenchnut with Delaunay and with repeated HXT runs).
 */
const SIZE_MAX_TO_GMSH = 0.45;

/** The Mesh.MeshSizeMax Gmsh gets: 0.45 of --size-max, or the target-count size, whichever is smaller. */
export function gmshSizeMax(s: AttemptSizing): number | undefined {
  const bound = s.sizeMax !== undefined ? s.sizeMax * SIZE_MAX_TO_GMSH : undefined;
  if (s.meshSize === undefined) return bound;
  return bound === undefined ? s.meshSize : Math.min(bound, s.meshSize);
}
