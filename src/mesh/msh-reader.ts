// Gmsh .msh 4.1 reader (ASCII and binary, either byte order, data size 8).
// Single pass over the bytes into typed arrays: binary blocks are read through Uint32/Float64 views on the file
// buffer (copied first when unaligned or in the other byte order), ASCII through a byte-level tokenizer.
// Only what the engine needs is kept: nodes, tetrahedra (corner nodes), triangles (corner nodes), the linear prisms,
// pyramids and quadrangles boundary layers make, counts, entities; lines and points only when asked (`all`).
import { readFileSync } from 'node:fs';
import {
  KIND_LINE,
  KIND_OTHER,
  KIND_POINT,
  KIND_PRISM,
  KIND_PYRAMID,
  KIND_QUAD,
  KIND_TET,
  KIND_TRIANGLE,
  kindOfType,
  nodesPerType,
} from './element-types';

export class MeshFormatError extends Error {
  override name = 'MeshFormatError';
}

export interface MshMesh {
  nodeCount: number;
  /** xyz per node, compact 0-based order (file order). */
  nodes: Float64Array;
  /** 4 corner node indices per tetrahedron; types 4 (linear) and 11 (quadratic, corners only). */
  tets: Uint32Array;
  /** The CAD volume (Gmsh entity tag) each tet belongs to. */
  tetEntities: Int32Array;
  /** Gmsh element tag of each tet. */
  tetTags: Float64Array;
  tetOrder: 1 | 2 | 0;
  /** All 10 node indices of each quadratic tet (Gmsh order: corners, then edges 01 12 20 30 32 31). */
  quadTets: Uint32Array;
  /** Index into `tets` of each quadratic tet (blocks of linear and quadratic tets may interleave). */
  quadTetIndex: Uint32Array;
  /** `triNodes` node indices per triangle: the 3 corners (corners come first in Gmsh's ordering), or all 6 with `full`. */
  triangles: Uint32Array;
  triNodes: 3 | 6;
  triangleEntities: Int32Array;
  /** Linear prisms (Gmsh type 6), 6 nodes each in Gmsh's order: bottom triangle 0 1 2, top 3 4 5. */
  prisms: Uint32Array;
  prismEntities: Int32Array;
  prismTags: Float64Array;
  /** Linear pyramids (type 7), 5 nodes each: base quadrangle 0 1 2 3, apex 4. */
  pyramids: Uint32Array;
  pyramidEntities: Int32Array;
  pyramidTags: Float64Array;
  /** Linear quadrangles (type 3) on surfaces: the sides of prism layers on faces that have none. */
  quads: Uint32Array;
  quadEntities: Int32Array;
  /**
   * Element tags [first, last] of the boundary-layer elements MeshBench wrote (its `$MeshBenchLayers` section, which
   * other readers skip), or null. Tets in that range are layer elements, judged like the prisms.
   */
  layerTags: [number, number] | null;
  counts: {
    tetrahedra: number;
    triangles: number;
    lines: number;
    points: number;
    other: number;
    prisms: number;
    pyramids: number;
    quadrangles: number;
  };
  entities: { points: number; curves: number; surfaces: number; volumes: number };
  /** $PhysicalNames: the named groups, with the surfaces (dim 2) or volumes (dim 3) $Entities puts in each. */
  physicals: { dim: number; tag: number; name: string; entities: number[] }[];
  /** Each volume of $Entities with its bounding surfaces, signed by their orientation in the volume's shell. */
  volumeFaces: { tag: number; faces: number[] }[];
  /** Each surface of $Entities with its bounding curves, signed (a seam appears twice, once each way). */
  surfaceCurves: { tag: number; curves: number[]; box: Box6 }[];
  /** Each curve of $Entities with its end points (a closed curve: its one point, or none). */
  curvePoints: { tag: number; points: number[]; box: Box6 }[];
  /** Each point of $Entities with its position. */
  pointPositions: { tag: number; xyz: [number, number, number] }[];
  bbox: { min: [number, number, number]; max: [number, number, number] };
  /** With opts.all: what rewriting the file needs besides the elements above (see src/layers/). */
  all?: MshExtras;
}

/** An axis-aligned box: min x y z, max x y z. */
export type Box6 = [number, number, number, number, number, number];

/** Lines and points with their entities, and the $Entities/$PhysicalNames sections as the file has them. */
export interface MshExtras {
  lines: Uint32Array;
  lineEntities: Int32Array;
  points: Uint32Array;
  pointEntities: Int32Array;
  /** The $Nodes blocks: each entity's nodes are `count` consecutive indices from `first`. */
  nodeBlocks: { dim: number; tag: number; first: number; count: number }[];
  binary: boolean;
  littleEndian: boolean;
  /** Section contents between the header line and the `$End` line, byte for byte (binary ones too). */
  sections: { Entities?: Uint8Array; PhysicalNames?: Uint8Array };
}

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const TWO32 = 4294967296;
/** Node-tag lookups use a dense table while the tag range stays within this factor of the node count. */
const DENSE_FACTOR = 4;

