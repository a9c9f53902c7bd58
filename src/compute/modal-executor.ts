// The Modal backend: stage the input in S3 (content-addressed, deduplicated), send each attempt to the worker app
// with presigned URLs, stream its log, and bring back only the winner's mesh, verified.
// Phases (job.phase): health, upload, submit, queue, workerDownload, workerAttempt (the attempt as the runner timed
// it: mesh, read, quality, hash), workerRunner (the runner process beyond that: Node start-up), mesh, read, quality,
// workerUpload, download, verify.
import type { AttemptOutcome, AttemptSpec } from '../contract/attempt';
import { jobCost, type BilledCall, type FunctionSize } from '../cloud/cost';
import type { JobCostSummary } from '../contract/job';
import { ModalClient, ModalError, type CallState, type WorkerHealth, type WorkerLogEntry } from '../cloud/modal-client';
import { statSync } from 'node:fs';
import { keys, S3Error, S3Store } from '../cloud/s3';
import type { ModalSettings } from './modal-usable';
import { BackendUnavailableError, type AttemptContext, type AttemptExecutor, type JobContext } from './executor';

/** The part of the job store this backend writes to (JobStore satisfies it): events for the circuit breaker. */
export interface RemoteStore {
  recordRemoteEvent(kind: 'modal' | 's3', ok: boolean, detail?: string): void;
}

export interface ModalExecutorOptions {
  /** Lifetime of the presigned URLs handed to the worker (s). */
  presignTtlS?: number;
  /** How long Modal may stay unreachable while waiting for a call (ms). */
  unreachableGraceMs?: number;
  /** Long-poll wait per status request (s). */
  longPollS?: number;
}

const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

/** The S3 key an attempt's mesh is presigned for (deterministic, so a resumed job expects the same one). */
const meshKeyOf = (jobId: string, spec: AttemptSpec) =>
  keys.output(jobId, spec.index, `attempt-${spec.index}-${spec.strategy}.msh`);

export class ModalExecutor implements AttemptExecutor {
  readonly backend = 'modal' as const;
  readonly s3: S3Store;
  readonly client: ModalClient;
  private readonly inputs = new Map<string, { key: string; sha256: string; name: string }>();
  /** Per job, every call as billed (completed, failed, cancelled), with the GPU use it sampled. */
  private readonly billed = new Map<string, (BilledCall & { gpuUtil: number | null })[]>();
  private health: WorkerHealth | null = null;

  /** `config`: settings `modalUsable` (src/compute/modal-usable.ts) found complete. */
  constructor(
    private readonly config: ModalSettings,
    private readonly store?: RemoteStore | null,
    private readonly opts: ModalExecutorOptions = {},
  ) {
    this.s3 = new S3Store(config.s3, (e) => {
      if (e.op !== 'dedupe' || e.ok)
        this.store?.recordRemoteEvent(
          's3',
          e.ok,
          `${e.op} ${e.key}${e.tries > 1 ? ` (${e.tries} tries)` : ''}${e.detail ? `: ${e.detail}` : ''}`,
        );
    });
    this.client = new ModalClient({
      url: config.modal.url,
      key: config.modal.key,
      secret: config.modal.secret,
      unreachableGraceMs: opts.unreachableGraceMs,
      longPollS: opts.longPollS,
    });
  }

  maxParallel(_requested: number, attempts: number): number {
    return Math.max(1, attempts); // fan-out: one call per attempt, all at once
  }

