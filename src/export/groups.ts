// A read mesh seen through its groups: which cells (bodies) or boundary faces (faces) each group holds, and its
// nodes. Groups name CAD entities; the mesh records the entity of every element, so a group is the union of its
// entities. Cells are numbered tets, then prisms, then pyramids (the layers' elements); faces triangles, then
// quadrangles (the layers' sides on the neighbouring faces): every writer numbers them the same way.
import type { GroupSpec, MeshGroup } from '../contract/job';
import type { MshMesh } from '../mesh/msh-reader';

/** A mesh as the writers see it: `tets` holds every node of each tet (4, or 10 in Gmsh's order). */
export type ExportMesh = Omit<MshMesh, 'tets'> & { tets: Uint32Array; tetNodes: 4 | 10 };

export function exportView(mesh: MshMesh): ExportMesh {
  const n = mesh.tetEntities.length;
  if (mesh.tetOrder !== 2) return { ...mesh, tetNodes: 4 };
  if (mesh.quadTets.length !== 10 * n) throw new Error('the mesh mixes linear and quadratic tetrahedra');
  if (mesh.prisms.length || mesh.pyramids.length) throw new Error('the mesh mixes quadratic tets and linear layers');
  return { ...mesh, tets: mesh.quadTets, tetNodes: 10 };
}

type CellKind = 'tet' | 'prism' | 'pyramid' | 'triangle' | 'quad';

/** One kind of element as a block of the writers' numbering: elements first..first+count-1. */
export interface ElementBlock {
  kind: CellKind;
  /** `per` node indices per element, Gmsh's order. */
  conn: Uint32Array;
  per: number;
  entities: Int32Array;
  first: number;
  count: number;
}

function blocks(parts: Omit<ElementBlock, 'first' | 'count'>[]): ElementBlock[] {
  let first = 0;
  return parts.map((p) => {
    const b = { ...p, first, count: p.entities.length };
    first += b.count;
    return b;
  });
}

/** The volume elements in the writers' order: tets, prisms, pyramids. */
export function cellBlocks(mesh: ExportMesh): ElementBlock[] {
  return blocks([
    { kind: 'tet', conn: mesh.tets, per: mesh.tetNodes, entities: mesh.tetEntities },
    { kind: 'prism', conn: mesh.prisms, per: 6, entities: mesh.prismEntities },
    { kind: 'pyramid', conn: mesh.pyramids, per: 5, entities: mesh.pyramidEntities },
  ]);
}

/** The boundary elements in the writers' order: triangles, quadrangles. */
export function faceBlocks(mesh: ExportMesh): ElementBlock[] {
  return blocks([
    { kind: 'triangle', conn: mesh.triangles, per: mesh.triNodes, entities: mesh.triangleEntities },
    { kind: 'quad', conn: mesh.quads, per: 4, entities: mesh.quadEntities },
  ]);
}

export const totalOf = (bs: readonly ElementBlock[]) => bs.reduce((s, b) => s + b.count, 0);

/** The block holding element `i` of the writers' numbering. */
export function blockOf(bs: readonly ElementBlock[], i: number): ElementBlock {
  for (const b of bs) if (i < b.first + b.count) return b;
  throw new RangeError(`element ${i} is past the mesh`);
}

export interface ResolvedGroup {
  spec: GroupSpec;
  /** Cell indices (dim 3) or face indices (dim 2) in the writers' numbering, ascending. */
  elements: Uint32Array;
  /** Node indices the group's elements use (all nodes, midside ones too), ascending. */
  nodes: Uint32Array;
}

/** Element indices per entity tag, by a counting sort over the entity of each element (blocks in order). */
function byEntity(bs: readonly ElementBlock[]): Map<number, Uint32Array> {
  const count = new Map<number, number>();
  for (const b of bs) for (const e of b.entities) count.set(e, (count.get(e) ?? 0) + 1);
  const out = new Map<number, Uint32Array>();
  const fill = new Map<number, number>();
  for (const [e, n] of count) {
    out.set(e, new Uint32Array(n));
    fill.set(e, 0);
  }
  for (const b of bs)
    for (let i = 0; i < b.count; i++) {
      const e = b.entities[i];
      const k = fill.get(e)!;
      out.get(e)![k] = b.first + i;
      fill.set(e, k + 1);
    }
  return out;
}

