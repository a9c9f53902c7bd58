// Where a mesh misses its SICN target: the tetrahedra below it and the CAD faces they touch. The .msh's skin
// triangles carry their CAD surface tag (their entity), so a bad tet with a node on a triangle of surface S touches
// S. Bad tets with no node on the skin are interior slivers: no face to refine, the optimisers deal with them.
import { readMshFile } from '../mesh/msh-reader';
import { measureTets } from '../quality/kernel';

export interface BadRegion {
  tets: number;
  badTets: number;
  /** Worst SICN in the mesh. */
  worstSicn: number;
  /** CAD surfaces touched by bad tets, most bad tets first. */
  surfaces: { tag: number; badTets: number; meanEdge: number }[];
  /** Bad tets that touch no skin triangle. */
  interior: number;
}

export function locateBadElements(meshPath: string, minSicn: number): BadRegion {
  const m = readMshFile(meshPath);
  const { sicn } = measureTets(m.nodes, m.tets);
  const nTets = sicn.length;
  const bad: number[] = [];
  let worst = Infinity;
  for (let t = 0; t < nTets; t++) {
    if (sicn[t] < worst) worst = sicn[t];
    if (sicn[t] < minSicn) bad.push(t);
  }
  // Surfaces per node, for the nodes of bad tets only.
  const badNode = new Uint8Array(m.nodeCount);
  for (const t of bad) for (let k = 0; k < 4; k++) badNode[m.tets[4 * t + k]] = 1;
  const surfOf = new Map<number, Set<number>>();
  const edgeSum = new Map<number, { sum: number; n: number }>();
  const nTris = m.triangles.length / 3;
  for (let i = 0; i < nTris; i++) {
    const s = m.triangleEntities[i];
    for (let k = 0; k < 3; k++) {
      const v = m.triangles[3 * i + k];
      if (!badNode[v]) continue;
      let set = surfOf.get(v);
      if (!set) surfOf.set(v, (set = new Set()));
      set.add(s);
    }
  }
  const count = new Map<number, number>();
  let interior = 0;
  for (const t of bad) {
    const touched = new Set<number>();
    for (let k = 0; k < 4; k++) for (const s of surfOf.get(m.tets[4 * t + k]) ?? []) touched.add(s);
    if (!touched.size) interior++;
    for (const s of touched) count.set(s, (count.get(s) ?? 0) + 1);
  }
  // The mesh size those surfaces have now: the mean edge of their skin triangles.
  const len = (a: number, b: number) =>
    Math.hypot(
      m.nodes[3 * a] - m.nodes[3 * b],
      m.nodes[3 * a + 1] - m.nodes[3 * b + 1],
      m.nodes[3 * a + 2] - m.nodes[3 * b + 2],
    );
  for (let i = 0; i < nTris; i++) {
    const s = m.triangleEntities[i];
    if (!count.has(s)) continue;
    const [a, b, c] = [m.triangles[3 * i], m.triangles[3 * i + 1], m.triangles[3 * i + 2]];
    const e = edgeSum.get(s) ?? { sum: 0, n: 0 };
    e.sum += len(a, b) + len(b, c) + len(c, a);
    e.n += 3;
    edgeSum.set(s, e);
  }
  const surfaces = [...count.entries()]
    .map(([tag, n]) => ({ tag, badTets: n, meanEdge: (edgeSum.get(tag)?.sum ?? 0) / (edgeSum.get(tag)?.n || 1) }))
    .sort((a, b) => b.badTets - a.badTets || a.tag - b.tag);
  return { tets: nTets, badTets: bad.length, worstSicn: nTets ? worst : 0, surfaces, interior };
}