  async prepare(job: JobContext): Promise<void> {
    const t0 = performance.now();
    // The health check and the S3 HEAD of the input go out together; bytes are only sent once Modal answered.
    const health = (async () => {
      try {
        const h = await this.client.health(1500);
        this.health = h;
        job.phase('health', ms(t0));
        job.log(
          'info',
          `modal: ${this.client.url} answers (${h.backend ?? 'modal'}, Gmsh ${h.gmsh?.version ?? '?'}${h.gpu ? `, ${h.gpu}` : ''})`,
        );
        if (h.runner && !h.runner.present)
          throw new BackendUnavailableError(
            `The worker at ${this.client.url} has no attempt runner (${h.runner.path}).`,
            'Run `npm run build:engine` and restart `meshbench cloud-local`, or redeploy the Modal app.',
          );
      } catch (e) {
        this.store?.recordRemoteEvent('modal', false, `health: ${(e as Error).message}`);
        throw unavailable(e);
      }
    })();
    health.catch(() => undefined);
    let r;
    try {
      let shown = 0;
      const progress = (sent: number, total: number) => {
        // Big inputs go up in parts: a line per quarter so the job log shows the upload moving.
        const q = Math.floor((sent / Math.max(1, total)) * 4);
        if (q > shown && q < 4)
          job.log('info', `s3: uploading ${job.inputName}: ${q * 25} % of ${Math.round(total / 1e6)} MB`);
        shown = Math.max(shown, q);
      };
      r = await this.s3.ensureInput(job.inputPath, job.inputSha256, job.inputName, progress, health, job.signal);
    } catch (e) {
      await health; // a Modal failure explains more than the S3 one it caused
      throw unavailable(e);
    }
    await health;
    this.inputs.set(job.jobId, { key: r.key, sha256: job.inputSha256, name: job.inputName });
    const took = ms(t0);
    job.phase('upload', took);
    job.transfer(r.uploadedBytes, 0);
    job.log(
      'info',
      r.uploadedBytes
        ? `s3: uploaded ${r.uploadedBytes} bytes to s3://${this.s3.bucket}/${r.key} in ${took} ms (${mbps(r.uploadedBytes, took)} MB/s)`
        : `s3: input already in s3://${this.s3.bucket}/${r.key} (same sha256): 0 bytes uploaded`,
    );
  }

  async run(spec: AttemptSpec, job: JobContext, ctx: AttemptContext): Promise<AttemptOutcome> {
    const input = this.inputs.get(job.jobId);
    if (!input) throw new Error('ModalExecutor.run() before prepare()');
    const t = performance.now();
    const meshKey = meshKeyOf(job.jobId, spec);
    const resultKey = keys.output(job.jobId, spec.index, 'result.json');
    const ttl = this.opts.presignTtlS ?? Math.max(3600, spec.timeoutSec * 2 + 600);
    let callId: string;
    try {
      const [inUrl, meshUrl, resultUrl] = await Promise.all([
        this.s3.presignGet(input.key, ttl),
        this.s3.presignPut(meshKey, ttl),
        this.s3.presignPut(resultKey, ttl),
      ]);
      callId = await this.client.submit({
        spec,
        input: { url: inUrl, sha256: input.sha256, name: input.name, key: input.key },
        outputs: { mesh: { url: meshUrl, key: meshKey }, result: { url: resultUrl, key: resultKey } },
      });
    } catch (e) {
      this.store?.recordRemoteEvent('modal', false, `submit: ${(e as Error).message}`);
      throw unavailable(e);
    }
    const submittedAt = Date.now();
    const submitMs = ms(t);
    ctx.remote({ callId, status: 'queued' });
    job.log('info', `modal: attempt ${spec.index} (${spec.strategy}) submitted as ${callId}`, spec.index);
    const outcome = await this.attach(callId, spec, job, ctx, submittedAt);
    outcome.timings.phases = { submit: submitMs, ...outcome.timings.phases };
    return outcome;
  }

