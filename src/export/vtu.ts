// VTK .vtu (XML UnstructuredGrid) for ParaView: the tets (linear or quadratic) with per-cell quality metrics and
// the body (CAD volume) of each cell. Raw appended binary: no base64, no compression, written in pieces.
import { measureTets, type TetMetrics } from '../quality/kernel';
import { GMSH_TO_VTK_TET10, tetCorners } from './element-order';
import type { ExportMesh } from './groups';
import { type FileSink, writeStreamed } from './sink';

const VTK_TETRA = 10;
const VTK_QUADRATIC_TETRA = 24;
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

/** `metrics`: the per-tet quality when the caller has it already (else measured here, on the corner nodes). */
export function writeVtu(path: string, mesh: ExportMesh, metrics?: TetMetrics) {
  if (!LE) throw new Error('the .vtu writer assumes a little-endian machine');
  const per = mesh.tetNodes;
  const nt = mesh.tets.length / per;
  const order = per === 10 ? GMSH_TO_VTK_TET10 : [0, 1, 2, 3];
  const T = mesh.tets;
  const q = metrics ?? measureTets(mesh.nodes, tetCorners(T, per));
  const points = typed('Points', 'Float64', 3, mesh.nodes);
  // Filled value by value (a chunk may start inside a cell), the Gmsh-to-VTK node order applied per cell.
  const conn = int64('connectivity', nt * per, (lo, from, count) => {
    let t = Math.floor(from / per);
    let k = from - t * per;
    for (let i = 0; i < count; i++) {
      lo[2 * i] = T[t * per + order[k]];
      if (++k === per) {
        k = 0;
        t++;
      }
    }
  });
  const offsets = int64('offsets', nt, (lo, from, count) => {
    for (let i = 0; i < count; i++) lo[2 * i] = (from + i + 1) * per;
  });
  const types = typed('types', 'UInt8', 1, new Uint8Array(nt).fill(per === 10 ? VTK_QUADRATIC_TETRA : VTK_TETRA));
  const cellData = [
    typed('body', 'Int32', 1, mesh.tetEntities), // the CAD volume tag: Body_<n>, or the body group of that tag
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
    out.text(`<Piece NumberOfPoints="${mesh.nodeCount}" NumberOfCells="${nt}">\n`);
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
