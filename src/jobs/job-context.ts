// The JobContext an executor writes into: log lines, phase times (parallel attempts add up) and bytes moved, all
// gathered in the job's own accumulators. Shared by a fresh run and a resumed one.
import type { JobContext } from '../compute/executor';
import type { JobResult, LogLine } from '../contract/job';

export const roundMs = (ms: number) => Math.round(ms * 10) / 10;

export function jobContext(
  fields: Omit<JobContext, 'log' | 'phase' | 'transfer'>,
  into: { phases: Record<string, number>; transfer: JobResult['transfer'] },
  log: (level: LogLine['level'], text: string, attempt: number | null) => void,
): JobContext {
  return {
    ...fields,
    log: (level, text, attempt = null) => log(level, text, attempt),
    phase: (name, ms) => {
      into.phases[name] = roundMs((into.phases[name] ?? 0) + ms);
    },
    transfer: (up, down) => {
      into.transfer.uploadedBytes += up;
      into.transfer.downloadedBytes += down;
    },
  };
}