interface TetChunk {
  nodes: Uint32Array;
  tags: Float64Array;
  ents: Int32Array;
}
interface QuadChunk {
  nodes: Uint32Array;
  /** index in `tets` of the chunk's first tet */
  first: number;
}
interface TriChunk {
  nodes: Uint32Array;
  ents: Int32Array;
}
/** Elements of one kind kept with their tags (prisms, pyramids) or without (quads, lines, points). */
interface KindChunk {
  nodes: Uint32Array;
  tags: Float64Array;
  ents: Int32Array;
}
/** Nodes kept per element of each kind stored as KindChunks. */
const KEEP: Record<number, number> = {
  [KIND_PRISM]: 6,
  [KIND_PYRAMID]: 5,
  [KIND_QUAD]: 4,
  [KIND_LINE]: 2,
  [KIND_POINT]: 1,
};

class Parser {
  private readonly buf: Buffer;
  private readonly n: number;
  private pos = 0;
  private binary = false;
  private fileLE = true;
  private readonly dv: DataView;
  private section = 'the $MeshFormat header';

  // node tag -> compact index
  private dense: Int32Array | null = null;
  private denseBase = 0;
  /** True while every node tag so far equals denseBase + its index (Gmsh's usual numbering): no table lookups. */
  private identity = true;
  private sparse: Map<number, number> | null = null;

  nodes = new Float64Array(0);
  nodeCount = 0;
  haveNodes = false;
  haveElements = false;
  entities = { points: 0, curves: 0, surfaces: 0, volumes: 0 };
  counts = { tetrahedra: 0, triangles: 0, lines: 0, points: 0, other: 0, prisms: 0, pyramids: 0, quadrangles: 0 };
  kindChunks = new Map<number, KindChunk[]>();
  layerTags: [number, number] | null = null;
  rawSections: MshExtras['sections'] = {};
  nodeBlocks: MshExtras['nodeBlocks'] = [];
  tetChunks: TetChunk[] = [];
  quadChunks: QuadChunk[] = [];
  triChunks: TriChunk[] = [];
  tetOrder: 0 | 1 | 2 = 0;
  triNodes: 3 | 6 = 3;

