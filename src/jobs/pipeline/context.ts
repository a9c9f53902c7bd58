// One job's run as every stage sees it: its id, store and cancel signal, the log (stored, and sent to the UI), the
// per-phase clock and the bytes moved. A fresh job (run-job.ts) and a resumed one (resume.ts) each open one, so both
// keep their timings the same way; `executorContext` hands executors the same accumulators.
import type { WorkbenchEvent } from '../../contract/api';
import type { JobContext } from '../../compute/executor';
import type { JobResult, LogLine } from '../../contract/job';
import type { JobStore } from '../store/store';

const roundMs = (ms: number) => Math.round(ms * 10) / 10;

export interface JobRun {
  readonly id: string;
  readonly store: JobStore;
  readonly signal: AbortSignal;
  readonly phases: Record<string, number>;
  readonly transfer: JobResult['transfer'];
  log(level: LogLine['level'], text: string, attempt?: number | null): void;
  emit(e: WorkbenchEvent): void;
  /** Runs `f` and adds its wall time to the phase `name`. */
  timed<T>(name: string, f: () => T | Promise<T>): Promise<T>;
  /** The phases, the bytes moved and the job's wall time so far (plus any time before a resume): stored with its end. */
  timings(): Pick<JobResult, 'timings' | 'transfer'>;
}

export function openRun(
  id: string,
  store: JobStore,
  signal: AbortSignal,
  emit: (e: WorkbenchEvent) => void,
  /** A resumed job carries on from what its first process recorded. */
  before: Pick<JobResult, 'timings' | 'transfer'> | null = null,
): JobRun {
  const t0 = performance.now();
  const phases: Record<string, number> = { ...before?.timings.phases };
  const transfer = { uploadedBytes: 0, downloadedBytes: 0, ...before?.transfer };
  return {
    id,
    store,
    signal,
    phases,
    transfer,
    emit,
    log(level, text, attempt = null) {
      const line = store.appendLog(id, level, text, attempt);
      emit({ type: 'log', jobId: id, lines: [line] });
    },
    async timed(name, f) {
      const t = performance.now();
      try {
        return await f();
      } finally {
        phases[name] = roundMs((phases[name] ?? 0) + performance.now() - t);
      }
    },
    timings() {
      const totalMs = roundMs((before?.timings.totalMs ?? 0) + performance.now() - t0);
      return { timings: { totalMs, phases }, transfer };
    },
  };
}

/** The JobContext an executor writes into: log lines, phase times (parallel attempts add up) and bytes moved. */
export function executorContext(
  run: JobRun,
  fields: Omit<JobContext, 'jobId' | 'log' | 'phase' | 'transfer' | 'signal'>,
): JobContext {
  return {
    ...fields,
    jobId: run.id,
    signal: run.signal,
    log: (level, text, attempt = null) => run.log(level, text, attempt),
    phase: (name, ms) => {
      run.phases[name] = roundMs((run.phases[name] ?? 0) + ms);
    },
    transfer: (up, down) => {
      run.transfer.uploadedBytes += up;
      run.transfer.downloadedBytes += down;
    },
  };
}