  /** Follows a submitted call to its end (also used by `meshbench resume` with a stored call id). */
  async attach(
    callId: string,
    spec: AttemptSpec,
    job: JobContext,
    ctx: AttemptContext,
    submittedAt: number | null = null,
    logCursor = 0,
  ): Promise<AttemptOutcome> {
    const t0 = performance.now();
    const base = { index: spec.index, strategy: spec.strategy, score: null, argv: [] as string[], seconds: null };
    let state: CallState;
    try {
      state = await this.client.wait(callId, {
        signal: ctx.signal,
        logCursor,
        onLogs: (entries) => forward(entries, ctx),
        onState: (s) => ctx.remote({ callId, status: s }),
      });
    } catch (e) {
      this.bill(job.jobId, 0, (Date.now() - (submittedAt ?? Date.now() - ms(t0))) / 1000, null);
      if (e instanceof ModalError && e.kind === 'expired') {
        this.store?.recordRemoteEvent('modal', false, `call ${callId}: expired`);
        ctx.remote({ callId, status: 'expired' });
        return {
          ...base,
          status: 'failed',
          error: e.message,
          timings: { totalMs: ms(t0), phases: {} },
          modal: { callId, status: 'expired' },
        };
      }
      this.store?.recordRemoteEvent('modal', false, `call ${callId}: ${(e as Error).message}`);
      throw unavailable(e);
    }
    if (state.status !== 'completed') {
      // A call that failed or was cancelled was billed too, for as long as it ran (start-up included: unknown).
      this.bill(job.jobId, 0, (Date.now() - (submittedAt ?? Date.now() - ms(t0))) / 1000, null);
    }
    if (state.status === 'cancelled' || ctx.signal.aborted) {
      await this.client.cancel(callId);
      ctx.remote({ callId, status: 'cancelled' });
      return {
        ...base,
        status: 'cancelled',
        error: 'cancelled',
        timings: { totalMs: ms(t0), phases: {} },
        modal: { callId, status: 'cancelled' },
      };
    }
    if (state.status === 'failed') {
      this.store?.recordRemoteEvent('modal', false, `call ${callId}: ${state.error.code}: ${state.error.message}`);
      ctx.remote({ callId, status: 'failed' });
      return {
        ...base,
        status: 'failed',
        error: `The Modal worker failed (${state.error.code}): ${state.error.message}`,
        timings: { totalMs: ms(t0), phases: {} },
        modal: { callId, status: 'failed' },
      };
    }
    if (state.status !== 'completed') throw new Error(`unexpected call state ${JSON.stringify(state)}`);
    this.store?.recordRemoteEvent('modal', true, `call ${callId}`);
    const r = state.result;
    // The mesh the worker says it uploaded must be the object we presigned for it: the winner is downloaded from
    // that key, so a worker naming another object (someone else's mesh, the input) is not believed.
    const reported = r.outcome?.mesh?.path;
    const expected = meshKeyOf(job.jobId, spec);
    if (r.outcome?.status === 'completed' && reported !== expected) {
      this.store?.recordRemoteEvent('modal', false, `call ${callId}: reported mesh key ${String(reported)}`);
      ctx.remote({ callId, status: 'failed' });
      return {
        ...base,
        status: 'failed',
        error: `The Modal worker reported its mesh at ${String(reported).slice(0, 200)}, not at ${expected} where it was told to upload it; the result is ignored.`,
        timings: { totalMs: ms(t0), phases: {} },
        modal: { callId, status: 'failed' },
      };
    }
    const w = r.workerTimings ?? {};
    // Per-attempt phases travel with the outcome: the job shows its winner's path, not the sum over a fan-out.
    const phases: Record<string, number> = {};
    // Worker clocks are not ours: clamp the cold-start estimate at 0.
    if (submittedAt !== null) phases.queue = Math.max(0, Math.round(r.startedAt - submittedAt));
    const map: Record<string, string> = {
      download: 'workerDownload',
      runnerOverhead: 'workerRunner',
      attempt: 'workerAttempt',
      mesh: 'mesh',
      read: 'read',
      quality: 'quality',
      upload: 'workerUpload',
    };
    for (const [k, name] of Object.entries(map))
      if (typeof w[k] === 'number') phases[name] = Math.round(w[k] * 10) / 10;
    const secs = (w.total ?? r.finishedAt - r.startedAt) / 1000;
    this.bill(job.jobId, (phases.queue ?? 0) / 1000, secs, r.gpu?.present ? (r.gpu.utilAvgPct ?? null) : null);
    if (r.gpu) {
      ctx.log(
        r.gpu.present ? 'info' : 'debug',
        r.gpu.present
          ? `worker: GPU ${r.gpu.name ?? ''} used ${r.gpu.utilAvgPct} % on average (max ${r.gpu.utilMaxPct} %) during the attempt`
          : `worker: ${r.gpu.reason ?? 'no GPU'}`,
      );
    }
    ctx.remote({ callId, status: 'completed' });
    const outcome: AttemptOutcome = { ...r.outcome, modal: { callId, status: 'completed' } };
    // totalMs is the worker's whole time (download + run + upload): what Modal bills, what the job's cost uses.
    outcome.timings = {
      totalMs: Math.round(secs * 1000 * 10) / 10,
      phases: { ...(outcome.timings?.phases ?? {}), ...phases },
    };
    return outcome;
  }

