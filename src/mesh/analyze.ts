// Read a .msh file and judge it: element counts, quality report, score, and optionally the viewer payload.
// analyzeMesh runs the same work in a worker thread so the caller (the desktop's main process, the CLI's event loop)
// never blocks on a large mesh; the typed arrays come back transferred, not copied.
import { resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MeshPayload } from '../contract/api';
import type { ElementCounts, QualityReport } from '../contract/job';
import { measureQuadTets } from '../quality/curved';
import { measureTets, scoreOf, summarize, type LayerMetrics } from '../quality/kernel';
import { measurePrisms, measurePyramids } from '../quality/prism-pyramid';
import { engineFile } from '../util/engine-files';
import { MeshFormatError, readMshFile, type MshMesh } from './msh-reader';
import { extractSkin } from './skin';

export interface AnalyzeOptions {
  /** Build the viewer payload (Float32 nodes, tets, skin, per-tet metrics). */
  payload?: boolean;
  /** Return the file's own triangles, compacted, for a surface-only preview. */
  surface?: boolean;
  /** Hash the file's bytes while they are in memory anyway. */
  sha256?: boolean;
}

export interface AnalyzeResult {
  nodes: number;
  counts: ElementCounts;
  entities: MshMesh['entities'];
  /** Volumes the file lists that hold no element: a body Gmsh failed to fill while it filled the others. */
  emptyVolumes: number[];
  bbox: MshMesh['bbox'];
  /** null when the mesh has no tetrahedra. */
  quality: QualityReport | null;
  score: number | null;
  tetOrder: 0 | 1 | 2;
  payload?: Omit<MeshPayload, 'jobId' | 'failedSurfaces'>;
  surfaceTris?: { positions: Float32Array; indices: Uint32Array; surfaceTags: Int32Array };
  ms: { read: number; quality: number; skin: number };
  /** With opts.sha256: the file's sha256 (hex). */
  sha256?: string;
  bytes?: number;
}

export function analyzeMeshSync(path: string, opts: AnalyzeOptions = {}): AnalyzeResult {
  const t0 = performance.now();
  let hashed: { sha256: string; bytes: number } | undefined;
  const mesh = readMshFile(
    path,
    opts.sha256
      ? (data) => (hashed = { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length })
      : undefined,
  );
  const t1 = performance.now();
  const metrics = mesh.tets.length > 0 ? measureTets(mesh.nodes, mesh.tets) : null;
  const curved = metrics && mesh.quadTets.length > 0 ? measureQuadTets(mesh.nodes, mesh.quadTets) : null;
  const layers = metrics ? layerMetrics(mesh) : undefined;
  const quality = metrics
    ? summarize(metrics, {
        cornerNodesOnly: mesh.tetOrder === 2,
        curved: curved ? { scaledJacobian: curved.scaledJacobian, tetIndex: mesh.quadTetIndex } : undefined,
        layers,
      })
    : null;
  const t2 = performance.now();
  const result: AnalyzeResult = {
    nodes: mesh.nodeCount,
    counts: mesh.counts,
    entities: mesh.entities,
    emptyVolumes: emptyVolumes(mesh),
    bbox: mesh.bbox,
    quality,
    score: quality ? scoreOf(quality) : null,
    tetOrder: mesh.tetOrder,
    ms: { read: t1 - t0, quality: t2 - t1, skin: 0 },
    ...hashed,
  };
  if (opts.payload) {
    const skin = extractSkin(mesh.tets, mesh);
    result.ms.skin = performance.now() - t2;
    // Per element, tets first, then prisms, then pyramids; a metric Gmsh does not define for an element kind (aspect
    // ratio, dihedral angle, skewness of a prism; gamma of a pyramid) is NaN there: not measured, shown as such.
    const nLayer = mesh.prisms.length / 6 + mesh.pyramids.length / 5;
    const f32 = (a: Float64Array | undefined, prisms?: Float64Array, pyramids?: Float64Array) => {
      const out = new Float32Array((a?.length ?? 0) + (metrics ? nLayer : 0)).fill(NaN);
      if (a) out.set(a);
      if (prisms) out.set(prisms, a?.length ?? 0);
      if (pyramids) out.set(pyramids, (a?.length ?? 0) + mesh.prisms.length / 6);
      return out;
    };
    result.payload = {
      nodes: Float32Array.from(mesh.nodes),
      tets: mesh.tets,
      ...(nLayer ? { prisms: mesh.prisms, pyramids: mesh.pyramids } : {}),
      skin: skin.tris,
      skinTet: skin.tetOf,
      skinFaces: facesOfSkin(mesh, skin.tris),
      quality: {
        sicn: f32(metrics?.sicn, layers?.prisms.sicn, layers?.pyramids),
        gamma: f32(metrics?.gamma, layers?.prisms.gamma),
        aspectRatio: f32(metrics?.aspectRatio),
        skewness: f32(metrics?.skewness),
        minDihedralDeg: f32(metrics?.minDihedralDeg),
        ...(curved ? { scaledJacobian: perTet(curved.scaledJacobian, mesh.quadTetIndex, mesh.tets.length / 4) } : {}),
      },
    };
  }
  if (opts.surface) result.surfaceTris = compactSurface(mesh);
  return result;
}

