// Where a mesh misses its targets: the tetrahedra that break one (SICN below the minimum, and the optional minimum
// dihedral angle and maximum aspect ratio), each with its centroid and its shortest and longest edge, and the CAD
// faces they touch. The .msh's skin triangles carry their CAD surface tag (their entity), so a bad tet with a node on
// a triangle of surface S touches S; one with no node on the skin is an interior sliver.
import type { QualityTargets } from '../contract/job';
import { readMshFile } from '../mesh/msh-reader';
import { measureTets } from '../quality/kernel';

export interface BadTet {
  sicn: number;
  /** Mesh coordinates (the written unit). */
  centroid: [number, number, number];
  shortEdge: number;
  longEdge: number;
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
    if (
      sicn[t] < targets.minSicn ||
      (targets.minDihedral != null && q.minDihedralDeg[t] < targets.minDihedral) ||
      (targets.maxAspect != null && q.aspectRatio[t] > targets.maxAspect)
    )
      badIdx.push(t);
  }
  badIdx.sort((a, b) => sicn[a] - sicn[b] || a - b);
  const P = m.nodes;
  const bad = badIdx.map((t): BadTet => {
    const v = [0, 1, 2, 3].map((k) => m.tets[4 * t + k]);
    const centroid = [0, 1, 2].map((c) => (P[3 * v[0] + c] + P[3 * v[1] + c] + P[3 * v[2] + c] + P[3 * v[3] + c]) / 4);
    let shortEdge = Infinity;
    let longEdge = 0;
    for (let a = 0; a < 4; a++)
      for (let b = a + 1; b < 4; b++) {
        const l = Math.hypot(
          P[3 * v[a]] - P[3 * v[b]],
          P[3 * v[a] + 1] - P[3 * v[b] + 1],
          P[3 * v[a] + 2] - P[3 * v[b] + 2],
        );
        shortEdge = Math.min(shortEdge, l);
        longEdge = Math.max(longEdge, l);
      }
    return { sicn: sicn[t], centroid: centroid as [number, number, number], shortEdge, longEdge };
  });
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
