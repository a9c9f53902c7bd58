// ANSYS Fluent mesh file (ASCII, 3D), what Fluent's File > Read > Mesh and OpenFOAM's fluent3DMeshToFoam read. A
// face-based format: the nodes; the cells (tets; with layers, a mixed zone listing tets, prisms and pyramids), in one
// zone per body group; every cell face once (triangles and quadrangles), with the cells on its two sides (c0, toward
// which the right-hand normal of n0 n1 n2 points, and c1, 0 on the boundary), in zones: the
// interior, one boundary zone per face group, and one interior zone per face group lying inside the part (an
// interface between two bodies); last the zone names. Indices and counts are hexadecimal, zone ids in the name
// sections decimal, as the format has it. Fluent is a finite-volume solver: linear cells only (export-mesh.ts never
// hands this writer a quadratic mesh: src/contract/export-limits.ts).
import { tetDet6 } from '../mesh/tet-volume';
import { soleGroup } from './element-order';
import {
  cellBlocks,
  faceBlocks,
  TET_FACES,
  totalOf,
  type ElementBlock,
  type ExportMesh,
  type ResolvedGroup,
} from './groups';
import { type FileSink, NL, SPACE, writeStreamed } from './sink';

const FACE_MIXED = 0;
const FACE_TRIANGULAR = 3;
const CELL_MIXED = 0;
const CELL_TETRAHEDRAL = 2;
const BC_INTERIOR = 2;
const BC_WALL = 3;
/** Fluent's cell types of a mixed zone. */
const CELL_TYPE = { tet: 2, pyramid: 5, prism: 6 } as const;
/** Names no group can take (group names are identifiers, without '-'). */
const DEFAULT_FLUID = 'default-fluid';
const DEFAULT_INTERIOR = 'default-interior';
const DEFAULT_BOUNDARY = 'default-boundary';

/** The faces of each cell kind by local node, each ordered so its right-hand normal points into a positive cell. */
const INWARD_FACES: Record<'tet' | 'prism' | 'pyramid', readonly (readonly number[])[]> = {
  tet: TET_FACES,
  prism: [
    [0, 1, 2],
    [3, 5, 4],
    [0, 3, 4, 1],
    [1, 4, 5, 2],
    [2, 5, 3, 0],
  ],
  pyramid: [
    [0, 1, 2, 3],
    [0, 4, 1],
    [1, 4, 2],
    [2, 4, 3],
    [3, 4, 0],
  ],
};
const NONE = 0xffffffff;

/**
 * Every cell face (slot `base + (c - first) * faces + f` of its block), bucketed by its smallest node (CSR) with its
 * other nodes ascending beside it (`b3` NONE for a triangle; only allocated when the mesh has quadrangular faces),
 * filled in one sequential pass over the cells. `mate` pairs the faces two cells share (the other cell's slot, -1 on
 * the boundary), matched within a bucket through a chain per second node; `slotOf` finds a face's slot (one of the
 * two for an interior face); `where` gives a slot's block, cell and local face.
 */
