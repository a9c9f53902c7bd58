// The mesh with its layers as a .msh 4.1 file, in the encoding and byte order of the file it came from (Gmsh's
// binary one for every attempt): $PhysicalNames and $Entities copied byte for byte (the groups and the CAD entities
// do not change), nodes renumbered 1..n in blocks per entity, elements renumbered in blocks per entity and type, and a
// `$MeshBenchLayers` section with the element tags of the layers (other readers skip sections they do not know).
import { FileSink } from '../export/sink';
import type { MshExtras } from '../mesh/msh-reader';
import type { ElementBlock, GrownMesh } from './grow';

const NODES_PER: Record<number, number> = { 15: 1, 1: 2, 2: 3, 3: 4, 4: 4, 6: 6, 7: 5 };

/** Writes numbers in the file's encoding: binary (either byte order) or ASCII text. */
class Emit {
  private readonly chunk = Buffer.alloc(1 << 16);
  private readonly dv = new DataView(this.chunk.buffer, this.chunk.byteOffset, this.chunk.byteLength);
  private pos = 0;
  constructor(
    private readonly out: FileSink,
    private readonly binary: boolean,
    private readonly le: boolean,
  ) {}
  private room(n: number) {
    if (this.pos + n > this.chunk.length) this.flush();
  }
  flush(): void {
    if (this.pos) this.out.binary(this.chunk.subarray(0, this.pos));
    this.pos = 0;
  }
  text(s: string): void {
    this.flush();
    this.out.text(s);
  }
  raw(b: Uint8Array): void {
    this.flush();
    this.out.binary(b);
  }
  /** An int (binary: 4 bytes) or size_t (8 bytes), followed in ASCII by `sep`. */
  int(v: number, size: 4 | 8, sep = ' '): void {
    if (!this.binary) return this.text(`${v}${sep}`);
    this.room(8);
    if (size === 4) this.dv.setInt32(this.pos, v, this.le);
    else this.dv.setBigUint64(this.pos, BigInt(v), this.le);
    this.pos += size;
  }
  f64(v: number, sep = ' '): void {
    if (!this.binary) return this.text(`${v}${sep}`);
    this.room(8);
    this.dv.setFloat64(this.pos, v, this.le);
    this.pos += 8;
  }
}

export function writeLayeredMsh(path: string, src: MshExtras, g: GrownMesh): { bytes: number; sha256: string } {
  const out = new FileSink(path);
  try {
    const e = new Emit(out, src.binary, src.littleEndian);
    const nl = () => (src.binary ? e.text('\n') : undefined);
    e.text(`$MeshFormat\n4.1 ${src.binary ? 1 : 0} 8\n`);
    if (src.binary) {
      e.int(1, 4);
      e.text('\n');
    }
    e.text('$EndMeshFormat\n');
    for (const name of ['PhysicalNames', 'Entities'] as const) {
      const raw = src.sections[name];
      if (!raw) continue;
      e.text(`$${name}\n`);
      e.raw(raw);
      e.text(`$End${name}\n`);
    }

    // nodes: the original blocks, then the new nodes grouped by entity (first appearance order)
    const total = g.nodes.length / 3;
    const original = src.nodeBlocks.reduce((s, b) => s + b.count, 0);
    const extra = new Map<string, number[]>();
    for (let i = 0; i < g.newNodeDim.length; i++) {
      const key = `${g.newNodeDim[i]}:${g.newNodeTag[i]}`;
      let list = extra.get(key);
      if (!list) extra.set(key, (list = []));
      list.push(original + i);
    }
    const blocks: { dim: number; tag: number; ids: ArrayLike<number> }[] = src.nodeBlocks.map((b) => ({
      dim: b.dim,
      tag: b.tag,
      ids: Array.from({ length: b.count }, (_, k) => b.first + k),
    }));
    for (const [key, ids] of extra) {
      const [dim, tag] = key.split(':').map(Number);
      blocks.push({ dim, tag, ids });
    }
    e.text('$Nodes\n');
    e.int(blocks.length, 8);
    e.int(total, 8);
    e.int(total ? 1 : 0, 8);
    e.int(total, 8, '\n');
    for (const b of blocks) {
      e.int(b.dim, 4);
      e.int(b.tag, 4);
      e.int(0, 4);
      e.int(b.ids.length, 8, '\n');
      for (let k = 0; k < b.ids.length; k++) e.int(b.ids[k] + 1, 8, '\n');
      for (let k = 0; k < b.ids.length; k++) {
        const v = 3 * b.ids[k];
        e.f64(g.nodes[v]);
        e.f64(g.nodes[v + 1]);
        e.f64(g.nodes[v + 2], '\n');
      }
    }
    e.flush();
    nl();
    e.text('$EndNodes\n');

    // elements: the original ones, then the layers', numbered on
    const all: ElementBlock[] = [...g.blocks, ...g.layerBlocks].filter((b) => b.nodes.length > 0);
    const count = (b: ElementBlock) => b.nodes.length / NODES_PER[b.type];
    const numElements = all.reduce((s, b) => s + count(b), 0);
    const firstLayer = g.blocks.reduce((s, b) => s + count(b), 0) + 1;
    e.text('$Elements\n');
    e.int(all.length, 8);
    e.int(numElements, 8);
    e.int(numElements ? 1 : 0, 8);
    e.int(numElements, 8, '\n');
    let tag = 1;
    for (const b of all) {
      const per = NODES_PER[b.type];
      e.int(b.dim, 4);
      e.int(b.entity, 4);
      e.int(b.type, 4);
      e.int(count(b), 8, '\n');
      for (let i = 0; i < b.nodes.length; i += per) {
        e.int(tag++, 8);
        for (let k = 0; k < per; k++) e.int(b.nodes[i + k] + 1, 8, k === per - 1 ? '\n' : ' ');
      }
    }
    e.flush();
    nl();
    e.text('$EndElements\n');
    if (tag > firstLayer) e.text(`$MeshBenchLayers\n${firstLayer} ${tag - 1}\n$EndMeshBenchLayers\n`);
  } catch (err) {
    out.close();
    throw err;
  }
  return out.close();
}
