// VTK .vtu (XML UnstructuredGrid) for ParaView: the tets (linear or quadratic), a layer's wedges and pyramids, with
// per-cell quality metrics and the body (CAD volume) of each cell. Raw appended binary: no base64, no compression, written in pieces.
import { measureTets, type TetMetrics } from '../quality/kernel';
import { measurePrisms, measurePyramids } from '../quality/prism-pyramid';
import { GMSH_TO_VTK_TET10, GMSH_TO_VTK_WEDGE, tetCorners } from './element-order';
import { blockOf, cellBlocks, totalOf, type ElementBlock, type ExportMesh } from './groups';
import { type FileSink, writeStreamed } from './sink';

const VTK_TETRA = 10;
const VTK_QUADRATIC_TETRA = 24;
const VTK_WEDGE = 13;
const VTK_PYRAMID = 14;
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface Arr {
  name: string;
  type: 'Float64' | 'Int64' | 'UInt8' | 'Int32';
  comps: number;
  bytes: number;
  write(sink: FileSink): void;
}

/** A typed array as raw little-endian bytes, in slices so no second full copy is made. */
function typed(name: string, type: Arr['type'], comps: number, data: Float64Array | Int32Array | Uint8Array): Arr {
  return {
    name,
    type,
    comps,
    bytes: data.byteLength,
    write: (s) => s.binary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
  };
}
/** An Int64 array produced in chunks: `fill(lo, from, count)` sets the low words lo[2i] of values from..from+count. */
function int64(name: string, n: number, fill: (lo: Uint32Array, from: number, count: number) => void): Arr {
  return {
    name,
    type: 'Int64',
    comps: 1,
    bytes: 8 * n,
    write: (s) => {
      const CH = 1 << 16;
      const buf = new Uint32Array(2 * Math.min(CH, n)); // little-endian int64: low word, then a zero high word
      for (let a = 0; a < n; a += CH) {
        const m = Math.min(CH, n - a);
        fill(buf, a, m);
        s.binary(new Uint8Array(buf.buffer, 0, 8 * m));
      }
    },
  };
}

/** VTK cell type and Gmsh-to-VTK node order of each kind. */
const VTK_CELL = {
  tet: { type: VTK_TETRA, order: [0, 1, 2, 3] },
  tet10: { type: VTK_QUADRATIC_TETRA, order: GMSH_TO_VTK_TET10 },
  prism: { type: VTK_WEDGE, order: GMSH_TO_VTK_WEDGE },
  pyramid: { type: VTK_PYRAMID, order: [0, 1, 2, 3, 4] },
} as const;
const vtkCell = (b: ElementBlock) => VTK_CELL[b.per === 10 ? 'tet10' : (b.kind as 'tet')];

/**
 * The per-cell quality arrays: the tets' metrics, Gmsh's ICN and gamma for prisms and its ICN for pyramids, NaN
 * where Gmsh defines no such metric for the kind (ParaView leaves NaN out of its ranges).
 */
function cellMetrics(
  mesh: ExportMesh,
  cells: readonly ElementBlock[],
  tets: TetMetrics,
): Record<keyof TetMetrics, Float64Array> {
  const [t, p, y] = cells;
  if (!p.count && !y.count) return tets;
  const n = totalOf(cells);
  const prisms = measurePrisms(mesh.nodes, mesh.prisms);
  const full = (of: Float64Array, prism?: Float64Array, pyramid?: Float64Array) => {
    const a = new Float64Array(n).fill(NaN);
    a.set(of, t.first);
    if (prism) a.set(prism, p.first);
    if (pyramid) a.set(pyramid, y.first);
    return a;
  };
  return {
    sicn: full(tets.sicn, prisms.sicn, measurePyramids(mesh.nodes, mesh.pyramids)),
    gamma: full(tets.gamma, prisms.gamma),
    aspectRatio: full(tets.aspectRatio),
    minDihedralDeg: full(tets.minDihedralDeg),
    skewness: full(tets.skewness),
  };
}