function indexCellFaces(cells: readonly ElementBlock[], nodeCount: number) {
  const tables = cells.map((b) => INWARD_FACES[b.kind as keyof typeof INWARD_FACES]);
  const bases: number[] = [];
  let slots = 0;
  cells.forEach((b, i) => {
    bases.push(slots);
    slots += b.count * tables[i].length;
  });
  const quads = cells.some((b, i) => b.count && tables[i].some((f) => f.length === 4));
  const o = [0, 0, 0];
  /** The face's smallest node; its others ascending into `o` (o[2] NONE for a triangle). */
  const sortFace = (f: ArrayLike<number>, n: number): number => {
    let v = f[0];
    for (let j = 1; j < n; j++) if (f[j] < v) v = f[j];
    let k = 0;
    let skipped = false;
    for (let j = 0; j < n; j++) {
      if (f[j] === v && !skipped) {
        skipped = true;
        continue;
      }
      const x = f[j];
      let m = k++;
      while (m > 0 && o[m - 1] > x) {
        o[m] = o[m - 1];
        m--;
      }
      o[m] = x;
    }
    if (n === 3) o[2] = NONE;
    return v;
  };
  const f4 = [0, 0, 0, 0];
  const eachFace = (visit: (slot: number, n: number) => void) => {
    cells.forEach((b, i) => {
      const table = tables[i];
      for (let c = 0; c < b.count; c++)
        for (let k = 0; k < table.length; k++) {
          const local = table[k];
          for (let j = 0; j < local.length; j++) f4[j] = b.conn[c * b.per + local[j]];
          visit(bases[i] + c * table.length + k, local.length);
        }
    });
  };
  const start = new Uint32Array(nodeCount + 1);
  eachFace((_s, n) => start[sortFace(f4, n) + 1]++);
  let widest = 0;
  for (let v = 0; v < nodeCount; v++) {
    widest = Math.max(widest, start[v + 1]);
    start[v + 1] += start[v];
  }
  const fill = start.slice(0, nodeCount);
  const bucket = new Uint32Array(slots);
  const b1 = new Uint32Array(slots);
  const b2 = new Uint32Array(slots);
  const b3 = quads ? new Uint32Array(slots) : null;
  eachFace((s, n) => {
    const i = fill[sortFace(f4, n)]++;
    bucket[i] = s;
    b1[i] = o[0];
    b2[i] = o[1];
    if (b3) b3[i] = o[2];
  });
  const same = (i: number, j: number) => b2[i] === b2[j] && (!b3 || b3[i] === b3[j]);

  const mate = new Int32Array(slots).fill(-1);
  const paired = new Uint8Array(slots); // by bucket position: read where the chain is, not across `mate`
  const head = new Int32Array(nodeCount).fill(-1);
  const link = new Int32Array(widest);
  for (let v = 0; v < nodeCount; v++) {
    const s0 = start[v];
    const s1 = start[v + 1];
    for (let i = s0; i < s1; i++) {
      const lo = b1[i];
      let j = head[lo];
      while (j >= 0 && (!same(i, j) || paired[j])) j = link[j - s0];
      if (j >= 0) {
        paired[i] = paired[j] = 1;
        mate[bucket[i]] = bucket[j];
        mate[bucket[j]] = bucket[i];
      } else {
        link[i - s0] = head[lo];
        head[lo] = i;
      }
    }
    for (let i = s0; i < s1; i++) head[b1[i]] = -1;
  }

  const slotOf = (f: ArrayLike<number>, n: number): number => {
    const v = sortFace(f, n);
    for (let i = start[v]; i < start[v + 1]; i++)
      if (b1[i] === o[0] && b2[i] === o[1] && (b3 ? b3[i] === o[2] : n === 3)) return bucket[i];
    return -1;
  };
  const where = (s: number) => {
    let i = cells.length - 1;
    while (s < bases[i]) i--;
    const per = tables[i].length;
    const r = s - bases[i];
    const c = Math.floor(r / per);
    return { block: cells[i], cell: cells[i].first + c, local: tables[i][r - c * per], at: c * cells[i].per };
  };
  return { mate, slotOf, where, slots, quads };
}

interface Zone {
  id: number;
  type: string;
  name: string;
  first: number;
  count: number;
}

function hexLine(out: FileSink, values: number[]): void {
  values.forEach((v, i) => {
    if (i) out.char(SPACE);
    out.hex(v);
  });
}

