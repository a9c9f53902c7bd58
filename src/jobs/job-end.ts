// How attempts and the winner are written into a job's record, the same for a fresh run (run-job.ts) and a
// resumed one (resume.ts): the attempt's log line, the error when every attempt failed, and the winner's mesh,
// quality and (for Modal jobs) cost.
import type { AttemptOutcome } from '../contract/attempt';
import type { JobCostSummary, JobError, JobResult, LogLine } from '../contract/job';
import type { JobStore } from './store';

/** The log line that reports an attempt's end, in the level it deserves. */
export function attemptLine(o: AttemptOutcome): { level: LogLine['level']; text: string } {
  const score = o.score !== null ? `, score ${o.score.toFixed(2)}` : '';
  const quality = o.quality ? `, ${o.elements?.tetrahedra} tets, SICN min ${o.quality.sicn.min.toFixed(3)}` : '';
  return {
    level: o.status === 'completed' ? 'info' : 'warning',
    text: `Attempt ${o.strategy}: ${o.status}${score}${quality}${o.error ? ` — ${o.error}` : ''}`,
  };
}

/** The job's error when no attempt produced a valid mesh: every attempt's reason, in attempt order. */
export function allAttemptsFailed(inputPath: string, outcomes: Iterable<AttemptOutcome>): JobError {
  const reasons = [...outcomes].sort((a, b) => a.index - b.index).map((o) => `${o.strategy}: ${o.error ?? o.status}`);
  return {
    code: 'all-attempts-failed',
    message: `Every attempt failed for ${inputPath}. ${reasons.join(' | ')}`,
    hint: 'Try --strategy exhaustive, a smaller --size-factor, or check the part in a CAD tool.',
  };
}

/** Records the winning attempt and its collected mesh; a Modal job also gets its cost and its completed call. */
export function recordWinner(
  store: JobStore,
  id: string,
  winner: AttemptOutcome,
  mesh: Omit<NonNullable<JobResult['mesh']>, 'nodes' | 'elements'>,
  modal: { cost: JobCostSummary | null } | null,
): NonNullable<JobResult['mesh']> {
  const full = { ...mesh, nodes: winner.nodes ?? 0, elements: winner.elements! };
  store.updateJob(id, { strategy: winner.strategy, score: winner.score, mesh: full, quality: winner.quality ?? null });
  if (modal)
    store.updateJob(id, { cost: modal.cost, modalStatus: 'completed', modalCompletedAt: new Date().toISOString() });
  return full;
}

/** The job's closing line about its winner. */
export const winnerLine = (w: AttemptOutcome, dest: string) =>
  `Winner: ${w.strategy}, score ${w.score?.toFixed(2)}, ${w.elements?.tetrahedra} tetrahedra -> ${dest}`;
