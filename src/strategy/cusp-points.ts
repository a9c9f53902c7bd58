// The coarse-cusps attempt's point sizes: where two CAD curves of a face meet almost tangentially (a cusp), every
// triangle in the corner is a sliver, and refining only makes more of them. Coarser elements at the cusp's vertex
// (twice Gmsh's default size) put fewer nodes into the corner. Measured: t20_data ×0.5 SICN 0.208 → 0.355 with
// fewer tetrahedra; worse on tangent-boss and slot-cusp, so it is a late attempt that only competes.

import { CUSP_DEG } from '../contract/geometry';
import { gmshDefaultSize } from '../sizing/requested-size';

/** What the plan needs of the model read. */
export interface CornerFacts {
  /** The bounding box's diagonal: Gmsh's default element size is a tenth of it. */
  diagonal: number;
  corners: readonly { vertex: number; angle: number }[];
}

/**
 * The CAD vertices at cusps with their size, twice Gmsh's default element size (in model units; the size factor
 * scales it like every size), or null when the part has no cusp.
 */
export function cuspSizing(model: CornerFacts): { points: number[]; size: number } | null {
  const points = [...new Set(model.corners.filter((c) => c.angle < CUSP_DEG).map((c) => c.vertex))].sort(
    (a, b) => a - b,
  );
  const size = 2 * gmshDefaultSize(model.diagonal);
  return points.length && size > 0 ? { points, size } : null;
}
