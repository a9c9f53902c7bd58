// `meshbench resume`: remote jobs whose desktop side died (the CLI killed, the laptop closed) are picked up by
// the Modal call ids kept in the store. Calls still running are followed to their end, finished ones are
// collected, and expired ones (404) become a clear failure. Local attempts cannot be resumed: run those again.
import type { AttemptOutcome, AttemptSpec } from '../contract/attempt';
import { isActive, type AttemptResult, type JobError, type JobResult } from '../contract/job';
import { BackendUnavailableError } from '../compute/executor';
import { ModalExecutor } from '../compute/modal-executor';
import { chooseWinner } from './policy';
import { jobContext, roundMs as round } from './job-context';
import { allAttemptsFailed, attemptLine, recordWinner, winnerLine } from './job-end';
import { closeJob, meshFileFor } from './result-files';
import type { JobStore } from './store';
import { errorMessage } from '../util/errors';
import type { OffloadConfig } from '../cloud/config';
import { missingHint } from '../cloud/config';

/** Jobs `resume` can pick up: interrupted (owner gone) remote jobs with at least one call id. */
export function resumableJobs(store: JobStore): string[] {
  return store.jobsWithStatus(['interrupted']).filter((id) => store.attempts(id).some(wasCutOff));
}

/** An attempt with a Modal call that was still going when the job's process died. */
const wasCutOff = (a: AttemptResult) =>
  !!a.modal?.callId && (isActive(a.status) || (a.status === 'cancelled' && (a.error ?? '').startsWith('interrupted')));

export interface ResumeOptions {
  store: JobStore;
  config: OffloadConfig;
  /** Explicit job ids (default: every resumable job). */
  ids?: string[];
  say?: (text: string) => void;
  executorOptions?: ConstructorParameters<typeof ModalExecutor>[2];
}

export async function resumeJobs(o: ResumeOptions): Promise<JobResult[]> {
  const ids = o.ids ?? resumableJobs(o.store);
  const out: JobResult[] = [];
  for (const id of ids) out.push(await resumeJob(id, o));
  return out;
}

async function resumeJob(id: string, o: ResumeOptions): Promise<JobResult> {
  const { store } = o;
  const job = store.getJob(id);
  if (!job) throw new Error(`No job ${id}.`);
  const pending = job.attempts.filter(wasCutOff);
  if (job.status !== 'interrupted' || !pending.length) {
    o.say?.(`${id}: nothing to resume (${job.status}${pending.length ? '' : ', no remote call pending'})`);
    return job;
  }
  const t0 = performance.now();
  const phases = { ...job.timings.phases };
  const transfer = { ...job.transfer };
  const log = (level: 'info' | 'warning' | 'error' | 'debug', text: string, attempt: number | null = null) =>
    store.appendLog(id, level, text, attempt);
  const finish = (status: 'completed' | 'failed' | 'interrupted', error: JobError | null) => {
    store.updateJob(id, {
      timings: { totalMs: round(job.timings.totalMs + performance.now() - t0), phases },
      transfer,
    });
    return closeJob(store, id, status, error, log);
  };

  if (o.config.missing.length) {
    return job; // leave it interrupted: nothing was touched
  }
  // Compare-and-set: another `resume` (or the desktop) may be re-attaching this very job right now.
  if (!store.reopenJob(id)) {
    o.say?.(`${id}: already being resumed by another process`);
    return store.getJob(id) ?? job;
  }
  log(
    'info',
    `resume: re-attaching ${pending.length} Modal call(s): ${pending.map((a) => a.modal!.callId).join(', ')}`,
  );
  o.say?.(`${id}: re-attaching ${pending.map((a) => `${a.strategy} (${a.modal!.callId})`).join(', ')}`);

  const executor = new ModalExecutor(o.config, store, o.executorOptions);
  const ctx = jobContext(
    {
      jobId: id,
      inputPath: job.input.path,
      inputName: job.input.path.split(/[\\/]/).pop() ?? 'input',
      inputSha256: job.input.sha256 ?? '',
      inputBytes: job.input.bytes ?? 0,
      inputFormat: job.input.format ?? 'step',
      settings: job.settings,
      workDir: '',
    },
    { phases, transfer },
    log,
  );
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
        const ac = new AbortController();
        const oc = await executor.attach(a.modal!.callId, specOf(a), ctx, {
          signal: ac.signal,
          log: (level, text) => log(level, text, a.index),
          progress: () => {},
          remote: ({ callId, status }) => {
            store.setAttemptRemote(id, a.index, callId, status);
            store.updateJob(id, { modalStatus: status });
          },
        });
        store.upsertAttempt(id, oc);
        const line = attemptLine(oc);
        log(line.level, line.text, oc.index);
        return oc;
      }),
    );
    const earlier = job.attempts.filter((a) => a.status === 'completed') as AttemptOutcome[];
    const all = [...earlier, ...results];
    const winner = chooseWinnerOf(all, job);
    if (!winner) {
      const expired = results.filter((r) => r.modal?.status === 'expired');
      const failed = allAttemptsFailed(job.input.path, all);
      return finish(
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
    const outDir = job.outDir!;
    const dest = meshFileFor(outDir, job.input.path);
    const got = await executor.collect(winner, ctx, dest);
    for (const [k, v] of Object.entries(winner.timings.phases)) phases[k] = v;
    await executor.loadHealth().catch(() => undefined);
    // Calls finished before the resume were billed too (their start-up is not known any more).
    const before = earlier.filter((x) => x.modal).map((x) => ({ startupS: 0, runS: x.timings.totalMs / 1000 }));
    const gmsh = executor.gmsh();
    recordWinner(
      store,
      id,
      winner,
      { path: dest, sha256: got.sha256, bytes: got.bytes, ...(gmsh ? { gmsh } : {}) },
      { cost: executor.cost(id, before) },
    );
    log('info', `resume: ${winnerLine(winner, dest)}`);
    return finish('completed', null);
  } catch (e) {
    if (e instanceof BackendUnavailableError) {
      // Still resumable later: the calls may well be alive behind a network problem.
      return finish('interrupted', {
        code: 'modal-unavailable',
        message: `Could not resume ${id}: ${e.message}`,
        hint: e.hint ?? missingHint(o.config),
      });
    }
    return finish('failed', { code: 'internal', message: `Internal error while resuming ${id}: ${errorMessage(e)}` });
  } finally {
    await executor.dispose();
  }
}

const chooseWinnerOf = (outcomes: AttemptOutcome[], job: JobResult) =>
  chooseWinner(outcomes, job.settings.policy, job.settings.targets);