function emptyVolumes(mesh: MshMesh): number[] {
  const filled = new Set([...mesh.tetEntities, ...mesh.prismEntities, ...mesh.pyramidEntities]);
  return mesh.volumeFaces.map((v) => v.tag).filter((t) => !filled.has(t));
}

/** Prisms, pyramids and the tets inside the layers ($MeshBenchLayers), measured; undefined for a mesh without. */
function layerMetrics(mesh: MshMesh): LayerMetrics | undefined {
  if (!mesh.prisms.length && !mesh.pyramids.length && !mesh.layerTags) return undefined;
  const layerTet = new Uint8Array(mesh.tetTags.length);
  if (mesh.layerTags) {
    const [lo, hi] = mesh.layerTags;
    for (let t = 0; t < layerTet.length; t++) if (mesh.tetTags[t] >= lo && mesh.tetTags[t] <= hi) layerTet[t] = 1;
  }
  return {
    prisms: measurePrisms(mesh.nodes, mesh.prisms),
    pyramids: measurePyramids(mesh.nodes, mesh.pyramids),
    layerTet,
  };
}

/**
 * The surface entity of each skin triangle: the file's triangle with the same corners (bucketed by smallest node), or
 * for half of a layer's quadrangle, the file's quadrangle holding its three corners.
 */
function facesOfSkin(mesh: MshMesh, skin: Uint32Array): Int32Array {
  const tri = mesh.triangles;
  const nt = tri.length / 3;
  const n = mesh.nodeCount;
  const min3 = (a: number, b: number, c: number) => (a < b ? (a < c ? a : c) : b < c ? b : c);
  const start = new Uint32Array(n + 1);
  for (let t = 0; t < nt; t++) start[min3(tri[3 * t], tri[3 * t + 1], tri[3 * t + 2]) + 1]++;
  for (let v = 0; v < n; v++) start[v + 1] += start[v];
  const slot = start.slice(0, n);
  const bucket = new Uint32Array(nt);
  for (let t = 0; t < nt; t++) bucket[slot[min3(tri[3 * t], tri[3 * t + 1], tri[3 * t + 2])]++] = t;
  const out = new Int32Array(skin.length / 3).fill(-1);
  for (let s = 0; s < out.length; s++) {
    const a = skin[3 * s],
      b = skin[3 * s + 1],
      c = skin[3 * s + 2];
    const m = min3(a, b, c);
    for (let k = start[m], e = start[m + 1]; k < e; k++) {
      const t = bucket[k];
      const x = tri[3 * t],
        y = tri[3 * t + 1],
        z = tri[3 * t + 2];
      if ((x === a || x === b || x === c) && (y === a || y === b || y === c) && (z === a || z === b || z === c)) {
        out[s] = mesh.triangleEntities[t];
        break;
      }
    }
  }
  if (mesh.quads.length) facesOfQuadHalves(mesh, skin, out);
  return out;
}

function facesOfQuadHalves(mesh: MshMesh, skin: Uint32Array, out: Int32Array): void {
  const q = mesh.quads;
  const nq = q.length / 4;
  const n = mesh.nodeCount;
  const start = new Uint32Array(n + 1);
  for (let i = 0; i < 4 * nq; i++) start[q[i] + 1]++;
  for (let v = 0; v < n; v++) start[v + 1] += start[v];
  const slot = start.slice(0, n);
  const bucket = new Uint32Array(4 * nq);
  for (let i = 0; i < 4 * nq; i++) bucket[slot[q[i]]++] = i >> 2;
  for (let s = 0; s < out.length; s++) {
    if (out[s] >= 0) continue;
    const a = skin[3 * s],
      b = skin[3 * s + 1],
      c = skin[3 * s + 2];
    for (let k = start[a]; k < start[a + 1]; k++) {
      const e = bucket[k];
      const has = (v: number) => q[4 * e] === v || q[4 * e + 1] === v || q[4 * e + 2] === v || q[4 * e + 3] === v;
      if (has(b) && has(c)) {
        out[s] = mesh.quadEntities[e];
        break;
      }
    }
  }
}

