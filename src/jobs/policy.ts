// The strategy policy: which attempts run, how many at once, and which one wins.
//  - first-acceptable: walk the catalogue in order with up to N in flight; the earliest attempt (in catalogue order)
//    that meets the targets wins, attempts after it are cancelled, attempts before it are awaited.
//  - best: run everything, keep the lowest score.
// Inverted elements disqualify. If nothing meets the targets, the best-scoring valid mesh is kept and the job says so.
import type { AttemptOutcome } from '../contract/attempt';
import type { Policy, QualityTargets } from '../contract/job';
import { estimatedCost } from '../strategy/catalogue';
import type { PlannedAttempt } from '../strategy/plan';

export interface PolicyRun {
  planned: PlannedAttempt[];
  policy: Policy;
  targets: QualityTargets;
  parallel: number;
  signal: AbortSignal;
  run(p: PlannedAttempt, signal: AbortSignal): Promise<AttemptOutcome>;
  /** The attempt was stopped because an earlier one won. */
  onSuperseded(p: PlannedAttempt, by: PlannedAttempt): void;
}

export interface PolicyResult {
  outcomes: Map<number, AttemptOutcome>;
  winner: AttemptOutcome | null;
  /** True when the winner meets the targets (always true for a winner under `best` that meets them). */
  winnerAcceptable: boolean;
}

export function acceptable(o: AttemptOutcome, targets: QualityTargets): boolean {
  return o.status === 'completed' && !!o.quality && o.quality.inverted === 0 && o.score !== null && o.quality.sicn.min >= targets.minSicn;
}

const valid = (o: AttemptOutcome) => o.status === 'completed' && o.score !== null;

export async function runPolicy(r: PolicyRun): Promise<PolicyResult> {
  const queue = r.planned.filter((p) => !p.skip);
  // Under `best` order does not change the winner, so the longest attempts go first (LPT): better use of the pool.
  if (r.policy === 'best') queue.sort((a, b) => estimatedCost(b.entry) - estimatedCost(a.entry) || a.spec.index - b.spec.index);
  const outcomes = new Map<number, AttemptOutcome>();
  const inflight = new Map<number, { p: PlannedAttempt; ac: AbortController; done: Promise<void> }>();
  let winnerIdx = Infinity; // first-acceptable: index of the earliest acceptable attempt so far
  let failure: unknown = null;

  const onJobAbort = () => inflight.forEach((f) => f.ac.abort());
  r.signal.addEventListener('abort', onJobAbort, { once: true });

  const launch = (p: PlannedAttempt) => {
    const ac = new AbortController();
    const done = r
      .run(p, ac.signal)
      .then((o) => {
        outcomes.set(p.spec.index, o);
        if (r.policy === 'first-acceptable' && acceptable(o, r.targets) && p.spec.index < winnerIdx) {
          winnerIdx = p.spec.index;
          for (const f of inflight.values())
            if (f.p.spec.index > winnerIdx) {
              r.onSuperseded(f.p, p);
              f.ac.abort();
            }
        }
      })
      .catch((e) => {
        failure ??= e; // infrastructure failure (e.g. backend unavailable): stop everything
        inflight.forEach((f) => f.ac.abort());
      })
      .finally(() => inflight.delete(p.spec.index));
    inflight.set(p.spec.index, { p, ac, done });
  };

  try {
    while (!r.signal.aborted && failure === null) {
      while (queue.length && inflight.size < r.parallel && queue[0].spec.index < winnerIdx && failure === null && !r.signal.aborted) launch(queue.shift()!);
      if (!inflight.size) break;
      await Promise.race([...inflight.values()].map((f) => f.done));
    }
    await Promise.all([...inflight.values()].map((f) => f.done));
  } finally {
    r.signal.removeEventListener('abort', onJobAbort);
  }
  if (failure !== null) throw failure;

  const winner = chooseWinner([...outcomes.values()], r.policy, r.targets);
  return { outcomes, winner, winnerAcceptable: !!winner && acceptable(winner, r.targets) };
}

/**
 * The winner among finished attempts: under first-acceptable the earliest (catalogue order) that meets the targets;
 * otherwise, or when none does, the lowest score among valid meshes. Also used when a remote job is resumed.
 */
export function chooseWinner(outcomes: AttemptOutcome[], policy: Policy, targets: QualityTargets): AttemptOutcome | null {
  const done = outcomes.filter(valid).sort((a, b) => a.index - b.index);
  if (policy === 'first-acceptable') {
    const first = done.find((o) => acceptable(o, targets));
    if (first) return first;
  }
  const ok = done.filter((o) => acceptable(o, targets));
  const pool = ok.length ? ok : done;
  return pool.reduce<AttemptOutcome | null>((best, o) => (best === null || o.score! < best.score! ? o : best), null);
}