/** `metrics`: the per-tet quality when the caller has it already (else measured here, on the corner nodes). */
export function writeVtu(path: string, mesh: ExportMesh, metrics?: TetMetrics) {
  if (!LE) throw new Error('the .vtu writer assumes a little-endian machine');
  const cells = cellBlocks(mesh);
  const nc = totalOf(cells);
  const values = cells.reduce((s, b) => s + b.count * b.per, 0);
  const q = cellMetrics(mesh, cells, metrics ?? measureTets(mesh.nodes, tetCorners(mesh.tets, mesh.tetNodes)));
  const points = typed('Points', 'Float64', 3, mesh.nodes);
  // Filled value by value (a chunk may start inside a cell), the Gmsh-to-VTK node order applied per cell: a cursor
  // over the blocks that the chunks, asked for in order, carry on.
  const orders = cells.map((b) => vtkCell(b).order);
  let bi = 0,
    c = 0,
    k = 0;
  const conn = int64('connectivity', values, (lo, from, count) => {
    if (from === 0) bi = c = k = 0;
    for (let i = 0; i < count; i++) {
      while (c === cells[bi].count) {
        bi++;
        c = 0;
      }
      const b = cells[bi];
      lo[2 * i] = b.conn[c * b.per + orders[bi][k]];
      if (++k === b.per) {
        k = 0;
        c++;
      }
    }
  });
  const ends = new Float64Array(cells.length); // values before each block
  for (let i = 1; i < cells.length; i++) ends[i] = ends[i - 1] + cells[i - 1].count * cells[i - 1].per;
  const offsets = int64('offsets', nc, (lo, from, count) => {
    for (let i = 0; i < count; i++) {
      const b = blockOf(cells, from + i);
      lo[2 * i] = ends[cells.indexOf(b)] + (from + i - b.first + 1) * b.per;
    }
  });
  const kinds = new Uint8Array(nc);
  for (const b of cells) kinds.fill(vtkCell(b).type, b.first, b.first + b.count);
  const types = typed('types', 'UInt8', 1, kinds);
  const body = new Int32Array(nc);
  for (const b of cells) body.set(b.entities, b.first);
  const cellData = [
    typed('body', 'Int32', 1, body), // the CAD volume tag: Body_<n>, or the body group of that tag
    typed('sicn', 'Float64', 1, q.sicn),
    typed('gamma', 'Float64', 1, q.gamma),
    typed('aspect_ratio', 'Float64', 1, q.aspectRatio),
    typed('min_dihedral_deg', 'Float64', 1, q.minDihedralDeg),
    typed('skewness', 'Float64', 1, q.skewness),
  ];
  const all = [points, conn, offsets, types, ...cellData];
  let offset = 0;
  const da = (a: Arr) => {
    const s = `<DataArray type="${a.type}" Name="${a.name}"${a.comps > 1 ? ` NumberOfComponents="${a.comps}"` : ''} format="appended" offset="${offset}"/>`;
    offset += 8 + a.bytes;
    return s;
  };
  return writeStreamed(path, (out) => {
    out.text(
      '<?xml version="1.0"?>\n<VTKFile type="UnstructuredGrid" version="1.0" byte_order="LittleEndian" header_type="UInt64">\n<UnstructuredGrid>\n',
    );
    out.text(`<Piece NumberOfPoints="${mesh.nodeCount}" NumberOfCells="${nc}">\n`);
    out.text(`<Points>\n${da(points)}\n</Points>\n<Cells>\n${da(conn)}\n${da(offsets)}\n${da(types)}\n</Cells>\n`);
    out.text(`<CellData Scalars="sicn">\n${cellData.map(da).join('\n')}\n</CellData>\n`);
    out.text('</Piece>\n</UnstructuredGrid>\n<AppendedData encoding="raw">\n_');
    for (const a of all) {
      const head = new BigUint64Array([BigInt(a.bytes)]);
      out.binary(new Uint8Array(head.buffer));
      a.write(out);
    }
    out.text('\n</AppendedData>\n</VTKFile>\n');
  });
}
