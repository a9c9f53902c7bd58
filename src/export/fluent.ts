// ANSYS Fluent mesh file (ASCII, 3D), what Fluent's File > Read > Mesh and OpenFOAM's fluent3DMeshToFoam read. A
// face-based format: the nodes; the cells, in one zone per body group; every tet face once, with the cells on its
// two sides (c0, toward which the right-hand normal of n0 n1 n2 points, and c1, 0 on the boundary), in zones: the
// interior, one boundary zone per face group, and one interior zone per face group lying inside the part (an
// interface between two bodies); last the zone names. Indices and counts are hexadecimal, zone ids in the name
// sections decimal, as the format has it. Fluent is a finite-volume solver: linear cells only (export-mesh.ts never
// hands this writer a quadratic mesh: src/contract/export-limits.ts).
import { tetDet6 } from '../mesh/tet-volume';
import { soleGroup } from './element-order';
import { TET_FACES, type ExportMesh, type ResolvedGroup } from './groups';
import { type FileSink, NL, SPACE, writeStreamed } from './sink';

const FACE_TRIANGULAR = 3;
const CELL_TETRAHEDRAL = 2;
const BC_INTERIOR = 2;
const BC_WALL = 3;
/** Names no group can take (group names are identifiers, without '-'). */
const DEFAULT_FLUID = 'default-fluid';
const DEFAULT_INTERIOR = 'default-interior';
const DEFAULT_BOUNDARY = 'default-boundary';

/**
 * Every tet face (slot 4t+f, f in TET_FACES order), bucketed by its smallest node (CSR) with its other two nodes
 * (lo < hi) beside it, filled in one sequential pass over the tets. `mate` pairs the faces two tets share (the other
 * tet's slot, -1 on the boundary), matched within a bucket through a chain per `lo`; `slotOf` finds a triangle's
 * slot (one of the two for an interior face).
 */
