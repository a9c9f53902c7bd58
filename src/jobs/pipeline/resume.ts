// `meshbench resume`: remote jobs whose desktop side died (the CLI killed, the laptop closed) are picked up by
// the Modal call ids kept in the store. Calls still running are followed to their end, finished ones are
// collected, and expired ones (404) become a clear failure. Local attempts cannot be resumed: run those again.
// A resumed job ends through finish.ts like a fresh one: the same mesh, groups, exports and result files.
import { join } from 'node:path';
import type { AttemptOutcome, AttemptSpec } from '../../contract/attempt';
import { isActive, type AttemptResult, type JobResult } from '../../contract/job';
import { BackendUnavailableError } from '../../compute/executor';
import { ModalExecutor } from '../../compute/modal-executor';
import type { RemoteBackend } from '../../compute/remote';
import { modalUsable, type ModalSettings } from '../../compute/modal-usable';
import { ConfigError, errorMessage } from '../../util/errors';
import { chooseWinner } from '../policy/policy';
import type { JobStore } from '../store/store';
import { executorContext, openRun } from './context';
import { endJob, finishWithWinner } from './finish';
import { allAttemptsFailed, attemptLine } from './record';

/** Jobs `resume` can pick up: interrupted (owner gone) remote jobs with at least one call id. */
export function resumableJobs(store: JobStore): string[] {
  return store.jobsWithStatus(['interrupted']).filter((id) => store.attempts(id).some(wasCutOff));
}

/** An attempt with a Modal call that was still going when the job's process died. */
const wasCutOff = (a: AttemptResult) =>
  !!a.modal?.callId && (isActive(a.status) || (a.status === 'cancelled' && (a.error ?? '').startsWith('interrupted')));

export interface ResumeOptions {
  store: JobStore;
  /** The offload path whose configuration the calls are re-attached with. */
  remote: RemoteBackend;
  /** The data folder: a job's scratch folder is work/<id>/ there. */
  home: string;
  /** Explicit job ids (default: every resumable job). */
  ids?: string[];
  say?: (text: string) => void;
  executorOptions?: ConstructorParameters<typeof ModalExecutor>[2];
}

/** Re-attaches each job; refused at once (exit 4) when Modal cannot be used, leaving every job as it is. */
export async function resumeJobs(o: ResumeOptions): Promise<JobResult[]> {
  const usable = modalUsable('modal', o.remote.config(), null);
  if (usable.unusable)
    throw new ConfigError('modal-unconfigured', `Cannot resume: ${usable.unusable.reason}`, usable.unusable.hint);
  const ids = o.ids ?? resumableJobs(o.store);
  const out: JobResult[] = [];
  for (const id of ids) out.push(await resumeJob(id, o, usable.settings));
  return out;
}

async function resumeJob(id: string, o: ResumeOptions, settings: ModalSettings): Promise<JobResult> {
  const { store } = o;
  const job = store.getJob(id);
  if (!job) throw new Error(`No job ${id}.`);
  const pending = job.attempts.filter(wasCutOff);
  if (job.status !== 'interrupted' || !pending.length) {
    o.say?.(`${id}: nothing to resume (${job.status}${pending.length ? '' : ', no remote call pending'})`);
    return job;
  }
  // Compare-and-set: another `resume` (or the desktop) may be re-attaching this very job right now.
  if (!store.reopenJob(id)) {
    o.say?.(`${id}: already being resumed by another process`);
    return store.getJob(id) ?? job;
  }
  const run = openRun(id, store, new AbortController().signal, () => undefined, job);
  run.log(
    'info',
    `resume: re-attaching ${pending.length} Modal call(s): ${pending.map((a) => a.modal!.callId).join(', ')}`,
  );
  o.say?.(`${id}: re-attaching ${pending.map((a) => `${a.strategy} (${a.modal!.callId})`).join(', ')}`);

  const executor = new ModalExecutor(settings, store, o.executorOptions);
  const workDir = join(o.home, 'work', id);
  const ctx = executorContext(run, {
    inputPath: job.input.path,
    inputName: job.input.path.split(/[\\/]/).pop() ?? 'input',
    inputSha256: job.input.sha256 ?? '',
    inputBytes: job.input.bytes ?? 0,
    inputFormat: job.input.format ?? 'step',
    settings: job.settings,
    workDir,
  });
  const specOf = (a: AttemptResult): AttemptSpec => ({
    jobId: id,
    index: a.index,
    strategy: a.strategy,
    inputFormat: ctx.inputFormat,
    sizeFactor: job.settings.sizeFactor,
    elementOrder: job.settings.elementOrder,
    timeoutSec: job.settings.attemptTimeoutSec,
  });

  try {
    const results = await Promise.all(
      pending.map(async (a) => {
        store.setAttemptStatus(id, a.index, 'running');
        const oc = await executor.attach(a.modal!.callId, specOf(a), ctx, {
          signal: new AbortController().signal,
          log: (level, text) => run.log(level, text, a.index),
          progress: () => {},
          remote: ({ callId, status }) => {
            store.setAttemptRemote(id, a.index, callId, status);
            store.updateJob(id, { modalStatus: status });
          },
        });
        store.upsertAttempt(id, oc);
        const line = attemptLine(oc);
        run.log(line.level, line.text, oc.index);
        return oc;
      }),
    );
    const earlier = job.attempts.filter((a) => a.status === 'completed') as AttemptOutcome[];
    const all = [...earlier, ...results];
    const winner = chooseWinner(all, job.settings.policy, job.settings.targets);
    if (!winner) {
      const expired = results.filter((r) => r.modal?.status === 'expired');
      const failed = allAttemptsFailed(job.input.path, all);
      return endJob(
        run,
        'failed',
        expired.length === results.length
          ? {
              code: 'remote-expired',
              message: `Could not resume ${id}: ${failed.message}`,
              hint: 'The worker keeps results for a limited time; run the job again.',
            }
          : failed,
      );
    }
    await executor.loadHealth().catch(() => undefined); // the worker's Gmsh build, recorded with the mesh
    return await finishWithWinner(run, {
      winner,
      executor,
      ctx,
      inputPath: job.input.path,
      outDir: job.outDir!,
      settings: job.settings,
      gmsh: null,
      // Calls finished before the resume were billed too (their start-up is not known any more).
      earlierCalls: earlier.filter((x) => x.modal).map((x) => ({ startupS: 0, runS: x.timings.totalMs / 1000 })),
      workDir,
    });
  } catch (e) {
    if (e instanceof BackendUnavailableError) {
      // Still resumable later: the calls may well be alive behind a network problem.
      return endJob(run, 'interrupted', {
        code: 'modal-unavailable',
        message: `Could not resume ${id}: ${e.message}`,
        hint: e.hint,
      });
    }
    return endJob(run, 'failed', {
      code: 'internal',
      message: `Internal error while resuming ${id}: ${errorMessage(e)}`,
    });
  } finally {
    await executor.dispose();
  }
}
