// The .msh 4.1 reader on files the real Gmsh wrote (ASCII, binary, quadratic, sparse tags) and on broken input.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MeshFormatError, readMsh, readMshFile, type MshMesh } from '../../src/mesh/msh-reader';
import { inflateMesh } from '../../src/layers/inflate';
import { measureTets } from '../../src/quality/kernel';
import { attemptMesh } from '../layers/fixtures';
import { demoPart } from '../helpers/paths';
import { ascii41, binary41, fixturesPy, gmshMesh, meshDir, PYTHON } from './gmsh-fixtures';

/** Corner coordinates of each tet keyed by Gmsh element tag. */
function tetCoords(m: MshMesh): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let t = 0; t < m.tetTags.length; t++) {
    const xyz: number[] = [];
    for (let j = 0; j < 4; j++) {
      const v = m.tets[4 * t + j];
      xyz.push(m.nodes[3 * v], m.nodes[3 * v + 1], m.nodes[3 * v + 2]);
    }
    out.set(m.tetTags[t], xyz);
  }
  return out;
}

function expectSameMesh(a: MshMesh, b: MshMesh, relTol: number) {
  expect(b.counts).toEqual(a.counts);
  expect(b.entities).toEqual(a.entities);
  expect(b.nodeCount).toBe(a.nodeCount);
  expect(b.tetOrder).toBe(a.tetOrder);
  const ca = tetCoords(a);
  const cb = tetCoords(b);
  expect(cb.size).toBe(ca.size);
  let worst = 0;
  for (const [tag, xyz] of ca) {
    const other = cb.get(tag);
    expect(other, `tet ${tag}`).toBeDefined();
    xyz.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - other![i]) / Math.max(1, Math.abs(v)))));
  }
  expect(worst).toBeLessThanOrEqual(relTol);
  expect(Array.from(b.triangleEntities).sort()).toEqual(Array.from(a.triangleEntities).sort());
}

/**
 * Byte-swaps every binary field of a little-endian msh 4.1 file Gmsh wrote (the sections it writes by default),
 * walking the layout of the format spec independently of the reader.
 */
function toBigEndian(src: Buffer): Buffer {
  const out = Buffer.from(src);
  let p = 0;
  const text = src.toString('latin1');
  const swap = (size: 4 | 8, count = 1) => {
    for (let i = 0; i < count; i++, p += size) {
      if (size === 4) out.writeInt32BE(src.readInt32LE(p), p);
      else out.writeBigUInt64BE(src.readBigUInt64LE(p), p);
    }
  };
  const int = () => src.readInt32LE(p);
  const size = () => Number(src.readBigUInt64LE(p));
  const after = (marker: string) => (p = text.indexOf(marker, p) + marker.length);
  const nodesPer: Record<number, number> = { 1: 2, 2: 3, 4: 4, 15: 1 };
  after('4.1 1 8\n');
  swap(4);
  after('$Entities\n');
  const n = [0, 1, 2, 3].map(() => (swap(8), Number(src.readBigUInt64LE(p - 8))));
  for (let d = 0; d < 4; d++) {
    for (let i = 0; i < n[d]; i++) {
      swap(4);
      swap(8, d === 0 ? 3 : 6);
      const phys = size();
      swap(8);
      swap(4, phys);
      if (d > 0) {
        const bound = size();
        swap(8);
        swap(4, bound);
      }
    }
  }
  after('$Nodes\n');
  const nodeBlocks = size();
  swap(8, 4);
  for (let b = 0; b < nodeBlocks; b++) {
    const dim = int();
    swap(4, 2);
    const parametric = int();
    swap(4);
    const num = size();
    swap(8);
    swap(8, num); // tags
    swap(8, num * (3 + (parametric ? dim : 0)));
  }
  after('$Elements\n');
  const elementBlocks = size();
  swap(8, 4);
  for (let b = 0; b < elementBlocks; b++) {
    swap(4, 2);
    const type = int();
    swap(4);
    const num = size();
    swap(8);
    expect(nodesPer[type], `element type ${type}`).toBeDefined();
    swap(8, num * (1 + nodesPer[type]));
  }
  expect(text.startsWith('\n$EndElements', p)).toBe(true);
  return out;
}

