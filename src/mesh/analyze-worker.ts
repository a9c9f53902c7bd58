// worker_threads entry (bundled to out/engine/mesh-worker.cjs): analyses meshes on request, one at a time, and
// transfers the typed arrays of each result back.
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeMeshSync, transferablesOf, type AnalyzeOptions, type WorkerReply, type WorkerRequest } from './analyze';

const port = parentPort!;

function handle({ id, path, opts }: WorkerRequest): void {
  let reply: WorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const result = analyzeMeshSync(path, opts);
    transfer = transferablesOf(result);
    reply = { id, ok: true, result };
  } catch (e) {
    const err = e as Error;
    reply = { id, ok: false, name: err?.name ?? 'Error', message: err?.message ?? String(e) };
  }
  port.postMessage(reply, transfer);
}

const oneShot = workerData as { path?: string; opts?: AnalyzeOptions } | undefined;
if (oneShot?.path) {
  // One job passed at start-up (engines bundled before the worker pool; same reply, then the worker ends).
  handle({ id: 0, path: oneShot.path, opts: oneShot.opts ?? {} });
} else {
  port.on('message', handle);
}
