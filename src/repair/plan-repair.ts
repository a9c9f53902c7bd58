// The targeted repair: when a mesh misses the SICN target because of a few bad elements, refine only the CAD faces
// they touch and run Gmsh's 3D optimisers, instead of remeshing the whole part finer. A second round, from the
// repair's own mesh, refines harder on what is left.
import type { RepairSpec } from '../contract/attempt';
import { UNIT_SCALE, type LengthUnit } from '../contract/job';
import { locateBadElements } from './locate';

export const REPAIR_RULES = {
  /** Repair only when the bad tetrahedra are a few: at most this share of the mesh... */
  maxBadShare: 0.01,
  /** ...or this many, whichever is larger. */
  maxBadTets: 50,
  /** ...on at most this many faces (more is not local any more). */
  maxSurfaces: 12,
  /** Local size per round, as a share of the smallest mean skin edge on the faces being refined. */
  sizeRatio: [0.25, 0.15],
  /** The local size ramps back to the part's own over this many of those edges (a thin layer along the faces). */
  reachRatio: 0.5,
};

export interface RepairInput {
  from: string;
  meshPath: string;
  minSicn: number;
  sizeFactor: number;
  units?: LengthUnit;
  netgen: boolean;
  /** 0 for the first round. */
  round: number;
  /** Faces earlier rounds refined: kept, so each round adds to the last. */
  previous?: number[];
}

/** A repair attempt's spec, or why none is planned (in words). */
export function planRepair(i: RepairInput): { spec: RepairSpec } | { skip: string } {
  if (i.round >= REPAIR_RULES.sizeRatio.length)
    return { skip: `no repair round left (${REPAIR_RULES.sizeRatio.length} done)` };
  const region = locateBadElements(i.meshPath, i.minSicn);
  const limit = Math.max(REPAIR_RULES.maxBadTets, Math.floor(REPAIR_RULES.maxBadShare * region.tets));
  if (region.badTets === 0) return { skip: 'no tetrahedron below the target' };
  if (region.badTets > limit)
    return { skip: `${region.badTets} tetrahedra below the target: too many for a local repair (at most ${limit})` };
  if (!region.surfaces.length) return { skip: `the ${region.badTets} bad tetrahedra touch no face (interior slivers)` };
  const surfaces = [...new Set([...(i.previous ?? []), ...region.surfaces.map((s) => s.tag)])].sort((a, b) => a - b);
  if (surfaces.length > REPAIR_RULES.maxSurfaces)
    return { skip: `the bad tetrahedra touch ${surfaces.length} faces: not a local repair` };
  // Mesh coordinates are in the written unit; fields are in the model's, and Gmsh scales them by the size factor.
  const edge = Math.min(...region.surfaces.map((s) => s.meanEdge)) / UNIT_SCALE[i.units ?? 'mm'];
  const ratio = REPAIR_RULES.sizeRatio[i.round];
  return {
    spec: {
      from: i.from,
      surfaces,
      sizeMin: (ratio * edge) / i.sizeFactor,
      reach: (REPAIR_RULES.reachRatio * edge) / i.sizeFactor,
      badTets: region.badTets,
      worstSicn: region.worstSicn,
      netgen: i.netgen,
    },
  };
}
