// The one entry point shells use for jobs (CLI, Electron main, web harness): submit, run, cancel, list, logs,
// events. Opening it recovers jobs whose owner process died.
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { GmshInfo, WorkbenchEvent } from '../contract/api';
import { isActive, type JobResult, type JobSpec, type LogLine } from '../contract/job';
import type { RemoteBackend } from '../compute/remote';
import { gmshInfoCached } from '../gmsh/info';
import { findGmsh, type LocatedGmsh } from '../gmsh/locate';
import { dataHome } from '../util/home';
import { runJob } from './pipeline/run-job';
import { checkRequest } from './spec/check';
import { claimOutput } from './pipeline/claim-output';
import { openJobStore, type StoreHeal } from './store/heal';
import { newJobId, type JobStore } from './store/store';

export interface JobManagerOptions {
  home?: string;
  /** The offload path; null = local only. */
  remote?: RemoteBackend | null | ((store: JobStore) => RemoteBackend | null);
  /** Packaged app: where bundled resources live. */
  resourcesPath?: string;
  /** Where Gmsh is, asked before each job (the desktop's saved choice can change); default: findGmsh. */
  locateGmsh?: () => LocatedGmsh;
  /** Check every table of the store as it opens (doctor), not only those each command reads. */
  checkWholeStore?: boolean;
}

export class JobManager {
  readonly home: string;
  readonly store: JobStore;
  readonly remote: RemoteBackend | null;
  readonly recovered: string[];
  /** What opening the store took to heal it, if it was damaged (shells say it once; doctor reports it). */
  readonly healed: StoreHeal | null;
  private readonly events = new EventEmitter();
  private readonly running = new Map<
    string,
    { ac: AbortController; stop: AbortController; done: Promise<JobResult> }
  >();
  private gmshInfo: { path: string; info: Promise<GmshInfo> } | null = null;

  constructor(private readonly opts: JobManagerOptions = {}) {
    this.home = opts.home ?? dataHome();
    ({ store: this.store, healed: this.healed } = openJobStore(this.home, { full: opts.checkWholeStore }));
    this.recovered = this.store.recover();
    this.remote = typeof opts.remote === 'function' ? opts.remote(this.store) : (opts.remote ?? null);
    this.events.setMaxListeners(100);
  }

  locateGmsh(): LocatedGmsh {
    return this.opts.locateGmsh ? this.opts.locateGmsh() : findGmsh({ resourcesPath: this.opts.resourcesPath });
  }

  /** The Gmsh jobs run: located afresh each time, its `gmsh -info` read once per executable. */
  async gmsh(): Promise<GmshInfo> {
    const { path } = this.locateGmsh();
    if (this.gmshInfo?.path !== path) {
      const info = gmshInfoCached(path, this.store);
      const entry = { path, info };
      this.gmshInfo = entry;
      info.catch(() => {
        if (this.gmshInfo === entry) this.gmshInfo = null;
      });
    }
    return this.gmshInfo.info;
  }

  onEvent(listener: (e: WorkbenchEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  private emit = (e: WorkbenchEvent) => this.events.emit('event', e);

  /**
   * Stores the job as queued and runs it in the background; returns its id at once. A request that cannot be carried
   * out is refused here, for every shell, before anything is stored or run (src/jobs/spec/check.ts), and so is one aimed at
   * files another job is writing (src/jobs/pipeline/claim-output.ts).
   */
  submit(spec: JobSpec): string {
    const id = newJobId();
    const valid = claimOutput(this.store, this.home, id, checkRequest(spec));
    const ac = new AbortController();
    const stop = new AbortController();
    const done = runJob(
      id,
      valid,
      {
        store: this.store,
        home: this.home,
        gmsh: () => this.gmsh(),
        remote: this.remote,
        emit: this.emit,
        stop: stop.signal,
      },
      ac.signal,
    ).finally(() => this.running.delete(id));
    this.running.set(id, { ac, stop, done });
    this.emit({ type: 'job', job: this.store.getJob(id)! });
    return id;
  }

  /** Runs a job to its end. */
  run(spec: JobSpec): Promise<JobResult> {
    return this.wait(this.submit(spec));
  }

  wait(id: string): Promise<JobResult> {
    return this.running.get(id)?.done ?? Promise.resolve(this.store.getJob(id)!);
  }

  cancel(id: string): void {
    this.running.get(id)?.ac.abort();
  }

  /** Stops the job's attempts and keeps the best valid mesh so far; a job with none yet ends cancelled. */
  stop(id: string): void {
    this.running.get(id)?.stop.abort();
  }

  cancelAll(): void {
    for (const r of this.running.values()) r.ac.abort();
  }

  rerun(id: string): string {
    const job = this.store.getJob(id);
    if (!job) throw new Error(`No job ${id}`);
    return this.submit({
      inputPath: job.input.path,
      settings: job.settings,
      backend: job.requestedBackend,
      outDir: undefined,
    });
  }

  /**
   * Deletes a finished job: its rows, and its output folder when that is the data folder's jobs/<id>/ (a folder the
   * user chose on the command line may hold other files, so it stays). Refused while the job is queued or running.
   */
  delete(id: string): { removedFolder: string | null } {
    const job = this.store.getJob(id);
    if (!job) throw new Error(`No job ${id}`);
    if (this.running.has(id) || isActive(job.status)) {
      throw new Error(`Job ${id} is ${job.status}: cancel or stop it first, then delete it.`);
    }
    const own = resolve(this.home, 'jobs', id);
    const removedFolder = job.outDir && resolve(job.outDir) === own ? own : null;
    this.store.deleteJob(id);
    if (removedFolder) rmSync(removedFolder, { recursive: true, force: true });
    return { removedFolder };
  }

  list(): JobResult[] {
    return this.store.listJobs();
  }

  get(id: string): JobResult | null {
    return this.store.getJob(id);
  }

  log(id: string, afterSeq = 0, limit = 10_000): LogLine[] {
    return this.store.logLines(id, afterSeq, limit);
  }

  async close(): Promise<void> {
    this.cancelAll();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    this.store.flushLogs();
    this.store.close();
  }
}