  /** Downloads an attempt's mesh from the key it was presigned for; getFile checks its sha256 on the way in. */
  private async download(o: AttemptOutcome, job: JobContext, dest: string) {
    if (!o.mesh?.path || !o.mesh.sha256) throw new Error(`attempt ${o.index} has no uploaded mesh to download`);
    try {
      const got = await this.s3.getFile(o.mesh.path, dest, o.mesh.sha256, job.signal);
      job.transfer(0, got.bytes);
      return got;
    } catch (e) {
      if (e instanceof S3Error) throw new BackendUnavailableError(e.message, e.hint);
      throw e;
    }
  }

  async fetchMesh(o: AttemptOutcome, job: JobContext, dest: string): Promise<void> {
    const t = performance.now();
    const got = await this.download(o, job, dest);
    job.phase('repairDownload', ms(t));
    job.log('info', `s3: downloaded ${o.strategy}'s mesh (${got.bytes} bytes) to plan its targeted repair`, o.index);
  }

  async collect(winner: AttemptOutcome, job: JobContext, dest: string): Promise<{ sha256: string; bytes: number }> {
    let t = performance.now();
    const got = await this.download(winner, job, dest);
    job.phase('download', ms(t));
    // getFile hashed the bytes as they arrived and only renamed the file into place when they matched.
    t = performance.now();
    const onDisk = statSync(dest).size;
    job.phase('verify', Math.round((ms(t) + (got.verifyMs ?? 0)) * 10) / 10);
    if (onDisk !== got.bytes) throw new Error(`${dest}: ${onDisk} bytes on disk after download, expected ${got.bytes}`);
    job.log('info', `s3: downloaded the winner's mesh (${got.bytes} bytes), sha256 verified`);
    return { sha256: got.sha256, bytes: got.bytes };
  }

  private bill(jobId: string, startupS: number, runS: number, gpuUtil: number | null) {
    const list = this.billed.get(jobId) ?? [];
    list.push({ startupS: Math.max(0, startupS), runS: Math.max(0, runS), gpuUtil });
    this.billed.set(jobId, list);
  }

  /** The function's size as the worker reports it; a worker too old to say is priced at Modal's defaults. */
  functionSize(): FunctionSize {
    const f = this.health?.function;
    if (f) return { gpu: f.gpu, cpu: f.cpu, memoryMiB: f.memoryMiB, scaledownS: f.scaledownS };
    return { gpu: this.health?.gpu ?? 'T4', cpu: 0.125, memoryMiB: 128, scaledownS: 60 };
  }

  gmsh(): { version: string; build: string } | null {
    return this.health ? { version: this.health.gmsh.version, build: this.health.gmsh.build ?? 'unknown' } : null;
  }

  /** Asks the worker for its function size when prepare() did not (a resumed job). */
  async loadHealth(): Promise<void> {
    if (!this.health) this.health = await this.client.health(1500);
  }

  /** What the job's calls cost as Modal bills them; `earlier` adds calls of a previous process (resume). */
  cost(jobId: string, earlier: BilledCall[] = []): JobCostSummary {
    const calls = [...earlier, ...(this.billed.get(jobId) ?? [])];
    const utils = (this.billed.get(jobId) ?? []).map((c) => c.gpuUtil).filter((u): u is number => u !== null);
    return {
      ...jobCost(calls, this.functionSize(), this.config.ec2BaselineUsdPerHour),
      gpuUtilAvgPct: utils.length ? Math.round((utils.reduce((a, b) => a + b, 0) / utils.length) * 10) / 10 : null,
    };
  }

  async dispose(): Promise<void> {
    this.s3.client.destroy();
  }
}

function forward(entries: WorkerLogEntry[], ctx: AttemptContext) {
  for (const e of entries) {
    if (e.type === 'log' && e.text) ctx.log(e.level ?? 'info', e.text);
    else if (e.type === 'progress' && typeof e.percent === 'number') ctx.progress(e.percent);
  }
}

function unavailable(e: unknown): Error {
  if (e instanceof BackendUnavailableError) return e;
  if (e instanceof ModalError || e instanceof S3Error) return new BackendUnavailableError(e.message, e.hint);
  return e as Error;
}

const mbps = (bytes: number, msTaken: number) =>
  msTaken > 0 ? Math.round((bytes / 1e6 / (msTaken / 1000)) * 10) / 10 : 0;
