// The element size a job asks for, and the tetrahedra that size implies for the part: what a kept mesh's count and
// its small CAD features are measured against.
import type { MeshSettings } from '../contract/job';

/**
 * Tets per h³ of volume that Gmsh's 3D mesher makes at a uniform size h. A regular tet of edge h has volume
 * h³/(6√2), i.e. 8.5 per h³; Gmsh's Delaunay meshes measure 5.9 to 8.4 on real parts (fewer at coarse sizes, where
 * the boundary dominates).
 */
const TETS_PER_CUBE = 6;

/** Gmsh's default element size for a CAD part at size factor 1: a tenth of its bounding box's diagonal. */
export const gmshDefaultSize = (diagonal: number): number => diagonal / 10;

/** Gmsh's default size for the part times the size factor, at most --size-max. */
export function requestedSize(diagonal: number, settings: Pick<MeshSettings, 'sizeFactor' | 'sizing'>): number {
  const h = gmshDefaultSize(diagonal) * settings.sizeFactor;
  const max = settings.sizing?.sizeMax;
  return max !== undefined && max < h ? max : h;
}

/** Size for `target` tets in `volume` (--target-elements corrects what TETS_PER_CUBE misses). */
export const sizeForCount = (volume: number, target: number): number => Math.cbrt((TETS_PER_CUBE * volume) / target);

/** The tetrahedra a uniform size `h` makes in `volume`. */
export const impliedTets = (volume: number, h: number): number => (TETS_PER_CUBE * volume) / h ** 3;
