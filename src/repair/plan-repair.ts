// The targeted repair: when a mesh misses its targets because of a few bad elements, refine around those elements
// themselves and run Gmsh's 3D optimisers, instead of remeshing the whole part (or whole CAD faces) finer. The bad
// tetrahedra are clustered; each cluster gets a ball of small elements, sized by the cluster's own shortest edge (the
// local geometric scale: a flat tet across a narrow fillet has the fillet's width as its shortest edge), from which
// the size ramps back to the part's own. A second round, from the repair's own mesh, adds its balls to the first's.
import type { RepairBall, RepairSpec } from '../contract/attempt';
import { UNIT_SCALE, type LengthUnit, type QualityTargets } from '../contract/job';
import { gmshDefaultSize } from '../sizing/requested-size';
import { locateBadElements, type BadTet } from './locate';

export const REPAIR_RULES = {
  /** Repair only when the bad tetrahedra are a few: at most this share of the mesh... */
  maxBadShare: 0.01,
  /** ...or this many, whichever is larger. */
  maxBadTets: 50,
  /** Rounds in a chain: each is planned from the last one's mesh. */
  rounds: 2,
  /**
   * A ball's size is its cluster's shortest bad edge, but at least this share of the part's element size: flat tets
   * across a narrow gap would otherwise ask for sizes that make 10x the elements for no better worst element.
   */
  sizeFloor: 0.05,
  /** Beyond a ball the size grows by this much per unit of distance: each element about 1.3x its neighbour. */
  slope: 0.3,
  /** At most this many balls a round (the worst clusters first). */
  maxPlaces: 60,
};

export interface RepairInput {
  from: string;
  meshPath: string;
  targets: QualityTargets;
  sizeFactor: number;
  units?: LengthUnit;
  netgen: boolean;
  /** 0 for the first round. */
  round: number;
  /** Balls earlier rounds refined: kept, so each round adds to the last. */
  previous?: RepairBall[];
}

interface Cluster {
  centre: [number, number, number];
  longEdge: number;
  members: BadTet[];
}

const dist = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Worst first, a tet joins the first cluster whose centre is within its or the cluster's longest edge. */
function clusterBadTets(bad: readonly BadTet[]): Cluster[] {
  const clusters: Cluster[] = [];
  for (const b of bad) {
    const c = clusters.find((cl) => dist(cl.centre, b.centroid) <= Math.max(cl.longEdge, b.longEdge));
    if (!c) {
      clusters.push({ centre: [...b.centroid], longEdge: b.longEdge, members: [b] });
      continue;
    }
    c.members.push(b);
    c.longEdge = Math.max(c.longEdge, b.longEdge);
    for (let k = 0; k < 3; k++) c.centre[k] = c.members.reduce((s, m) => s + m.centroid[k], 0) / c.members.length;
  }
  return clusters;
}

interface RepairPlan {
  spec: RepairSpec;
  /** Balls this round adds... */
  places: number;
  /** ...and clusters beyond `maxPlaces`, left as they are. */
  left: number;
}

/** A repair attempt's spec, or why none is planned (in words). */
export function planRepair(i: RepairInput): RepairPlan | { skip: string } {
  if (i.round >= REPAIR_RULES.rounds) return { skip: `no repair round left (${REPAIR_RULES.rounds} done)` };
  const region = locateBadElements(i.meshPath, i.targets);
  const limit = Math.max(REPAIR_RULES.maxBadTets, Math.floor(REPAIR_RULES.maxBadShare * region.tets));
  if (!region.bad.length) return { skip: 'no tetrahedron breaks a target' };
  if (region.bad.length > limit)
    return {
      skip: `${region.bad.length} tetrahedra break a target: too many for a local repair (at most ${limit})`,
    };
  // Mesh coordinates are in the written unit; fields are in the model's.
  const toModel = 1 / UNIT_SCALE[i.units ?? 'mm'];
  // Gmsh's element size for the part at this size factor, from the mesh's box (the model's up to its facets).
  const h = gmshDefaultSize(region.diagonal * toModel * i.sizeFactor);
  const clusters = clusterBadTets(region.bad);
  const balls = clusters.slice(0, REPAIR_RULES.maxPlaces).map((c): RepairBall => {
    const size = Math.max(REPAIR_RULES.sizeFloor * h, Math.min(...c.members.map((m) => m.shortEdge)) * toModel);
    const spread = Math.max(...c.members.map((m) => dist(m.centroid, c.centre))) * toModel;
    return { centre: c.centre.map((x) => x * toModel) as RepairBall['centre'], radius: spread + size, size };
  });
  return {
    places: balls.length,
    left: clusters.length - balls.length,
    spec: {
      from: i.from,
      balls: [...(i.previous ?? []), ...balls],
      slope: REPAIR_RULES.slope,
      farSize: h,
      surfaces: region.surfaces,
      badTets: region.bad.length,
      worstSicn: region.worstSicn,
      netgen: i.netgen,
    },
  };
}
