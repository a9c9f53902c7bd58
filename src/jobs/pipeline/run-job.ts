// A fresh job, end to end (docs/architecture.md): prepare (inspect, hash, plan, model, groups) -> backend (local,
// Modal, or the fallback) -> cascade (the attempts under the policy) -> finish (collect, record, export, result
// files). Every path ends in a final status through finish.ts; nothing is invented.
import type { GmshInfo, WorkbenchEvent } from '../../contract/api';
import type { JobResult, JobSpec } from '../../contract/job';
import type { AttemptExecutor } from '../../compute/executor';
import { createLocalExecutor } from '../../compute/local-executor';
import type { RemoteBackend } from '../../compute/remote';
import { join } from 'node:path';
import { InputRejectedError, errorMessage } from '../../util/errors';
import { targetsOf } from '../../contract/targets';
import { DiskFullError, StoreDamagedError, describeFault, diskIsFull } from '../../util/faults';
import { markStoreDamaged, type JobStore } from '../store/store';
import { chooseBackend, fallBackAfter } from './backend';
import { runCascade } from './cascade';
import { openRun } from './context';
import { endJob, finishWithWinner, freeScratch } from './finish';
import { prepareJob } from './prepare';
import { allAttemptsFailed } from './record';

export interface RunJobDeps {
  store: JobStore;
  home: string;
  gmsh(): Promise<GmshInfo>;
  remote: RemoteBackend | null;
  emit(e: WorkbenchEvent): void;
  /** Stop and keep the best valid mesh so far (the first Ctrl+C, the desktop's "Stop & keep best"). */
  stop?: AbortSignal;
}

const CANCELLED = { code: 'cancelled', message: 'The job was cancelled.' };

export async function runJob(id: string, spec: JobSpec, deps: RunJobDeps, signal: AbortSignal): Promise<JobResult> {
  const { store } = deps;
  const run = openRun(id, store, signal, deps.emit);
  store.markRunning(id);
  deps.emit({ type: 'status', jobId: id, status: 'running' });
  let executor: AttemptExecutor | null = null;
  try {
    const job = await prepareJob(run, spec, deps);
    let choice = await chooseBackend(spec.backend, deps.remote);
    const runOn = (ex: AttemptExecutor) => {
      executor = ex;
      store.updateJob(id, { backend: ex.backend, fallback: choice.fallback });
      return runCascade(run, spec, job, ex, deps.stop);
    };
    const local = () => createLocalExecutor(job.gmsh.path, store);
    let result;
    try {
      result = await runOn(choice.remote ?? local());
    } catch (e) {
      choice = fallBackAfter(e, spec.backend, signal);
      run.log('warning', `Modal unavailable, running locally: ${choice.fallback!.reason}`);
      await (executor as AttemptExecutor | null)?.dispose();
      result = await runOn(local());
    }

    const { winner, stopped } = result;
    if (signal.aborted) return endJob(run, 'cancelled', CANCELLED);
    if (stopped) {
      run.log(
        'warning',
        `Job ${stopped}; ${winner ? `keeping the best valid mesh so far: ${winner.strategy}` : 'no attempt had produced a valid mesh yet'}.`,
      );
      store.updateJob(id, { stopped: { reason: stopped } });
      if (!winner)
        return endJob(run, 'cancelled', {
          code: 'cancelled',
          message: `No attempt had produced a valid mesh yet (${stopped}).`,
        });
    }
    // Gmsh says nothing when its mesh does not fit on the disk (it writes what fits and exits 0): name the disk.
    if (!winner && diskIsFull(job.workDir)) throw new DiskFullError(job.workDir, "the attempts' meshes");
    if (!winner) return endJob(run, 'failed', allAttemptsFailed(job.input.path, result.outcomes.values()));
    const targets = targetsOf(winner.quality ?? null, spec.settings.targets);
    if (targets && !targets.met)
      run.log(
        'warning',
        `No attempt met the targets; keeping the mesh that misses them least, worst element first: ${winner.strategy} (attempt ${winner.index}: ${targets.missed.join('; ')}).`,
      );
    return await finishWithWinner(run, {
      winner,
      executor: executor!,
      ctx: job.ctx,
      inputPath: job.input.path,
      outDir: job.outDir,
      settings: spec.settings,
      gmsh: { version: job.gmsh.version, build: job.gmsh.build ?? 'unknown' },
      workDir: job.workDir,
      model: job.model,
    });
  } catch (e) {
    if (signal.aborted) return endJob(run, 'cancelled', CANCELLED);
    if (e instanceof InputRejectedError) return endJob(run, 'rejected', e.toJSON()); // refused before Gmsh ran
    // Ours (UserError), or the machine's: a full disk, a damaged store, a folder that cannot be written.
    const fault = describeFault(e, { store: store.path });
    if (fault instanceof DiskFullError) freeScratch(join(deps.home, 'work', id)); // room for the job's end
    if (fault instanceof StoreDamagedError) markStoreDamaged(deps.home, fault.reason);
    if (fault) return endJob(run, 'failed', fault.toJSON());
    return endJob(run, 'failed', { code: 'internal', message: `Internal error: ${errorMessage(e)}` });
  } finally {
    await (executor as AttemptExecutor | null)?.dispose().catch(() => undefined);
  }
}
