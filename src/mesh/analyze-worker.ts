// worker_threads entry (bundled to out/engine/mesh-worker.cjs): one analysis per worker, result transferred back.
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeMeshSync, transferablesOf, type AnalyzeOptions, type WorkerReply } from './analyze';

const { path, opts } = workerData as { path: string; opts: AnalyzeOptions };
let reply: WorkerReply;
let transfer: ArrayBuffer[] = [];
try {
  const result = analyzeMeshSync(path, opts);
  transfer = transferablesOf(result);
  reply = { ok: true, result };
} catch (e) {
  const err = e as Error;
  reply = { ok: false, name: err?.name ?? 'Error', message: err?.message ?? String(e) };
}
parentPort!.postMessage(reply, transfer);
