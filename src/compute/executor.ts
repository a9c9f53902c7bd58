// A compute backend runs single attempts; the policy engine (src/jobs/policy.ts) decides which attempts run,
// how many at once, and which one wins. Local and Modal differ only here.
import type { AttemptOutcome, AttemptSpec } from '../contract/attempt';
import type { InputFormat, JobCostSummary, LogLine, MeshSettings, ResolvedBackend } from '../contract/job';
import type { BilledCall } from '../cloud/cost';

export interface JobContext {
  jobId: string;
  inputPath: string;
  inputName: string;
  inputSha256: string;
  inputBytes: number;
  inputFormat: InputFormat;
  settings: MeshSettings;
  /** Scratch folder of this job (attempt meshes, logs). */
  workDir: string;
  /** The job's cancel signal: transfers (upload, download) stop when it fires. */
  signal?: AbortSignal;
  log(level: LogLine['level'], text: string, attempt?: number | null): void;
  /** Adds `ms` to the job's phase `name` (phases of parallel attempts add up; `total` is wall time). */
  phase(name: string, ms: number): void;
  transfer(uploadedBytes: number, downloadedBytes: number): void;
}

export interface AttemptContext {
  signal: AbortSignal;
  log(level: LogLine['level'], text: string): void;
  progress(percent: number): void;
  /** Remote backends report the call id as soon as they have one, so it is stored before the result. */
  remote(info: { callId: string; status: string }): void;
}

export interface AttemptExecutor {
  readonly backend: ResolvedBackend;
  /** How many attempts may run at once. */
  maxParallel(requested: number, attempts: number): number;
  /** Check the backend answers and stage the input (upload). Throws BackendUnavailableError when unusable. */
  prepare(job: JobContext): Promise<void>;
  run(spec: AttemptSpec, job: JobContext, ctx: AttemptContext): Promise<AttemptOutcome>;
  /** Bring the winner's mesh to `dest` (remote: download + verify). */
  collect(winner: AttemptOutcome, job: JobContext, dest: string): Promise<{ sha256: string; bytes: number }>;
  /**
   * Remote backends: bring a finished attempt's mesh to `dest` so the engine can read it (a targeted repair plans
   * from the bad elements of a mesh that missed the targets). Local meshes are already on disk.
   */
  fetchMesh?(o: AttemptOutcome, job: JobContext, dest: string): Promise<void>;
  dispose(): Promise<void>;
  /** Remote backends: the Gmsh build that meshes there (null: same as local). */
  gmsh?(): { version: string; build: string } | null;
  /**
   * Remote backends: billed worker seconds of this job so far and their cost against the EC2 baseline; `earlier`:
   * calls billed before this process took the job over (a resumed job).
   */
  cost?(jobId: string, earlier?: BilledCall[]): JobCostSummary;
}

/** The backend cannot be used (unreachable, misconfigured, tripped breaker): exit 4, or fall back under `auto`. */
export class BackendUnavailableError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}