function indexTetFaces(tets: Uint32Array, nodeCount: number) {
  const nt = tets.length / 4;
  const start = new Uint32Array(nodeCount + 1);
  const min3 = (x: number, y: number, z: number) => (x < y ? (x < z ? x : z) : y < z ? y : z);
  for (let t = 0; t < nt; t++)
    for (const f of TET_FACES) start[min3(tets[4 * t + f[0]], tets[4 * t + f[1]], tets[4 * t + f[2]]) + 1]++;
  let widest = 0;
  for (let v = 0; v < nodeCount; v++) {
    widest = Math.max(widest, start[v + 1]);
    start[v + 1] += start[v];
  }
  const fill = start.slice(0, nodeCount);
  const bucket = new Uint32Array(4 * nt);
  const bLo = new Uint32Array(4 * nt);
  const bHi = new Uint32Array(4 * nt);
  for (let t = 0; t < nt; t++)
    for (let f = 0; f < 4; f++) {
      const x = tets[4 * t + TET_FACES[f][0]],
        y = tets[4 * t + TET_FACES[f][1]],
        z = tets[4 * t + TET_FACES[f][2]];
      const v = min3(x, y, z);
      const p = x === v ? y : x;
      const q = x === v || y === v ? z : y;
      const i = fill[v]++;
      bucket[i] = 4 * t + f;
      bLo[i] = p < q ? p : q;
      bHi[i] = p < q ? q : p;
    }

  const mate = new Int32Array(4 * nt).fill(-1);
  const paired = new Uint8Array(4 * nt); // by bucket position: read where the chain is, not across `mate`
  const head = new Int32Array(nodeCount).fill(-1);
  const link = new Int32Array(widest);
  for (let v = 0; v < nodeCount; v++) {
    const s0 = start[v];
    const s1 = start[v + 1];
    for (let i = s0; i < s1; i++) {
      const lo = bLo[i];
      let j = head[lo];
      while (j >= 0 && (bHi[j] !== bHi[i] || paired[j])) j = link[j - s0];
      if (j >= 0) {
        paired[i] = paired[j] = 1;
        mate[bucket[i]] = bucket[j];
        mate[bucket[j]] = bucket[i];
      } else {
        link[i - s0] = head[lo];
        head[lo] = i;
      }
    }
    for (let i = s0; i < s1; i++) head[bLo[i]] = -1;
  }

  const slotOf = (a: number, b: number, c: number): number => {
    const v = min3(a, b, c);
    const p = a === v ? b : a;
    const q = a === v || b === v ? c : b;
    const lo = p < q ? p : q;
    const hi = p < q ? q : p;
    for (let i = start[v]; i < start[v + 1]; i++) if (bLo[i] === lo && bHi[i] === hi) return bucket[i];
    return -1;
  };
  return { mate, slotOf };
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
  if (mesh.prisms.length || mesh.pyramids.length)
    throw new Error('the Fluent writer does not yet write prisms and pyramids: export msh22 or unv for a layered mesh');
  const nt = mesh.tetEntities.length;
  const T = mesh.tets;
  const X = mesh.nodes;

  // Cells, renumbered so each body group's cells are one range (Fluent's cell zones are ranges).
  const bodies = groups.filter((g) => g.spec.dim === 3);
  const tetOwner = soleGroup(nt, bodies);
  const cellZoneOf = (t: number) => (tetOwner[t] >= 0 ? tetOwner[t] : bodies.length);
  const perCellZone = new Uint32Array(bodies.length + 1);
  for (let t = 0; t < nt; t++) perCellZone[cellZoneOf(t)]++;
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
  const cellOf = new Uint32Array(nt);
  for (let t = 0; t < nt; t++) cellOf[t] = perCellZone[cellZoneOf(t)]++;

  // Faces: each tet face once (an interior face from its lower slot), in the zone of the face group owning it.
  const faces = indexTetFaces(T, mesh.nodeCount);
  const mate = faces.mate;
  const faceGroups = groups.filter((g) => g.spec.dim === 2);
  const triOwner = soleGroup(mesh.triangleEntities.length, faceGroups);
  // zone code per slot: 0 interior, 1 + 2g boundary of face group g, 2 + 2g inside it, last: boundary in no group
  const unassigned = 1 + 2 * faceGroups.length;
  const code = new Int32Array(4 * nt).fill(-1);
  const tri = mesh.triangles;
  const tp = mesh.triNodes;
  for (let k = 0; k < triOwner.length; k++) {
    const g = triOwner[k];
    if (g < 0) continue;
    const s = faces.slotOf(tri[k * tp], tri[k * tp + 1], tri[k * tp + 2]);
    if (s < 0) continue; // a triangle no tet has (not in a volume mesh)
    code[s] = mate[s] < 0 ? 1 + 2 * g : 2 + 2 * g;
    if (mate[s] >= 0) code[mate[s]] = code[s];
  }
  const perFaceZone = new Uint32Array(unassigned + 1);
  for (let s = 0; s < 4 * nt; s++) {
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
  for (let s = 0; s < 4 * nt; s++) if (code[s] >= 0) order[next[faceZoneIndex[code[s]]]++] = s;

  // Which tets are negatively oriented: their TET_FACES normals point out, not in, and are turned round.
  const flip = new Uint8Array(nt);
  for (let t = 0; t < nt; t++) if (tetDet6(X, T, t) < 0) flip[t] = 1;

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
    head(12, [0, 1, nt, 0], ')\n');
    head(13, [0, 1, faceCount, 0], ')\n');
    head(10, [1, 1, mesh.nodeCount, 1, 3], '(\n');
    for (let i = 0; i < mesh.nodeCount; i++) out.text(`${X[3 * i]} ${X[3 * i + 1]} ${X[3 * i + 2]}\n`);
    out.text('))\n');
    for (const z of cellZones) head(12, [z.id, z.first, z.first + z.count - 1, 1, CELL_TETRAHEDRAL], ')\n');
    let k = 0;
    for (const z of faceZones) {
      const bc = z.type === 'wall' ? BC_WALL : BC_INTERIOR;
      head(13, [z.id, z.first, z.first + z.count - 1, bc, FACE_TRIANGULAR], '(\n');
      for (const end = k + z.count; k < end; k++) {
        const s = order[k];
        const t = s >>> 2;
        const f = TET_FACES[s & 3];
        const b = 4 * t;
        out.hex(T[b + f[0]] + 1);
        out.char(SPACE);
        out.hex(T[b + f[flip[t] ? 2 : 1]] + 1);
        out.char(SPACE);
        out.hex(T[b + f[flip[t] ? 1 : 2]] + 1);
        out.char(SPACE);
        out.hex(cellOf[t]);
        out.char(SPACE);
        out.hex(mate[s] >= 0 ? cellOf[mate[s] >>> 2] : 0);
        out.char(NL);
      }
      out.text('))\n');
    }
    for (const z of [...cellZones, ...faceZones]) out.text(`(39 (${z.id} ${z.type} ${z.name})())\n`);
  });
}