/** Corner coordinates of each prism and pyramid keyed by Gmsh element tag. */
function cellCoords(m: MshMesh): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const add = (conn: Uint32Array, tags: Float64Array, per: number) => {
    for (let e = 0; e < tags.length; e++)
      out.set(
        tags[e],
        Array.from(conn.subarray(e * per, (e + 1) * per)).flatMap((v) => [
          m.nodes[3 * v],
          m.nodes[3 * v + 1],
          m.nodes[3 * v + 2],
        ]),
      );
  };
  add(m.prisms, m.prismTags, 6);
  add(m.pyramids, m.pyramidTags, 5);
  return out;
}

/** Every face of the bracket with three boundary layers, as an attempt writes it (stops make pyramids). */
let layered: Promise<string> | null = null;
function layeredBracket(): Promise<string> {
  layered ??= attemptMesh(demoPart('bracket.step'), 'bracket', { sizing: { sizeMax: 12 } }).then((tets) => {
    const out = join(meshDir(), 'bracket.layers.msh');
    const faces = [...new Set(readMshFile(tets).triangleEntities)];
    inflateMesh(tets, out, { groups: [{ target: 'all', faces, count: 3, first: 0.1, growth: 1.3 }], minSicn: 0.1 }, 1);
    return out;
  });
  return layered;
}

function sparseCopy(src: string, name: string, stride: number, offset: number, binary: boolean): string {
  const out = join(meshDir(), name);
  execFileSync(PYTHON, [fixturesPy('sparse_mesh.py'), src, out, String(stride), String(offset), binary ? '1' : '0'], {
    timeout: 120_000,
  });
  return out;
}

function expectFormatError(fn: () => unknown, ...parts: (string | RegExp)[]) {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(MeshFormatError);
  for (const p of parts) expect((err as Error).message).toMatch(p);
}