export function resolveGroups(mesh: ExportMesh, groups: readonly GroupSpec[]): ResolvedGroup[] {
  const cells = cellBlocks(mesh);
  const faces = faceBlocks(mesh);
  const cellsOf = byEntity(cells);
  const facesOf = byEntity(faces);
  const stamp = new Int32Array(mesh.nodeCount).fill(-1);
  return groups.map((spec, gi) => {
    const of = spec.dim === 3 ? cellsOf : facesOf;
    const parts = spec.tags.map((t) => of.get(t)).filter((p): p is Uint32Array => !!p);
    const n = parts.reduce((s, p) => s + p.length, 0);
    const elements = new Uint32Array(n);
    let o = 0;
    for (const p of parts) {
      elements.set(p, o);
      o += p.length;
    }
    elements.sort();
    const bs = spec.dim === 3 ? cells : faces;
    const nodes: number[] = [];
    for (let i = 0; i < elements.length; i++) {
      const b = blockOf(bs, elements[i]);
      const base = (elements[i] - b.first) * b.per;
      for (let k = 0; k < b.per; k++) {
        const v = b.conn[base + k];
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
 * The faces of each cell kind by local node, numbered as Abaqus/CalculiX number element faces (S1, S2, ...): C3D4,
 * C3D6, and the pyramid as the collapsed C3D8 the .inp writes (apex as nodes 5-8: its S2 is the apex alone, no face).
 */
const CELL_FACES: Record<'tet' | 'prism' | 'pyramid', readonly (readonly number[])[]> = {
  tet: [
    [0, 1, 2],
    [0, 3, 1],
    [1, 3, 2],
    [2, 3, 0],
  ],
  prism: [
    [0, 1, 2],
    [3, 4, 5],
    [0, 1, 4, 3],
    [1, 2, 5, 4],
    [2, 0, 3, 5],
  ],
  pyramid: [[0, 1, 2, 3], [], [0, 1, 4], [1, 2, 4], [2, 3, 4], [3, 0, 4]],
};
/** The tet's faces, each ordered so that its right-hand normal points into a positively oriented tet. */
export const TET_FACES = CELL_FACES.tet;

/**
 * For each face (triangle or quadrangle) of every face group, the cell that has it as a face and which one (its index
 * in CELL_FACES: Abaqus' S<index + 1>): what element-face surfaces are made of. -1 when no cell has it. One pass over
 * the cells for all groups.
 */
export function facesOfGroups(
  mesh: ExportMesh,
  groups: readonly ResolvedGroup[],
): Map<ResolvedGroup, { cell: Int32Array; face: Int8Array }> {
  const faceGroups = groups.filter((g) => g.spec.dim === 2);
  const fb = faceBlocks(mesh);
  const n = totalOf(fb);
  const seen = new Uint8Array(n);
  const all: number[] = [];
  for (const g of faceGroups)
    for (const k of g.elements)
      if (!seen[k]) {
        seen[k] = 1;
        all.push(k);
      }
  const wanted = Uint32Array.from(all);
  const found = cellsOfFaces(mesh, fb, wanted);
  const cellOf = new Int32Array(n).fill(-1);
  const faceOf = new Int8Array(n).fill(-1);
  for (let i = 0; i < wanted.length; i++) {
    cellOf[wanted[i]] = found.cell[i];
    faceOf[wanted[i]] = found.face[i];
  }
  return new Map(
    faceGroups.map((g) => [
      g,
      { cell: Int32Array.from(g.elements, (k) => cellOf[k]), face: Int8Array.from(g.elements, (k) => faceOf[k]) },
    ]),
  );
}

function cellsOfFaces(
  mesh: ExportMesh,
  fb: readonly ElementBlock[],
  wanted: Uint32Array,
): { cell: Int32Array; face: Int8Array } {
  // The wanted faces' corners (3, or 4 with -1 for a triangle), bucketed by their smallest corner (CSR), so each
  // cell face looks at a handful of candidates.
  const nn = mesh.nodeCount;
  const corners = new Int32Array(4 * wanted.length).fill(-1);
  const minOf = new Uint32Array(wanted.length);
  for (let k = 0; k < wanted.length; k++) {
    const b = blockOf(fb, wanted[k]);
    const base = (wanted[k] - b.first) * b.per;
    const m = b.kind === 'quad' ? 4 : 3; // corners only (a quadratic triangle's midside nodes follow them)
    let lo = Infinity;
    for (let j = 0; j < m; j++) {
      corners[4 * k + j] = b.conn[base + j];
      lo = Math.min(lo, b.conn[base + j]);
    }
    minOf[k] = lo;
  }
  const start = new Uint32Array(nn + 1);
  for (let k = 0; k < wanted.length; k++) start[minOf[k] + 1]++;
  for (let v = 0; v < nn; v++) start[v + 1] += start[v];
  const slot = start.slice(0, nn);
  const bucket = new Uint32Array(wanted.length);
  for (let k = 0; k < wanted.length; k++) bucket[slot[minOf[k]]++] = k;
  const cell = new Int32Array(wanted.length).fill(-1);
  const face = new Int8Array(wanted.length).fill(-1);
  const f = [0, 0, 0, 0];
  for (const b of cellBlocks(mesh)) {
    const table = CELL_FACES[b.kind as keyof typeof CELL_FACES];
    for (let c = 0; c < b.count; c++) {
      const base = c * b.per;
      for (let s = 0; s < table.length; s++) {
        const local = table[s];
        if (!local.length) continue;
        let m = Infinity;
        for (let j = 0; j < local.length; j++) {
          f[j] = b.conn[base + local[j]];
          if (f[j] < m) m = f[j];
        }
        const size = local.length;
        for (let q = start[m], e = start[m + 1]; q < e; q++) {
          const k = bucket[q];
          if ((corners[4 * k + 3] < 0 ? 3 : 4) !== size) continue;
          let all = true;
          for (let j = 0; j < size && all; j++) {
            const v = corners[4 * k + j];
            all = v === f[0] || v === f[1] || v === f[2] || (size === 4 && v === f[3]);
          }
          if (all) {
            cell[k] = b.first + c;
            face[k] = s;
          }
        }
      }
    }
  }
  return { cell, face };
}
