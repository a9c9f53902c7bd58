// A running job's progress from its attempts' progress events. Attempts run in parallel and more are planned while
// the job runs (a targeted repair, a second chance): the bar is the mean over every attempt started so far, so a
// repair round pulls it back down and fills it again instead of leaving it full, and the label names what runs last.
import type { WorkbenchEvent } from '../../src/contract/api';

export interface JobProgress {
  /** Attempt index -> its last percent and phase (the attempt's strategy); -1 for job-level progress. */
  attempts: Record<number, { percent: number; phase: string }>;
  /** The attempt that reported last. */
  last: number;
}

type ProgressEvent = Extract<WorkbenchEvent, { type: 'progress' }>;

export function addProgress(p: JobProgress | undefined, e: ProgressEvent): JobProgress {
  const at = e.attempt ?? -1;
  return { attempts: { ...p?.attempts, [at]: { percent: e.percent, phase: e.phase } }, last: at };
}

const REPAIR = 'targeted-repair';

/** The bar's value (0..100) and what it says, or null before any progress came in. */
export function jobProgress(p: JobProgress | undefined): { percent: number; label: string } | null {
  if (!p) return null;
  const all = Object.entries(p.attempts).map(([k, v]) => ({ index: Number(k), ...v }));
  if (!all.length) return null;
  const percent = all.reduce((s, a) => s + Math.min(100, Math.max(0, a.percent)), 0) / all.length;
  const last = all.find((a) => a.index === p.last) ?? all[all.length - 1];
  const repairs = all.filter((a) => a.phase === REPAIR).sort((a, b) => a.index - b.index);
  const round = repairs.findIndex((a) => a.index === last.index);
  const what =
    round >= 0 ? `repair round ${round + 1}` : last.index >= 0 ? `attempt ${last.index} (${last.phase})` : last.phase;
  return {
    percent,
    label: `${what} ${Math.round(last.percent)} % · ${all.length} attempt${all.length > 1 ? 's' : ''} started, ${Math.round(percent)} % overall`,
  };
}
