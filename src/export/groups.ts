// A read mesh seen through its groups: which tets (bodies) or triangles (faces) each group holds, and its nodes.
// Groups name CAD entities; the mesh records the entity of every element, so a group is the union of its entities.
import type { GroupSpec, MeshGroup } from '../contract/job';
import type { MshMesh } from '../mesh/msh-reader';

/** A mesh as the writers see it: `tets` holds every node of each tet (4, or 10 in Gmsh's order). */
export type ExportMesh = Omit<MshMesh, 'tets'> & { tets: Uint32Array; tetNodes: 4 | 10 };

export function exportView(mesh: MshMesh): ExportMesh {
  const n = mesh.tetEntities.length;
  if (mesh.tetOrder !== 2) return { ...mesh, tetNodes: 4 };
  if (mesh.quadTets.length !== 10 * n) throw new Error('the mesh mixes linear and quadratic tetrahedra');
  return { ...mesh, tets: mesh.quadTets, tetNodes: 10 };
}

export interface ResolvedGroup {
  spec: GroupSpec;
  /** Tet indices (dim 3) or triangle indices (dim 2), ascending. */
  elements: Uint32Array;
  /** Node indices the group's elements use (all nodes, midside ones too), ascending. */
  nodes: Uint32Array;
}

/** Element indices per entity tag, by a counting sort over the entity of each element. */
function byEntity(entities: Int32Array): Map<number, Uint32Array> {
  const count = new Map<number, number>();
  for (let i = 0; i < entities.length; i++) count.set(entities[i], (count.get(entities[i]) ?? 0) + 1);
  const out = new Map<number, Uint32Array>();
  const fill = new Map<number, number>();
  for (const [e, n] of count) {
    out.set(e, new Uint32Array(n));
    fill.set(e, 0);
  }
  for (let i = 0; i < entities.length; i++) {
    const e = entities[i];
    const k = fill.get(e)!;
    out.get(e)![k] = i;
    fill.set(e, k + 1);
  }
  return out;
}

export function resolveGroups(mesh: ExportMesh, groups: readonly GroupSpec[]): ResolvedGroup[] {
  const tetsOf = byEntity(mesh.tetEntities);
  const trisOf = byEntity(mesh.triangleEntities);
  const stamp = new Int32Array(mesh.nodeCount).fill(-1);
  return groups.map((spec, gi) => {
    const of = spec.dim === 3 ? tetsOf : trisOf;
    const parts = spec.tags.map((t) => of.get(t)).filter((p): p is Uint32Array => !!p);
    const n = parts.reduce((s, p) => s + p.length, 0);
    const elements = new Uint32Array(n);
    let o = 0;
    for (const p of parts) {
      elements.set(p, o);
      o += p.length;
    }
    elements.sort();
    const conn = spec.dim === 3 ? mesh.tets : mesh.triangles;
    const per = spec.dim === 3 ? mesh.tetNodes : mesh.triNodes;
    const nodes: number[] = [];
    for (let i = 0; i < elements.length; i++) {
      const base = elements[i] * per;
      for (let k = 0; k < per; k++) {
        const v = conn[base + k];
        if (stamp[v] !== gi) {
          stamp[v] = gi;
          nodes.push(v);
        }
      }
    }
    return { spec, elements, nodes: Uint32Array.from(nodes).sort() };
  });
}

export function groupSummary(g: ResolvedGroup): MeshGroup {
  return {
    name: g.spec.name,
    label: g.spec.label,
    dim: g.spec.dim,
    tags: g.spec.tags,
    nodes: g.nodes.length,
    elements: g.elements.length,
  };
}

/**
 * The four faces of a tet by local node (Abaqus' S1..S4), each ordered so that its right-hand normal points into a
 * positively oriented tet. facesOfGroups finds, for each triangle of a face group, the tet that has it as a face
 * and which face (0..3 in this order): what element-face surfaces (Abaqus *SURFACE, ...) are made of; -1 when none.
 */
export const TET_FACES = [
  [0, 1, 2],
  [0, 3, 1],
  [1, 3, 2],
  [2, 3, 0],
] as const;

/** facesOfTriangles for every face group at once: one pass over the tets for all of them. */
export function facesOfGroups(
  mesh: ExportMesh,
  groups: readonly ResolvedGroup[],
): Map<ResolvedGroup, { tet: Int32Array; face: Int8Array }> {
  const faces = groups.filter((g) => g.spec.dim === 2);
  const n = mesh.triangleEntities.length;
  const seen = new Uint8Array(n);
  const all: number[] = [];
  for (const g of faces)
    for (const k of g.elements)
      if (!seen[k]) {
        seen[k] = 1;
        all.push(k);
      }
  const tris = Uint32Array.from(all);
  const found = facesOfTriangles(mesh, tris);
  const tetOf = new Int32Array(n).fill(-1);
  const faceOf = new Int8Array(n).fill(-1);
  for (let i = 0; i < tris.length; i++) {
    tetOf[tris[i]] = found.tet[i];
    faceOf[tris[i]] = found.face[i];
  }
  return new Map(
    faces.map((g) => [
      g,
      { tet: Int32Array.from(g.elements, (k) => tetOf[k]), face: Int8Array.from(g.elements, (k) => faceOf[k]) },
    ]),
  );
}

function facesOfTriangles(mesh: ExportMesh, triangles: Uint32Array): { tet: Int32Array; face: Int8Array } {
  // Triangles bucketed by their smallest corner node (CSR), so each tet face looks at a handful of candidates.
  const n = mesh.nodeCount;
  const start = new Uint32Array(n + 1);
  const tri = mesh.triangles;
  const tp = mesh.triNodes;
  const minOf = (i: number) => Math.min(tri[i * tp], tri[i * tp + 1], tri[i * tp + 2]);
  for (let k = 0; k < triangles.length; k++) start[minOf(triangles[k]) + 1]++;
  for (let v = 0; v < n; v++) start[v + 1] += start[v];
  const slot = start.slice(0, n);
  const bucket = new Uint32Array(triangles.length);
  for (let k = 0; k < triangles.length; k++) bucket[slot[minOf(triangles[k])]++] = k;
  const tet = new Int32Array(triangles.length).fill(-1);
  const face = new Int8Array(triangles.length).fill(-1);
  const T = mesh.tets;
  const per = mesh.tetNodes;
  for (let t = 0, nt = mesh.tetEntities.length; t < nt; t++) {
    const b = t * per;
    for (let f = 0; f < 4; f++) {
      const a = T[b + TET_FACES[f][0]],
        c = T[b + TET_FACES[f][1]],
        d = T[b + TET_FACES[f][2]];
      const m = a < c ? (a < d ? a : d) : c < d ? c : d;
      for (let s = start[m], e = start[m + 1]; s < e; s++) {
        const k = bucket[s];
        const i = triangles[k] * tp;
        const x = tri[i],
          y = tri[i + 1],
          z = tri[i + 2];
        if ((x === a || x === c || x === d) && (y === a || y === c || y === d) && (z === a || z === c || z === d)) {
          tet[k] = t;
          face[k] = f;
        }
      }
    }
  }
  return { tet, face };
}