/** Per-quadratic-tet values spread over all tets (a linear tet, straight by definition, gets 1). */
function perTet(values: Float64Array, tetIndex: Uint32Array, tets: number): Float32Array {
  const out = new Float32Array(tets).fill(1);
  for (let q = 0; q < values.length; q++) out[tetIndex[q]] = values[q];
  return out;
}

/** The file's triangles with only the nodes they use, renumbered 0..k-1. */
function compactSurface(mesh: MshMesh): NonNullable<AnalyzeResult['surfaceTris']> {
  const tri = mesh.triangles;
  const remap = new Int32Array(mesh.nodeCount).fill(-1);
  let used = 0;
  const indices = new Uint32Array(tri.length);
  for (let i = 0; i < tri.length; i++) {
    const v = tri[i];
    if (remap[v] < 0) remap[v] = used++;
    indices[i] = remap[v];
  }
  const positions = new Float32Array(3 * used);
  for (let v = 0; v < mesh.nodeCount; v++) {
    const k = remap[v];
    if (k >= 0) {
      positions[3 * k] = mesh.nodes[3 * v];
      positions[3 * k + 1] = mesh.nodes[3 * v + 1];
      positions[3 * k + 2] = mesh.nodes[3 * v + 2];
    }
  }
  return { positions, indices, surfaceTags: mesh.triangleEntities.slice() };
}

/** Every distinct ArrayBuffer in a result, for postMessage's transfer list. */
export function transferablesOf(r: AnalyzeResult): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [];
  if (r.payload) {
    const p = r.payload;
    arrays.push(p.nodes, p.tets, p.skin, p.skinTet, ...(p.skinFaces ? [p.skinFaces] : []), ...Object.values(p.quality));
    if (p.prisms) arrays.push(p.prisms);
    if (p.pyramids) arrays.push(p.pyramids);
  }
  if (r.surfaceTris) arrays.push(r.surfaceTris.positions, r.surfaceTris.indices, r.surfaceTris.surfaceTags);
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

export interface WorkerRequest {
  id: number;
  path: string;
  opts: AnalyzeOptions;
}
export type WorkerReply =
  { id: number; ok: true; result: AnalyzeResult } | { id: number; ok: false; name: string; message: string };

// A small pool of analysis workers. A worker is reused, so its JIT-optimized reader and kernel stay warm across
// jobs (the desktop analyses many meshes); idle workers are unref'd and never keep the process alive.
const MAX_IDLE = Math.max(2, cpus().length);
/** Analyses announced by prewarmAnalyzer (Gmsh started) and not yet asked for. */
let announced = 0;
const idle: Worker[] = [];
let nextId = 0;

function spawnWorker(): Worker {
  const w = new Worker(engineFile('mesh-worker.cjs'));
  // Idle workers can still fail or exit (OOM, a bug): drop them, and never let an 'error' go unhandled.
  w.on('error', () => undefined);
  w.on('exit', () => {
    const k = idle.indexOf(w);
    if (k >= 0) idle.splice(k, 1);
  });
  return w;
}

function release(w: Worker): void {
  if (idle.length < MAX_IDLE) {
    w.unref();
    idle.push(w);
  } else void w.terminate();
}

/** Start a worker ahead of need (e.g. while Gmsh runs), so the analysis does not pay for its start-up. */
export function prewarmAnalyzer(): void {
  announced++;
  // One warm worker per attempt about to need one (parallel attempts each get their own).
  if (idle.length >= Math.min(announced, MAX_IDLE)) return;
  try {
    const w = spawnWorker();
    w.unref();
    idle.push(w);
  } catch {
    /* analyzeMesh will report it */
  }
}

export function analyzeMesh(path: string, opts: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  return new Promise((resolvePromise, reject) => {
    let worker: Worker;
    if (announced > 0) announced--;
    try {
      worker = idle.pop() ?? spawnWorker();
    } catch (e) {
      reject(e);
      return;
    }
    worker.ref();
    const id = ++nextId;
    const done = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (m: WorkerReply) => {
      if (m.id !== id) return;
      done();
      release(worker);
      if (m.ok) resolvePromise(m.result);
      else if (m.name === 'MeshFormatError') reject(new MeshFormatError(m.message));
      else reject(Object.assign(new Error(m.message), { name: m.name }));
    };
    const onError = (e: Error) => {
      done();
      void worker.terminate();
      reject(e);
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`mesh worker for ${path} exited (code ${code}) without a result`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const req: WorkerRequest = { id, path: resolve(path), opts };
    worker.postMessage(req);
  });
}