export function writeFluent(path: string, mesh: ExportMesh, groups: readonly ResolvedGroup[], title: string) {
  const cells = cellBlocks(mesh);
  const nc = totalOf(cells);
  const X = mesh.nodes;

  // Cells, renumbered so each body group's cells are one range (Fluent's cell zones are ranges).
  const bodies = groups.filter((g) => g.spec.dim === 3);
  const cellOwner = soleGroup(nc, bodies);
  const cellZoneOf = (c: number) => (cellOwner[c] >= 0 ? cellOwner[c] : bodies.length);
  const perCellZone = new Uint32Array(bodies.length + 1);
  for (let c = 0; c < nc; c++) perCellZone[cellZoneOf(c)]++;
  const cellZones: Zone[] = [];
  let id = 2; // zone 1 holds the nodes
  let first = 1;
  [...bodies.map((g) => g.spec.name), DEFAULT_FLUID].forEach((name, z) => {
    const count = perCellZone[z];
    perCellZone[z] = first; // from here on: the next cell number of that zone
    if (!count) return;
    cellZones.push({ id: id++, type: 'fluid', name, first, count });
    first += count;
  });
  const cellOf = new Uint32Array(nc);
  for (let c = 0; c < nc; c++) cellOf[c] = perCellZone[cellZoneOf(c)]++;
  const mixed = nc > mesh.tetEntities.length; // layers: mixed cell zones and faces of 3 or 4 nodes

  // Faces: each cell face once (an interior face from its lower slot), in the zone of the face group owning it.
  const faces = indexCellFaces(cells, mesh.nodeCount);
  const { mate, slots } = faces;
  const faceGroups = groups.filter((g) => g.spec.dim === 2);
  const bounds = faceBlocks(mesh);
  const faceOwner = soleGroup(totalOf(bounds), faceGroups);
  // zone code per slot: 0 interior, 1 + 2g boundary of face group g, 2 + 2g inside it, last: boundary in no group
  const unassigned = 1 + 2 * faceGroups.length;
  const code = new Int32Array(slots).fill(-1);
  for (const b of bounds) {
    const n = b.kind === 'quad' ? 4 : 3;
    for (let k = 0; k < b.count; k++) {
      const g = faceOwner[b.first + k];
      if (g < 0) continue;
      const s = faces.slotOf(b.conn.subarray(k * b.per, k * b.per + n), n);
      if (s < 0) continue; // a face no cell has (not in a volume mesh)
      code[s] = mate[s] < 0 ? 1 + 2 * g : 2 + 2 * g;
      if (mate[s] >= 0) code[mate[s]] = code[s];
    }
  }
  const perFaceZone = new Uint32Array(unassigned + 1);
  for (let s = 0; s < slots; s++) {
    if (mate[s] >= 0 && mate[s] < s) {
      code[s] = -1; // written from its mate
      continue;
    }
    if (code[s] < 0) code[s] = mate[s] < 0 ? unassigned : 0;
    perFaceZone[code[s]]++;
  }
  const faceZoneName = (c: number) => {
    if (c === 0) return DEFAULT_INTERIOR;
    if (c === unassigned) return DEFAULT_BOUNDARY;
    const name = faceGroups[(c - 1) >> 1].spec.name;
    // a face group both on the boundary and inside: its inside part takes a distinct name
    return c % 2 === 0 && perFaceZone[c - 1] ? `${name}-interior` : name;
  };
  const faceZones: Zone[] = [];
  const faceZoneIndex = new Int32Array(unassigned + 1).fill(-1);
  first = 1;
  for (let c = 0; c <= unassigned; c++) {
    if (!perFaceZone[c]) continue;
    const type = c === 0 || (c !== unassigned && c % 2 === 0) ? 'interior' : 'wall';
    faceZoneIndex[c] = faceZones.length;
    faceZones.push({ id: id++, type, name: faceZoneName(c), first, count: perFaceZone[c] });
    first += perFaceZone[c];
  }
  const faceCount = first - 1;
  // slots in writing order (counting sort by zone)
  const next = Uint32Array.from(faceZones, (z) => z.first - 1);
  const order = new Uint32Array(faceCount);
  for (let s = 0; s < slots; s++) if (code[s] >= 0) order[next[faceZoneIndex[code[s]]]++] = s;

  // Which tets are negatively oriented: their inward face normals point out, and are turned round. (Prisms and
  // pyramids are the layers', checked positive at every corner where they are made.)
  const flip = new Uint8Array(nc);
  for (let t = 0; t < mesh.tetEntities.length; t++) if (tetDet6(X, mesh.tets, t) < 0) flip[t] = 1;

  const comment = (s: string) => `(0 "${s.replace(/[^A-Za-z0-9_.:\- ]/g, '_')}")\n`;
  return writeStreamed(path, (out) => {
    out.text(comment(title));
    out.text('(1 "MeshBench")\n(2 3)\n');
    const head = (section: number, values: number[], tail = '') => {
      out.text(`(${section} (`);
      hexLine(out, values);
      out.text(`)${tail}`);
    };
    head(10, [0, 1, mesh.nodeCount, 0, 3], ')\n');
    head(12, [0, 1, nc, 0], ')\n');
    head(13, [0, 1, faceCount, 0], ')\n');
    head(10, [1, 1, mesh.nodeCount, 1, 3], '(\n');
    for (let i = 0; i < mesh.nodeCount; i++) out.text(`${X[3 * i]} ${X[3 * i + 1]} ${X[3 * i + 2]}\n`);
    out.text('))\n');
    if (!mixed) for (const z of cellZones) head(12, [z.id, z.first, z.first + z.count - 1, 1, CELL_TETRAHEDRAL], ')\n');
    else {
      // a mixed zone lists each cell's type, in the zone's cell order
      const kinds = new Uint8Array(nc);
      for (const b of cells) kinds.fill(CELL_TYPE[b.kind as keyof typeof CELL_TYPE], b.first, b.first + b.count);
      const byNumber = new Uint8Array(nc);
      for (let c = 0; c < nc; c++) byNumber[cellOf[c] - 1] = kinds[c];
      for (const z of cellZones) {
        head(12, [z.id, z.first, z.first + z.count - 1, 1, CELL_MIXED], '(\n');
        for (let c = z.first - 1; c < z.first - 1 + z.count; c++) {
          out.hex(byNumber[c]);
          out.char((c - z.first + 2) % 16 === 0 ? NL : SPACE);
        }
        out.text('\n))\n');
      }
    }
    let k = 0;
    for (const z of faceZones) {
      const bc = z.type === 'wall' ? BC_WALL : BC_INTERIOR;
      head(13, [z.id, z.first, z.first + z.count - 1, bc, mixed ? FACE_MIXED : FACE_TRIANGULAR], '(\n');
      for (const end = k + z.count; k < end; k++) {
        const s = order[k];
        const { block, cell, local, at } = faces.where(s);
        const n = local.length;
        if (mixed) {
          out.hex(n);
          out.char(SPACE);
        }
        out.hex(block.conn[at + local[0]] + 1);
        for (let j = 1; j < n; j++) {
          out.char(SPACE);
          out.hex(block.conn[at + local[flip[cell] ? n - j : j]] + 1);
        }
        out.char(SPACE);
        out.hex(cellOf[cell]);
        out.char(SPACE);
        out.hex(mate[s] >= 0 ? cellOf[faces.where(mate[s]).cell] : 0);
        out.char(NL);
      }
      out.text('))\n');
    }
    for (const z of [...cellZones, ...faceZones]) out.text(`(39 (${z.id} ${z.type} ${z.name})())\n`);
  });
}