  constructor(
    data: Uint8Array,
    private readonly file: string,
    /** Keep every node of quadratic triangles (exports), not just the corners (quality, skin). */
    private readonly full = false,
    /** Keep lines, points and the raw $Entities/$PhysicalNames too (rewriting the file). */
    readonly all = false,
  ) {
    this.buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.n = data.byteLength;
    this.dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  fail(why: string): never {
    throw new MeshFormatError(`${this.file}: ${why}`);
  }
  private truncated(): never {
    this.fail(`file is truncated (it ends inside ${this.section})`);
  }

  // ---- text-level helpers (headers exist in both encodings) ----
  private skipSpace(): void {
    const b = this.buf;
    while (this.pos < this.n && b[this.pos] <= 32) this.pos++;
  }
  private line(): string {
    const end = this.buf.indexOf(10, this.pos);
    const stop = end < 0 ? this.n : end;
    const s = this.buf.toString('latin1', this.pos, stop).trim();
    this.pos = end < 0 ? this.n : end + 1;
    return s;
  }
  private nextSection(): string | null {
    this.skipSpace();
    if (this.pos >= this.n) return null;
    if (this.buf[this.pos] !== 36 /* $ */)
      this.fail(`unexpected content at byte ${this.pos} (expected a $Section header)`);
    return this.line().slice(1);
  }
  private expectEnd(name: string): void {
    this.skipSpace();
    if (this.pos >= this.n) this.truncated();
    const got = this.line();
    if (got !== `$End${name}`) this.fail(`expected $End${name} in ${this.section}, found "${got.slice(0, 40)}"`);
  }
  private skipSection(name: string): void {
    const end = this.buf.indexOf(`$End${name}`, this.pos, 'latin1');
    if (end < 0) this.truncated();
    this.pos = end;
    this.line();
  }

  // ---- ASCII tokens ----
  private int(): number {
    const b = this.buf;
    let p = this.pos;
    while (p < this.n && b[p] <= 32) p++;
    if (p >= this.n) this.truncated();
    let neg = false;
    if (b[p] === 45) {
      neg = true;
      p++;
    }
    let v = 0;
    const start = p;
    let c = b[p];
    while (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      c = b[++p];
    }
    if (p === start || (c !== undefined && c > 32))
      this.fail(`expected an integer in ${this.section} at byte ${start}`);
    this.pos = p;
    return neg ? -v : v;
  }
  private float(): number {
    const b = this.buf;
    let p = this.pos;
    while (p < this.n && b[p] <= 32) p++;
    if (p >= this.n) this.truncated();
    const start = p;
    // Clinger's fast path: an integer mantissa < 2^53 scaled by an exact power of ten (|e| <= 22) is correctly
    // rounded by one multiplication or division; anything else goes to the JS number parser.
    let neg = false;
    let c = b[p];
    if (c === 45 || c === 43) {
      neg = c === 45;
      c = b[++p];
    }
    let mant = 0;
    let digits = 0;
    let exp = 0;
    while (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      c = b[++p];
    }
    if (c === 46) {
      c = b[++p];
      while (c >= 48 && c <= 57) {
        mant = mant * 10 + (c - 48);
        digits++;
        exp--;
        c = b[++p];
      }
    }
    if (c === 101 || c === 69) {
      c = b[++p];
      let eneg = false;
      if (c === 45 || c === 43) {
        eneg = c === 45;
        c = b[++p];
      }
      let e = 0;
      let ed = 0;
      while (c >= 48 && c <= 57) {
        e = e * 10 + (c - 48);
        ed++;
        c = b[++p];
      }
      if (ed === 0) return this.slowFloat(start);
      exp += eneg ? -e : e;
    }
    if (c !== undefined && c > 32) return this.slowFloat(start);
    if (digits === 0) this.fail(`expected a number in ${this.section} at byte ${start}`);
    this.pos = p;
    if (digits > 15 || exp > 22 || exp < -22) return this.slowFloat(start);
    const v = exp >= 0 ? mant * POW10[exp] : mant / POW10[-exp];
    return neg ? -v : v;
  }
  private slowFloat(start: number): number {
    const b = this.buf;
    let p = start;
    while (p < this.n && b[p] > 32) p++;
    const text = b.toString('latin1', start, p);
    const v = Number(text);
    if (Number.isNaN(v) && text !== 'nan' && text !== 'NaN')
      this.fail(`expected a number in ${this.section}, found "${text.slice(0, 30)}"`);
    this.pos = p;
    return v;
  }

  // ---- binary ----
  private need(bytes: number): void {
    if (!(this.pos + bytes <= this.n)) this.truncated();
  }
  private i32(): number {
    this.need(4);
    const v = this.dv.getInt32(this.pos, this.fileLE);
    this.pos += 4;
    return v;
  }
  private u64(): number {
    this.need(8);
    const lo = this.dv.getUint32(this.pos + (this.fileLE ? 0 : 4), this.fileLE);
    const hi = this.dv.getUint32(this.pos + (this.fileLE ? 4 : 0), this.fileLE);
    this.pos += 8;
    return lo + hi * TWO32;
  }
  /**
   * `count` size_t values starting at byte `at`, as (lo, hi) uint32 pairs in host order. A view on the file when it
   * is aligned and in host byte order, else a copy into a reused scratch buffer (so callers must work in chunks and
   * not keep the result): binary blocks start at arbitrary offsets, and allocating a fresh copy of a 30 MB block
   * costs more than parsing it.
   */
  private words(at: number, count: number): Uint32Array {
    const off = this.buf.byteOffset + at;
    if (this.fileLE === HOST_LE && (off & 3) === 0) return new Uint32Array(this.buf.buffer, off, count * 2);
    if (this.scratch.length < count * 2) this.scratch = new Uint32Array(Math.max(count * 2, 1 << 16));
    const out = this.scratch;
    if (this.fileLE === HOST_LE) {
      new Uint8Array(out.buffer, 0, count * 8).set(this.buf.subarray(at, at + count * 8));
    } else {
      const le = this.fileLE;
      for (let i = 0, o = at; i < count; i++, o += 8) {
        out[2 * i] = this.dv.getUint32(o + (le ? 0 : 4), le);
        out[2 * i + 1] = this.dv.getUint32(o + (le ? 4 : 0), le);
      }
    }
    return out;
  }
  private scratch = new Uint32Array(0);
  private size(): number {
    return this.binary ? this.u64() : this.int();
  }

  // ---- sections ----
  header(): void {
    let p = 0;
    if (this.n === 0) this.fail('the file is empty');
    if (this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) p = 3; // UTF-8 BOM
    while (p < this.n && this.buf[p] <= 32) p++;
    if (this.buf.toString('latin1', p, p + 11) !== '$MeshFormat') {
      this.fail('not a Gmsh .msh file (it does not start with $MeshFormat)');
    }
    this.pos = p;
    this.line();
    const [version, fileType, dataSize] = this.line().split(/\s+/);
    if (version === undefined || version === '') this.truncated();
    if (/^[123]\./.test(version) || version === '4' || version === '4.0') {
      this.fail(
        `msh ${version} is not supported: re-export as 4.1 (gmsh FILE -format msh41, or Mesh.MshFileVersion = 4.1)`,
      );
    }
    if (version !== '4.1') this.fail(`msh version "${version.slice(0, 20)}" is not supported: expected 4.1`);
    if (fileType !== '0' && fileType !== '1')
      this.fail(`unknown file type "${fileType}" in $MeshFormat (expected 0 = ASCII or 1 = binary)`);
    if (dataSize !== '8')
      this.fail(`data size ${dataSize} is not supported (only 8-byte size_t, what 64-bit Gmsh writes)`);
    this.binary = fileType === '1';
    if (this.binary) {
      this.need(4);
      if (this.dv.getInt32(this.pos, true) === 1) this.fileLE = true;
      else if (this.dv.getInt32(this.pos, false) === 1) this.fileLE = false;
      else this.fail('bad byte-order marker in binary $MeshFormat');
      this.pos += 4;
      this.line();
    }
    this.expectEnd('MeshFormat');
  }

  body(): void {
    for (let name = this.nextSection(); name !== null; name = this.nextSection()) {
      this.section = `$${name}`;
      if (name === 'Entities') this.readEntities();
      else if (name === 'PhysicalNames') this.readPhysicalNames();
      else if (name === 'Nodes') this.readNodes();
      else if (name === 'Elements') this.readElements();
      else if (name === 'MeshBenchLayers') this.readLayerMarker();
      else this.skipSection(name);
    }
    if (!this.haveNodes) this.fail('no $Nodes section: not a complete mesh');
    if (!this.haveElements) this.fail('no $Elements section: not a complete mesh');
  }

  /** Content bytes of the section that starts at `from` (just after its header line), up to its `$End` line. */
  private keepRaw(name: 'Entities' | 'PhysicalNames', from: number): void {
    if (!this.all) return;
    const end = this.buf.lastIndexOf(`$End${name}`, this.pos, 'latin1');
    this.rawSections[name] = Uint8Array.prototype.slice.call(this.buf, from, end);
  }

  private readLayerMarker(): void {
    const m = /^(\d+)\s+(\d+)$/.exec(this.line());
    if (!m) this.fail('bad line in $MeshBenchLayers (expected the first and last layer element tags)');
    this.layerTags = [Number(m[1]), Number(m[2])];
    this.expectEnd('MeshBenchLayers');
  }

  private readEntities(): void {
    const from = this.pos;
    const np = this.size();
    const nc = this.size();
    const ns = this.size();
    const nv = this.size();
    this.entities = { points: np, curves: nc, surfaces: ns, volumes: nv };
    // Walk the records (binary content is never mistaken for the end marker), keeping the physical tags of
    // surfaces and volumes.
    const ints = (n: number) => {
      const v: number[] = [];
      for (let k = 0; k < n; k++) v.push(this.binary ? this.i32() : this.int());
      return v;
    };
    const f64 = () => {
      if (!this.binary) return this.float();
      this.need(8);
      const v = this.dv.getFloat64(this.pos, this.fileLE);
      this.pos += 8;
      return v;
    };
    for (let i = 0; i < np; i++) {
      const tag = this.binary ? this.i32() : this.int();
      this.pointPositions.push({ tag, xyz: [f64(), f64(), f64()] });
      ints(this.size());
    }
    for (let d = 1; d <= 3; d++) {
      const n = d === 1 ? nc : d === 2 ? ns : nv;
      for (let i = 0; i < n; i++) {
        const tag = this.binary ? this.i32() : this.int();
        const box: Box6 = [f64(), f64(), f64(), f64(), f64(), f64()];
        const phys = ints(this.size());
        if (d >= 2) for (const p of phys) this.entityPhysicals.push([d, Math.abs(p), tag]);
        const bounds = ints(this.size());
        if (d === 3) this.volumeFaces.push({ tag, faces: bounds });
        else if (d === 2) this.surfaceCurves.push({ tag, curves: bounds, box });
        else this.curvePoints.push({ tag, points: bounds, box });
      }
    }
    this.expectEnd('Entities');
    this.keepRaw('Entities', from);
  }

  physicalNames: { dim: number; tag: number; name: string }[] = [];
  volumeFaces: { tag: number; faces: number[] }[] = [];
  surfaceCurves: { tag: number; curves: number[]; box: Box6 }[] = [];
  curvePoints: { tag: number; points: number[]; box: Box6 }[] = [];
  pointPositions: { tag: number; xyz: [number, number, number] }[] = [];
  /** [dim, physical tag, entity tag] */
  entityPhysicals: [number, number, number][] = [];

  private readPhysicalNames(): void {
    const from = this.pos;
    const n = Number(this.line());
    if (!Number.isInteger(n) || n < 0) this.fail('bad count in $PhysicalNames');
    for (let i = 0; i < n; i++) {
      const m = /^(\d+)\s+(-?\d+)\s+"(.*)"$/.exec(this.line());
      if (!m) this.fail('bad line in $PhysicalNames');
      this.physicalNames.push({ dim: Number(m[1]), tag: Number(m[2]), name: m[3] });
    }
    this.expectEnd('PhysicalNames');
    this.keepRaw('PhysicalNames', from);
  }

  private readNodes(): void {
    if (this.haveNodes) this.fail('more than one $Nodes section');
    const blocks = this.size();
    const total = this.size();
    const minTag = this.size();
    const maxTag = this.size();
    if (total * (this.binary ? 32 : 6) > this.n - this.pos) this.truncated();
    const nodes = uninit(Float64Array, 3 * total); // every node is written below, or we fail
    if (total > 0) {
      const range = maxTag - minTag + 1;
      if (minTag >= 0 && range > 0 && range <= DENSE_FACTOR * total + 1024) {
        this.dense = new Int32Array(range).fill(-1);
        this.denseBase = minTag;
      } else {
        this.sparse = new Map();
      }
    }
    let count = 0;
    for (let b = 0; b < blocks; b++) {
      let dim: number, tag: number, param: number, num: number;
      if (this.binary) {
        dim = this.i32();
        tag = this.i32();
        param = this.i32();
        num = this.u64();
      } else {
        dim = this.int();
        tag = this.int();
        param = this.int();
        num = this.int();
      }
      if (this.all) this.nodeBlocks.push({ dim, tag, first: count, count: num });
      if (count + num > total) this.fail(`$Nodes blocks hold more nodes than the header's ${total}`);
      const extra = param ? dim : 0;
      if (this.binary) {
        const stride = 3 + extra;
        this.need(num * 8 * (1 + stride));
        for (let s = 0; s < num; s += CHUNK) {
          const m = Math.min(CHUNK, num - s);
          const w = this.words(this.pos + 8 * s, m);
          for (let i = 0; i < m; i++) {
            const hi = w[2 * i + 1];
            this.setTag(hi === 0 ? w[2 * i] : w[2 * i] + hi * TWO32, count + s + i);
          }
        }
        this.pos += num * 8;
        if (stride === 3 && this.fileLE === HOST_LE) {
          // one memcpy straight into the node array, whatever the alignment
          new Uint8Array(nodes.buffer, 24 * count, 24 * num).set(this.buf.subarray(this.pos, this.pos + 24 * num));
        } else {
          for (let i = 0, o = this.pos; i < num; i++, o += 8 * stride) {
            nodes[3 * (count + i)] = this.dv.getFloat64(o, this.fileLE);
            nodes[3 * (count + i) + 1] = this.dv.getFloat64(o + 8, this.fileLE);
            nodes[3 * (count + i) + 2] = this.dv.getFloat64(o + 16, this.fileLE);
          }
        }
        this.pos += 8 * stride * num;
      } else {
        for (let i = 0; i < num; i++) this.setTag(this.int(), count + i);
        for (let i = 0, o = 3 * count; i < num; i++, o += 3) {
          nodes[o] = this.float();
          nodes[o + 1] = this.float();
          nodes[o + 2] = this.float();
          for (let k = 0; k < extra; k++) this.float();
        }
      }
      count += num;
    }
    if (count !== total) this.fail(`$Nodes header announces ${total} nodes but its blocks hold ${count}`);
    this.expectEnd('Nodes');
    this.nodes = nodes;
    this.nodeCount = total;
    this.haveNodes = true;
  }

  private setTag(tag: number, index: number): void {
    if (this.dense) {
      const k = tag - this.denseBase;
      if (!(k >= 0 && k < this.dense.length))
        this.fail(`node tag ${tag} is outside the range the $Nodes header announces`);
      if (this.dense[k] !== -1) this.fail(`node tag ${tag} appears twice`);
      this.dense[k] = index;
      if (k !== index) this.identity = false;
    } else {
      if (this.sparse!.has(tag)) this.fail(`node tag ${tag} appears twice`);
      this.sparse!.set(tag, index);
    }
  }
  private nodeIndex(tag: number): number {
    let v: number | undefined;
    if (this.dense) {
      const k = tag - this.denseBase;
      v = k >= 0 && k < this.dense.length ? this.dense[k] : -1;
    } else v = this.sparse ? this.sparse.get(tag) : undefined;
    if (v === undefined || v < 0) this.fail(`an element refers to node ${tag}, which is not in $Nodes`);
    return v;
  }

  private readElements(): void {
    if (!this.haveNodes) this.fail('$Elements comes before $Nodes');
    if (this.haveElements) this.fail('more than one $Elements section');
    const blocks = this.size();
    this.size(); // total
    this.size(); // min tag
    this.size(); // max tag
    for (let b = 0; b < blocks; b++) {
      let entity: number, type: number, num: number;
      if (this.binary) {
        this.i32();
        entity = this.i32();
        type = this.i32();
        num = this.u64();
      } else {
        this.int();
        entity = this.int();
        type = this.int();
        num = this.int();
      }
      const nn = type > 0 && type < 256 ? nodesPerType[type] : 0;
      if (nn === 0) this.fail(`element type ${type} is not supported (variable-size or unknown)`);
      const kind = kindOfType[type];
      const stride = nn + 1;
      if (num * stride * (this.binary ? 8 : 2) > this.n - this.pos) this.truncated();
      if (kind === KIND_TET) {
        const tets = uninit(Uint32Array, 4 * num); // every element is decoded, or we fail
        const tags = uninit(Float64Array, num);
        if (type === 11) {
          // Quadratic: keep all 10 nodes for the curved-element Jacobian; the corners are the first 4.
          const all = uninit(Uint32Array, 10 * num);
          this.readCorners(num, nn, 10, all, tags);
          for (let i = 0; i < num; i++) for (let j = 0; j < 4; j++) tets[4 * i + j] = all[10 * i + j];
          this.quadChunks.push({ nodes: all, first: this.counts.tetrahedra });
        } else this.readCorners(num, nn, 4, tets, tags);
        this.tetChunks.push({ nodes: tets, tags, ents: new Int32Array(num).fill(entity) });
        this.counts.tetrahedra += num;
        const order = type === 11 ? 2 : 1;
        if (order > this.tetOrder) this.tetOrder = order;
      } else if (kind === KIND_TRIANGLE) {
        const keep = this.full && nn === 6 ? 6 : 3;
        if (this.triChunks.length && keep !== this.triNodes) this.fail('linear and quadratic triangles are mixed');
        this.triNodes = keep;
        const tris = uninit(Uint32Array, keep * num);
        this.readCorners(num, nn, keep, tris, uninit(Float64Array, num)); // tags unused; one array type keeps the fast path monomorphic
        this.triChunks.push({ nodes: tris, ents: new Int32Array(num).fill(entity) });
        this.counts.triangles += num;
      } else if (
        kind === KIND_PRISM ||
        kind === KIND_PYRAMID ||
        kind === KIND_QUAD ||
        (this.all && kind !== KIND_OTHER)
      ) {
        const keep = KEEP[kind];
        const nodes = uninit(Uint32Array, keep * num);
        const tags = uninit(Float64Array, num);
        this.readCorners(num, nn, keep, nodes, tags);
        let list = this.kindChunks.get(kind);
        if (!list) this.kindChunks.set(kind, (list = []));
        list.push({ nodes, tags, ents: new Int32Array(num).fill(entity) });
        this.count(kind, num);
      } else {
        if (this.binary) {
          this.need(num * stride * 8);
          this.pos += num * stride * 8;
        } else {
          for (let i = num * stride; i > 0; i--) this.int();
        }
        this.count(kind, num);
      }
    }
    this.expectEnd('Elements');
    this.haveElements = true;
  }

  private count(kind: number, num: number): void {
    const c = this.counts;
    if (kind === KIND_LINE) c.lines += num;
    else if (kind === KIND_POINT) c.points += num;
    else if (kind === KIND_PRISM) c.prisms += num;
    else if (kind === KIND_PYRAMID) c.pyramids += num;
    else if (kind === KIND_QUAD) c.quadrangles += num;
    else c.other += num;
  }

  /** Elements of one kind (nodes, tags, entities), concatenated over the file's blocks. */
  kind(kind: number): KindChunk {
    const list = this.kindChunks.get(kind) ?? [];
    return {
      nodes: concat(
        list.map((c) => c.nodes),
        (n) => new Uint32Array(n),
      ),
      tags: concat(
        list.map((c) => c.tags),
        (n) => new Float64Array(n),
      ),
      ents: concat(
        list.map((c) => c.ents),
        (n) => new Int32Array(n),
      ),
    };
  }

  extras(): MshExtras | undefined {
    if (!this.all) return undefined;
    const lines = this.kind(KIND_LINE);
    const points = this.kind(KIND_POINT);
    return {
      lines: lines.nodes,
      lineEntities: lines.ents,
      points: points.nodes,
      pointEntities: points.ents,
      nodeBlocks: this.nodeBlocks,
      binary: this.binary,
      littleEndian: this.fileLE,
      sections: this.rawSections,
    };
  }

  /** Reads `num` elements of `nn` nodes, keeping the first `keep` (corner) node indices and optionally the tags. */
  private readCorners(num: number, nn: number, keep: number, out: Uint32Array, tags: Float64Array): void {
    const stride = nn + 1;
    if (this.binary) {
      this.need(num * stride * 8);
      const start = this.pos;
      // Chunked fast paths (see CHUNK); elements they cannot map (sparse tags) go through nodeIndex().
      for (let s = 0; s < num;) {
        const end = Math.min(num, s + CHUNK);
        const w = this.words(start + s * stride * 8, (end - s) * stride);
        const first = s;
        if (this.dense && this.identity && keep === 4)
          s = decodeShift4(w, first, stride, s, end, this.denseBase, this.nodeCount, out, tags);
        else if (this.dense) s = decodeDense(w, first, stride, keep, s, end, this.dense, this.denseBase, out, tags);
        for (; s < end; s++) {
          const e = 2 * (s - first) * stride;
          tags[s] = w[e] + w[e + 1] * TWO32;
          for (let j = 1; j <= keep; j++)
            out[s * keep + j - 1] = this.nodeIndex(w[e + 2 * j] + w[e + 2 * j + 1] * TWO32);
          if (this.dense) {
            s++;
            break; // back to the fast path
          }
        }
      }
      this.pos = start + num * stride * 8;
    } else {
      for (let i = 0, o = 0; i < num; i++) {
        const tag = this.int();
        tags[i] = tag;
        for (let j = 0; j < keep; j++, o++) out[o] = this.nodeIndex(this.int());
        for (let j = keep; j < nn; j++) this.int();
      }
    }
  }
}

// Small chunks: the decode functions are called often, so V8 promotes them to optimized code early in the first
// read (every CLI run and every analysis worker reads cold), and the scratch copy of unaligned data stays small.
const CHUNK = 256;

/**
 * Tets when node tags are base, base+1, ... in file order: the index is tag - base, no table lookup.
 * Same contract as decodeDense.
 */
function decodeShift4(
  w: Uint32Array,
  first: number,
  stride: number,
  start: number,
  end: number,
  base: number,
  count: number,
  out: Uint32Array,
  tags: Float64Array,
): number {
  const step = 2 * stride;
  for (let i = start, e = 2 * (start - first) * stride, o = 4 * start; i < end; i++, e += step, o += 4) {
    const a = w[e + 2] - base;
    const b = w[e + 4] - base;
    const c = w[e + 6] - base;
    const d = w[e + 8] - base;
    // one test for "a high word is set" and one per index for "outside 0..count-1" (negatives wrap to huge)
    if ((w[e + 1] | w[e + 3] | w[e + 5] | w[e + 7] | w[e + 9]) !== 0) return i;
    if (a >>> 0 >= count || b >>> 0 >= count || c >>> 0 >= count || d >>> 0 >= count) return i;
    out[o] = a;
    out[o + 1] = b;
    out[o + 2] = c;
    out[o + 3] = d;
    tags[i] = w[e];
  }
  return end;
}

/**
 * Fast path for binary element records (tag, nodes... as uint64 lo/hi word pairs): maps the first `keep` node tags
 * through the dense table (`w` holds elements from `first` on). Returns the index of the first element it could not map (or `end` when all were).
 */
function decodeDense(
  w: Uint32Array,
  first: number,
  stride: number,
  keep: number,
  start: number,
  end: number,
  dense: Int32Array,
  base: number,
  out: Uint32Array,
  tags: Float64Array,
): number {
  const len = dense.length;
  for (let i = start; i < end; i++) {
    const e = 2 * (i - first) * stride;
    const o = i * keep;
    for (let j = 1; j <= keep; j++) {
      const k = w[e + 2 * j] - base;
      if (w[e + 2 * j + 1] !== 0 || k < 0 || k >= len) return i;
      const v = dense[k];
      if (v < 0) return i;
      out[o + j - 1] = v;
    }
    const hi = w[e + 1];
    tags[i] = hi === 0 ? w[e] : w[e] + hi * TWO32; // no float arithmetic (heap numbers) before the JIT kicks in
  }
  return end;
}

/**
 * A typed array without the zero-fill (the reader overwrites every element): saves a pass over the largest arrays.
 * allocUnsafeSlow never hands out a slice of Node's shared pool, so the array owns its buffer and can be transferred.
 */
function uninit<T extends Float64Array | Uint32Array>(
  kind: { new (b: ArrayBuffer, o: number, n: number): T; BYTES_PER_ELEMENT: number },
  n: number,
): T {
  return new kind(Buffer.allocUnsafeSlow(n * kind.BYTES_PER_ELEMENT).buffer as ArrayBuffer, 0, n);
}

const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

function concat<T extends Uint32Array | Float64Array | Int32Array>(parts: T[], make: (n: number) => T): T {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = make(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function quadIndex(chunks: QuadChunk[]): Uint32Array {
  const out = new Uint32Array(chunks.reduce((n, c) => n + c.nodes.length / 10, 0));
  let o = 0;
  for (const c of chunks) for (let i = 0; i < c.nodes.length / 10; i++) out[o++] = c.first + i;
  return out;
}

export interface ReadOptions {
  /** Every node of quadratic triangles (exports). */
  full?: boolean;
  /** Lines, points and the raw sections too (`MshMesh.all`). */
  all?: boolean;
}

export function readMsh(data: Uint8Array, fileName = '<mesh>', opts: ReadOptions = {}): MshMesh {
  const p = new Parser(data, fileName, opts.full, opts.all);
  try {
    p.header();
    p.body();
  } catch (e) {
    if (e instanceof MeshFormatError) throw e;
    // Anything else (a RangeError from a corrupt length, ...) is still the file's fault, not ours.
    throw new MeshFormatError(`${fileName}: malformed mesh (${(e as Error).message})`);
  }
  const nodes = p.nodes;
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < nodes.length; i += 3) {
    const x = nodes[i],
      y = nodes[i + 1],
      z = nodes[i + 2];
    if (x < min[0]) min[0] = x;
    if (x > max[0]) max[0] = x;
    if (y < min[1]) min[1] = y;
    if (y > max[1]) max[1] = y;
    if (z < min[2]) min[2] = z;
    if (z > max[2]) max[2] = z;
  }
  if (nodes.length === 0) {
    min.fill(0);
    max.fill(0);
  }
  return {
    nodeCount: p.nodeCount,
    nodes,
    tets: concat(
      p.tetChunks.map((c) => c.nodes),
      (n) => new Uint32Array(n),
    ),
    tetTags: concat(
      p.tetChunks.map((c) => c.tags),
      (n) => new Float64Array(n),
    ),
    tetEntities: concat(
      p.tetChunks.map((c) => c.ents),
      (n) => new Int32Array(n),
    ),
    tetOrder: p.tetOrder,
    quadTets: concat(
      p.quadChunks.map((c) => c.nodes),
      (n) => new Uint32Array(n),
    ),
    quadTetIndex: quadIndex(p.quadChunks),
    triangles: concat(
      p.triChunks.map((c) => c.nodes),
      (n) => new Uint32Array(n),
    ),
    triNodes: p.triNodes,
    triangleEntities: concat(
      p.triChunks.map((c) => c.ents),
      (n) => new Int32Array(n),
    ),
    ...kindArrays(p),
    layerTags: p.layerTags,
    counts: p.counts,
    entities: p.entities,
    physicals: p.physicalNames.map((ph) => ({
      ...ph,
      entities: p.entityPhysicals.filter(([d, t]) => d === ph.dim && t === ph.tag).map(([, , e]) => e),
    })),
    volumeFaces: p.volumeFaces,
    surfaceCurves: p.surfaceCurves,
    curvePoints: p.curvePoints,
    pointPositions: p.pointPositions,
    bbox: { min, max },
    ...(opts.all ? { all: p.extras() } : {}),
  };
}

function kindArrays(p: Parser) {
  const prisms = p.kind(KIND_PRISM);
  const pyramids = p.kind(KIND_PYRAMID);
  const quads = p.kind(KIND_QUAD);
  return {
    prisms: prisms.nodes,
    prismEntities: prisms.ents,
    prismTags: prisms.tags,
    pyramids: pyramids.nodes,
    pyramidEntities: pyramids.ents,
    pyramidTags: pyramids.tags,
    quads: quads.nodes,
    quadEntities: quads.ents,
  };
}

/** `onBytes` sees the file's bytes once read (e.g. to hash them without a second read). */
export function readMshFile(path: string, onBytes?: (data: Buffer) => void, opts: ReadOptions = {}): MshMesh {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    throw new MeshFormatError(`${path}: cannot read the mesh: ${why}`);
  }
  onBytes?.(data);
  return readMsh(data, path, opts);
}