describe('reading Gmsh 4.1 meshes', () => {
  it('binary and ASCII files of the same part give the same mesh', () => {
    for (const part of ['bracket.step', 'small-fillet.step']) {
      const bin = readMshFile(binary41(part));
      const asc = readMshFile(ascii41(part));
      expect(bin.counts.tetrahedra).toBeGreaterThan(400);
      expect(bin.tetOrder).toBe(1);
      expect(bin.entities.volumes).toBeGreaterThanOrEqual(1);
      expect(bin.tets.length).toBe(4 * bin.counts.tetrahedra);
      expect(bin.triangles.length).toBe(3 * bin.counts.triangles);
      expect(bin.tetTags.length).toBe(bin.counts.tetrahedra);
      expect(Math.max(...bin.tets)).toBeLessThan(bin.nodeCount);
      // ASCII coordinates are printed with 16 significant digits
      expectSameMesh(bin, asc, 1e-14);
    }
  });

  it('nodes, counts, entities, bounding box and tet corners agree with what Gmsh itself reads from the file', async () => {
    const files = [
      binary41('sliver-boss.step'),
      ascii41('small-fillet.step'),
      gmshMesh('bracket.step', 'bracket.o2.bin.msh', ['-order', '2', '-format', 'msh41', '-bin']),
      sparseCopy(binary41('bracket.step'), 'huge.bin.msh', 100003, 5, true),
      // Gmsh's own prisms and quadrangles, and a mesh with boundary layers as MeshBench writes it (pyramids too)
      binary41('prism-stack.geo'),
      await layeredBracket(),
    ];
    for (const file of files) {
      const m = readMshFile(file);
      const g = JSON.parse(
        execFileSync(PYTHON, [fixturesPy('gmsh_counts.py'), file], { maxBuffer: 1 << 28 }).toString(),
      );
      const n = (t: number) => g.byType[t] ?? 0;
      expect(m.nodeCount, file).toBe(g.nodes);
      expect(m.counts, file).toEqual({
        tetrahedra: n(4) + n(11),
        triangles: n(2) + n(9),
        lines: n(1) + n(8),
        points: n(15),
        other: 0,
        prisms: n(6),
        pyramids: n(7),
        quadrangles: n(3),
      });
      expect(g.types.every((t: number) => [1, 2, 3, 4, 6, 7, 8, 9, 11, 15].includes(t))).toBe(true);
      expect(m.entities, file).toEqual(g.entities);
      expect(m.bbox, file).toEqual(g.bbox);
      const corners = tetCoords(m);
      if (m.counts.tetrahedra) expect(g.sampleTets.length).toBeGreaterThan(10);
      for (const s of g.sampleTets) expect(corners.get(s.tag), `${file} tet ${s.tag}`).toEqual(s.xyz);
      const cells = cellCoords(m);
      for (const s of g.sampleCells) expect(cells.get(s.tag), `${file} cell ${s.tag}`).toEqual(s.xyz);
      if (m.counts.prisms) expect(g.sampleCells.length).toBeGreaterThan(10);
    }
  });

  it("the layer elements' tags from $MeshBenchLayers, which Gmsh skips: prisms, pyramids and tets inside the layers", async () => {
    const m = readMshFile(await layeredBracket());
    const [lo, hi] = m.layerTags!;
    for (const t of [...m.prismTags, ...m.pyramidTags]) expect(t >= lo && t <= hi).toBe(true);
    const inLayers = m.tetTags.filter((t) => t >= lo && t <= hi).length;
    expect(inLayers).toBeGreaterThan(0);
    expect(inLayers).toBeLessThan(m.counts.tetrahedra);
    expect(readMshFile(binary41('bracket.step')).layerTags).toBeNull();
  });

  it('a surface-only mesh (test/parts/open-shell.step has no solid) has triangles and no tets', () => {
    const m = readMshFile(binary41('open-shell.step'));
    expect(m.counts.tetrahedra).toBe(0);
    expect(m.tetOrder).toBe(0);
    expect(m.tets.length).toBe(0);
    expect(m.counts.triangles).toBeGreaterThan(100);
    expect(m.bbox).toEqual({
      min: [expect.closeTo(0, 9), expect.closeTo(0, 9), expect.closeTo(0, 9)],
      max: [100, 100, 100],
    });
  });

  it('quadratic tets (-order 2): corner nodes, same tets and same corner quality as the linear mesh', () => {
    const lin = readMshFile(binary41('bracket.step'));
    const quadBin = readMshFile(
      gmshMesh('bracket.step', 'bracket.o2.bin.msh', ['-order', '2', '-format', 'msh41', '-bin']),
    );
    const quadAsc = readMshFile(gmshMesh('bracket.step', 'bracket.o2.ascii.msh', ['-order', '2', '-format', 'msh41']));
    expect(quadBin.tetOrder).toBe(2);
    expect(quadBin.counts).toEqual(lin.counts);
    expect(quadBin.nodeCount).toBeGreaterThan(lin.nodeCount);
    expectSameMesh(quadBin, quadAsc, 1e-14);
    // Elevating the order only adds mid-edge nodes: every tet keeps its tag and its corners.
    const a = tetCoords(lin);
    const b = tetCoords(quadBin);
    for (const [tag, xyz] of a) expect(b.get(tag)).toEqual(xyz);
    const sl = measureTets(lin.nodes, lin.tets).sicn;
    const sq = measureTets(quadBin.nodes, quadBin.tets).sicn;
    expect(Array.from(sq).sort()).toEqual(Array.from(sl).sort());
  });

  it('sparse node tags written by Gmsh (gaps: dense lookup; huge range: hashed lookup), binary and ASCII', () => {
    const src = binary41('bracket.step');
    const ref = readMshFile(src);
    const gaps = sparseCopy(src, 'gaps.bin.msh', 7, 1000, true);
    expect(readFileSync(gaps).includes('$Nodes')).toBe(true);
    expectSameMesh(ref, readMshFile(gaps), 0);
    expectSameMesh(ref, readMshFile(sparseCopy(src, 'gaps.ascii.msh', 7, 1000, false)), 1e-14);
    expectSameMesh(ref, readMshFile(sparseCopy(src, 'huge.bin.msh', 100003, 5, true)), 0);
    expectSameMesh(ref, readMshFile(sparseCopy(src, 'huge.ascii.msh', 100003, 5, false)), 1e-14);
  });

  it('parametric node coordinates (-save_parametric), binary and ASCII', () => {
    const ref = readMshFile(binary41('bracket.step'));
    const bin = readMshFile(
      gmshMesh('bracket.step', 'bracket.par.bin.msh', ['-format', 'msh41', '-bin', '-save_parametric']),
    );
    const asc = readMshFile(
      gmshMesh('bracket.step', 'bracket.par.ascii.msh', ['-format', 'msh41', '-save_parametric']),
    );
    expectSameMesh(ref, bin, 0);
    expectSameMesh(ref, asc, 1e-14);
  });

  it('big-endian binary files (what Gmsh writes on a big-endian machine)', () => {
    const file = binary41('bracket.step');
    const le = readFileSync(file);
    const be = toBigEndian(le);
    expect(be.equals(le)).toBe(false);
    const a = readMsh(le, file);
    const b = readMsh(be, 'be.msh');
    expect(b.counts).toEqual(a.counts);
    expect(b.entities).toEqual(a.entities);
    expect(b.nodes).toEqual(a.nodes);
    expect(b.tets).toEqual(a.tets);
    expect(b.tetTags).toEqual(a.tetTags);
    expect(b.triangles).toEqual(a.triangles);
    expect(b.triangleEntities).toEqual(a.triangleEntities);
  });

  it('a surface-only ASCII file (what the preview reads): entities, triangle corners, their surface tags, bbox', () => {
    const msh = [
      '$MeshFormat',
      '4.1 0 8',
      '$EndMeshFormat',
      '$Entities',
      '0 0 2 0',
      '1 0 0 0 1 2 0 0 0',
      '2 0 0 -1 1 2 0 0 0',
      '$EndEntities',
      '$Nodes',
      '1 4 1 4',
      '2 1 0 4',
      '1',
      '2',
      '3',
      '4',
      '0 0 0',
      '1 0 0',
      '0 2 0',
      '1 2 -1',
      '$EndNodes',
      '$Elements',
      '2 2 1 2',
      '2 1 2 1',
      '1 1 2 3',
      '2 2 2 1',
      '2 2 4 3',
      '$EndElements',
      '',
    ].join('\n');
    const m = readMsh(new TextEncoder().encode(msh), 'preview.msh');
    expect(m.entities).toEqual({ points: 0, curves: 0, surfaces: 2, volumes: 0 });
    expect([...m.triangles]).toEqual([0, 1, 2, 1, 3, 2]);
    expect([...m.triangleEntities]).toEqual([1, 2]);
    expect(m.counts.tetrahedra).toBe(0);
    expect(m.bbox).toEqual({ min: [0, 0, -1], max: [1, 2, 0] });
  });

  it('a small hand-written ASCII file: sparse tags, a parametric node block, mixed element types', () => {
    const text = [
      '$MeshFormat',
      '4.1 0 8',
      '$EndMeshFormat',
      '$Entities',
      '1 0 1 1',
      '7 0 0 0 0',
      '3 0 0 0 1 1 0 0 0',
      '5 0 0 0 1 1 1 0 1 3',
      '$EndEntities',
      '$Nodes',
      '3 4 10 900',
      '0 7 0 1',
      '900',
      '0 0 1',
      '2 3 1 2',
      '10',
      '20',
      '0 0 0 0.5 0.5',
      '1 0 0 0.25 0.75',
      '3 5 0 1',
      '35',
      '0 1 0',
      '$EndNodes',
      '$Elements',
      '3 3 1 9',
      '0 7 15 1',
      '1 900',
      '2 3 2 1',
      '5 10 35 20',
      '3 5 4 1',
      '9 10 20 35 900',
      '$EndElements',
      '',
    ].join('\n');
    const m = readMsh(new TextEncoder().encode(text), 'hand.msh');
    expect(m.nodeCount).toBe(4);
    expect(Array.from(m.nodes)).toEqual([0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(Array.from(m.tets)).toEqual([1, 2, 3, 0]);
    expect(Array.from(m.tetTags)).toEqual([9]);
    expect(Array.from(m.triangles)).toEqual([1, 3, 2]);
    expect(Array.from(m.triangleEntities)).toEqual([3]);
    expect(m.counts).toEqual({
      tetrahedra: 1,
      triangles: 1,
      lines: 0,
      points: 1,
      other: 0,
      prisms: 0,
      pyramids: 0,
      quadrangles: 0,
    });
    expect(m.entities).toEqual({ points: 1, curves: 0, surfaces: 1, volumes: 1 });
    expect(m.bbox).toEqual({ min: [0, 0, 0], max: [1, 1, 1] });
    // the corner tet, positively oriented
    expect(measureTets(m.nodes, m.tets).sicn[0]).toBeCloseTo((12 * Math.pow(0.5, 2 / 3)) / 9, 14);
  });

  it('binary tags beyond 32 bits (node and element tags above 2^32)', () => {
    const big = 2 ** 32;
    const parts: Buffer[] = [Buffer.from('$MeshFormat\n4.1 1 8\n')];
    const i32 = (...v: number[]) => parts.push(Buffer.from(Int32Array.from(v).buffer));
    const u64 = (...v: number[]) => parts.push(Buffer.from(BigUint64Array.from(v.map(BigInt)).buffer));
    const f64 = (...v: number[]) => parts.push(Buffer.from(Float64Array.from(v).buffer));
    const text = (t: string) => parts.push(Buffer.from(t));
    i32(1);
    text('\n$EndMeshFormat\n$Nodes\n');
    u64(1, 4, big + 10, big + 13);
    i32(3, 1, 0);
    u64(4);
    u64(big + 13, big + 11, big + 10, big + 12);
    f64(0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0);
    text('\n$EndNodes\n$Elements\n');
    u64(1, 1, 2 * big + 5, 2 * big + 5);
    i32(3, 1, 4);
    u64(1);
    u64(2 * big + 5, big + 10, big + 11, big + 12, big + 13);
    text('\n$EndElements\n');
    const m = readMsh(Buffer.concat(parts), 'tags64.msh');
    expect(Array.from(m.tets)).toEqual([2, 1, 3, 0]);
    expect(Array.from(m.tetTags)).toEqual([2 * big + 5]);
    expect(measureTets(m.nodes, m.tets).sicn[0]).toBeCloseTo((12 * Math.pow(0.5, 2 / 3)) / 9, 14);
  });

  it('binary data at any alignment in memory reads the same', () => {
    const file = binary41('sliver-boss.step');
    const bytes = readFileSync(file);
    const ref = readMsh(bytes, file);
    for (const shift of [1, 2, 3, 5, 8]) {
      const big = new Uint8Array(bytes.length + shift);
      big.set(bytes, shift);
      const m = readMsh(big.subarray(shift), file);
      expect(m.nodes).toEqual(ref.nodes);
      expect(m.tets).toEqual(ref.tets);
      expect(m.tetTags).toEqual(ref.tetTags);
      expect(m.triangles).toEqual(ref.triangles);
    }
  });
});

describe('input the reader refuses, with the file name and the reason', () => {
  it('msh 2.2 and msh 4.0 files', () => {
    const v22 = gmshMesh('bracket.step', 'bracket.v22.msh', ['-format', 'msh22']);
    expectFormatError(() => readMshFile(v22), v22, /msh 2\.2 is not supported: re-export as 4\.1/);
    const v40 = gmshMesh('bracket.step', 'bracket.v40.msh', ['-format', 'msh40']);
    expectFormatError(() => readMshFile(v40), /msh 4 is not supported: re-export as 4\.1/);
  });

  it('truncated binary and ASCII files, cut anywhere', () => {
    for (const file of [binary41('bracket.step'), ascii41('bracket.step')]) {
      const bytes = readFileSync(file);
      const text = bytes.toString('latin1');
      const cuts = [
        text.indexOf('$Entities') + 40,
        text.indexOf('$Nodes') + 100,
        text.indexOf('$Elements') + 60,
        Math.floor((text.indexOf('$Elements') + bytes.length) / 2),
        bytes.length - 20,
        bytes.length - 14, // inside $EndElements
      ];
      for (const cut of cuts) {
        const name = join(meshDir(), `cut-${cut}.msh`);
        writeFileSync(name, bytes.subarray(0, cut));
        expectFormatError(() => readMshFile(name), name, /truncated|expected \$End/);
      }
    }
  });

  it('a STEP file, an empty file, a missing file and a directory', () => {
    const step = demoPart('bracket.step');
    expectFormatError(() => readMshFile(step), step, /not a Gmsh \.msh file/);
    const empty = join(meshDir(), 'empty.msh');
    writeFileSync(empty, '');
    expectFormatError(() => readMshFile(empty), empty, /empty/);
    expectFormatError(() => readMshFile(join(meshDir(), 'nope.msh')), 'nope.msh', /no such file/);
    const dir = join(meshDir(), 'a-dir.msh');
    mkdirSync(dir, { recursive: true });
    expectFormatError(() => readMshFile(dir), /directory/);
  });

  it('corrupt content inside a section', () => {
    const text = readFileSync(ascii41('bracket.step'), 'latin1');
    const badType = text.replace(/\n3 1 4 (\d+)\n/, '\n3 1 999 $1\n');
    expect(badType).not.toBe(text);
    expectFormatError(() => readMsh(Buffer.from(badType, 'latin1'), 'bad.msh'), 'bad.msh', /element type 999/);
    const badNode = text.replace(/\n3 1 4 (\d+)\n(\d+) (\d+)/, '\n3 1 4 $1\n$2 999999');
    expect(badNode).not.toBe(text);
    expectFormatError(() => readMsh(Buffer.from(badNode, 'latin1'), 'bad.msh'), /node 999999/);
    const word = text.replace('$Nodes\n', '$Nodes\nhello ');
    expectFormatError(() => readMsh(Buffer.from(word, 'latin1'), 'bad.msh'), /expected an integer/);
  });
});
