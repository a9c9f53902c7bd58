// The learned order of the adaptive cascade, opt-in (`learnedOrder`): the attempt that won on this very part (its
// sha256) with the same sizes and targets (`learnKey`) goes first; the rest follow their win rate on this machine
// (wins with targets met / jobs they ran in, smoothed so an attempt with no history sits at an even chance),
// catalogue order breaking ties. Indices follow the new order, because first-acceptable prefers the earliest index.
// Off by default: under first-acceptable the order decides the kept mesh, and a job must give the same mesh fresh
// and after other jobs.
import type { MeshSettings } from '../../contract/job';
import type { PlannedAttempt } from '../../strategy/plan';
import type { JobStore } from '../store/store';

export interface StrategyRate {
  strategy: string;
  runs: number;
  wins: number;
  /** (wins + 1) / (runs + 2): 0.5 with no history. */
  rate: number;
}

export function winRates(store: JobStore): StrategyRate[] {
  return store
    .strategyStats()
    .map((s) => ({ ...s, rate: (s.wins + 1) / (s.runs + 2) }))
    .sort((a, b) => b.rate - a.rate || b.runs - a.runs || a.strategy.localeCompare(b.strategy));
}

/**
 * The settings that decide which attempt can win, besides the part: a winner at another size factor or target says
 * nothing about this job (on a pump housing, size factor 1's winner kept 11× the tetrahedra at 0.5).
 */
const learnKey = (s: MeshSettings): string =>
  JSON.stringify({
    sizeFactor: s.sizeFactor,
    elementOrder: s.elementOrder,
    targets: s.targets,
    sizing: s.sizing ?? null,
  });

export interface LearnedOrder {
  planned: PlannedAttempt[];
  /** In words, for the job's log; null when the order is the catalogue's. */
  note: string | null;
}

export function learnedOrder(
  planned: PlannedAttempt[],
  store: JobStore,
  sha256: string,
  settings: MeshSettings,
): LearnedOrder {
  const key = learnKey(settings);
  const last = store.lastWinnerFor(sha256, (s) => learnKey(s) === key);
  const rate = new Map(winRates(store).map((r) => [r.strategy, r.rate]));
  const runnable = planned.filter((p) => !p.skip);
  const weight = (p: PlannedAttempt) => (p.spec.strategy === last?.strategy ? 2 : (rate.get(p.spec.strategy) ?? 0.5));
  const ordered = [...runnable].sort((a, b) => weight(b) - weight(a) || a.spec.index - b.spec.index);
  const all = [...ordered, ...planned.filter((p) => p.skip)];
  if (all.every((p, i) => p === planned[i])) return { planned, note: null };
  const renumbered = all.map((p, index) => ({ ...p, spec: { ...p.spec, index } }));
  const why =
    last && ordered[0].spec.strategy === last.strategy
      ? `${last.strategy} first (it won on this part with these sizes and targets in job ${last.jobId})`
      : 'no winner on this part with these sizes and targets yet';
  return {
    planned: renumbered,
    note: `Learned order: ${why}; then by win rate on this machine: ${ordered.map((p) => p.spec.strategy).join(', ')}`,
  };
}
