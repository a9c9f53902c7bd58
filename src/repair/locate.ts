// Where a mesh misses its targets: the tetrahedra that break one (SICN below the minimum, and the optional minimum
// dihedral angle and maximum aspect ratio), each with its centroid and its shortest and longest edge, and the CAD
// faces they touch. The .msh's skin triangles carry their CAD surface tag (their entity), so a bad tet with a node on
// a triangle of surface S touches S; one with no node on the skin is an interior sliver.
import type { QualityTargets } from '../contract/job';
import { elementMissesTargets } from '../contract/targets';
import { tetShape, type TetShape } from '../mesh/tet-shape';
import { readMshFile } from '../mesh/msh-reader';
import { measureTets } from '../quality/kernel';

/** A tetrahedron breaking a target: its SICN, and its centroid and edges in mesh coordinates (the written unit). */
export interface BadTet extends TetShape {
  sicn: number;
}

export interface BadRegion {
  tets: number;
  /** Worst SICN in the mesh. */
  worstSicn: number;
  /** The tetrahedra breaking a target, worst SICN first (then in file order). */
  bad: BadTet[];
  /** CAD surfaces touched by bad tets, by tag. */
  surfaces: number[];
  /** Bad tets that touch no skin triangle. */
  interior: number;
  /** The mesh's bounding box diagonal (the written unit). */
  diagonal: number;
}

export function locateBadElements(meshPath: string, targets: QualityTargets): BadRegion {
  const m = readMshFile(meshPath);
  const q = measureTets(m.nodes, m.tets);
  const { sicn } = q;
  const nTets = sicn.length;
  const badIdx: number[] = [];
  let worst = Infinity;
  for (let t = 0; t < nTets; t++) {
    if (sicn[t] < worst) worst = sicn[t];
    if (elementMissesTargets(q, t, targets)) badIdx.push(t);
  }
  badIdx.sort((a, b) => sicn[a] - sicn[b] || a - b);
  const bad = badIdx.map((t): BadTet => ({ sicn: sicn[t], ...tetShape(m.nodes, m.tets, t) }));
  // Surfaces per node, for the nodes of bad tets only.
  const badNode = new Uint8Array(m.nodeCount);
  for (const t of badIdx) for (let k = 0; k < 4; k++) badNode[m.tets[4 * t + k]] = 1;
  const surfOf = new Map<number, Set<number>>();
  const nTris = m.triangles.length / 3;
  for (let i = 0; i < nTris; i++)
    for (let k = 0; k < 3; k++) {
      const v = m.triangles[3 * i + k];
      if (!badNode[v]) continue;
      let set = surfOf.get(v);
      if (!set) surfOf.set(v, (set = new Set()));
      set.add(m.triangleEntities[i]);
    }
  const surfaces = new Set<number>();
  let interior = 0;
  for (const t of badIdx) {
    let touches = false;
    for (let k = 0; k < 4; k++)
      for (const s of surfOf.get(m.tets[4 * t + k]) ?? []) {
        surfaces.add(s);
        touches = true;
      }
    if (!touches) interior++;
  }
  const { min, max } = m.bbox;
  return {
    tets: nTets,
    worstSicn: nTets ? worst : 0,
    bad,
    surfaces: [...surfaces].sort((a, b) => a - b),
    interior,
    diagonal: Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]),
  };
}
