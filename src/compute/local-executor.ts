// Runs attempts as local Gmsh processes (one thread each), recording each process so recovery can end it.
import { cpus } from 'node:os';
import type { AttemptOutcome, AttemptSpec } from '../contract/attempt';
import { runAttempt } from '../attempt/run-attempt';
import { moveFileAtomic } from '../util/atomic-write';
import { sha256File } from '../util/hash';
import type { AttemptContext, AttemptExecutor, JobContext } from './executor';

/** The part of the job store this executor writes to (JobStore satisfies it): each Gmsh process, for recovery. */
export interface ProcessStore {
  setAttemptProcess(jobId: string, index: number, pid: number | null, start: string | null): void;
}

export function createLocalExecutor(gmshPath: string, store: ProcessStore): AttemptExecutor {
  return {
    backend: 'local',
    maxParallel: (requested, attempts) => Math.max(1, Math.min(requested > 0 ? requested : cpus().length, attempts)),
    prepare: async () => undefined,
    run: (spec: AttemptSpec, job: JobContext, ctx: AttemptContext) =>
      runAttempt(spec, job.inputPath, job.workDir, {
        gmshPath,
        signal: ctx.signal,
        onLog: ctx.log,
        onProgress: ctx.progress,
        onSpawn: (pid, start) => store.setAttemptProcess(job.jobId, spec.index, pid, start),
      }),
    async collect(winner: AttemptOutcome, _job, dest) {
      const src = winner.mesh!.path;
      moveFileAtomic(src, dest); // a rename, or (another filesystem) a copy renamed into place
      // The attempt already hashed this very file; re-hash only if the move could have changed it (a copy).
      const sha256 = winner.mesh!.sha256 || (await sha256File(dest));
      return { sha256, bytes: winner.mesh!.bytes };
    },
    dispose: async () => undefined,
  };
}
