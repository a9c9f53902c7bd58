// The strategy policy: which attempts run, how many at once, and which one wins.
//  - first-acceptable: walk the catalogue in order with up to N in flight; the earliest attempt (in catalogue order)
//    that meets the targets wins, attempts after it are cancelled, attempts before it are awaited (under the
//    adaptive cascade only for a bounded time: BUDGET_RULES.waitFactor × the acceptable attempt's own time).
//  - best: run everything; among the meshes that meet the targets the lowest score wins.
// Inverted elements disqualify. If nothing meets the targets, the valid mesh that misses them least, worst element
// first, is kept (not the best average: a solver fails on the worst element) and the job says so.
import type { AttemptOutcome } from '../../contract/attempt';
import type { Policy, QualityTargets } from '../../contract/job';
import { compareByTargets, meetsTargets } from '../../contract/targets';
import { estimatedCost } from '../../strategy/catalogue';
import type { PlannedAttempt } from '../../strategy/plan';
import type { AttemptBudgets } from './budget';

export interface PolicyRun {
  planned: PlannedAttempt[];
  policy: Policy;
  targets: QualityTargets;
  parallel: number;
  signal: AbortSignal;
  /** Stop and keep the best: no new attempts, running ones end, finished meshes stay candidates. */
  stop?: AbortSignal;
  /** Seconds for the whole job; past it the job stops as if asked to and keeps the best mesh so far. */
  timeBudgetSec?: number | null;
  /** Per-attempt budgets and the bounded wait of first-acceptable (the adaptive cascade); absent: plain order. */
  budgets?: AttemptBudgets | null;
  /**
   * Adaptive cascade: asked after an attempt ends with a valid mesh below the targets; a repair attempt it returns
   * runs next, ahead of the rest of the catalogue. Asked one attempt at a time, in the order they end.
   */
  repair?: (o: AttemptOutcome) => PlannedAttempt | null | Promise<PlannedAttempt | null>;
  /**
   * Adaptive cascade: asked once, when the queue has run out and nothing met the targets (repairs included), with the
   * attempt the element budget stopped that was heading for the fewest tetrahedra; the attempt it returns re-runs it
   * without the element budget (the time budgets still apply) and competes for the winner like any other.
   */
  secondChance?: (stopped: { index: number; tets: number }) => PlannedAttempt | null;
  /** `observe` takes the attempt's log lines (the budgets read Gmsh's progress from them). */
  run(p: PlannedAttempt, signal: AbortSignal, observe: (line: string) => void): Promise<AttemptOutcome>;
  /** The attempt was stopped because an earlier one won. */
  onSuperseded(p: PlannedAttempt, by: PlannedAttempt): void;
}

export interface PolicyResult {
  outcomes: Map<number, AttemptOutcome>;
  winner: AttemptOutcome | null;
  /** Why the job stopped early keeping the best so far (the user, the job's time budget), or null. */
  stopped: string | null;
}

/** A mesh the job may keep: completed, no inverted element, and not set aside (a repair no better than its parent). */
const valid = (o: AttemptOutcome) => o.status === 'completed' && o.score !== null && !o.discarded;

/** A valid mesh that meets the targets (src/contract/targets.ts). */
export const acceptable = (o: AttemptOutcome, targets: QualityTargets): boolean =>
  valid(o) && !!o.quality && meetsTargets(o.quality, targets);

/** Why an attempt stopped early: the reason its AbortSignal was aborted with, when it is one in words. */
export const stopReason = (signal: AbortSignal): string | null =>
  signal.aborted && typeof signal.reason === 'string' ? signal.reason : null;

const USER_STOP = 'stopped by the user';

export async function runPolicy(r: PolicyRun): Promise<PolicyResult> {
  const queue = r.planned.filter((p) => !p.skip);
  // Under `best` order does not change the winner, so the longest attempts go first (LPT): better use of the pool.
  if (r.policy === 'best')
    queue.sort((a, b) => estimatedCost(b.entry) - estimatedCost(a.entry) || a.spec.index - b.spec.index);
  const outcomes = new Map<number, AttemptOutcome>();
  const inflight = new Map<
    number,
    { p: PlannedAttempt; ac: AbortController; done: Promise<void>; deadline: number; waitReason: string }
  >();
  let winnerIdx = Infinity; // first-acceptable: index of the earliest acceptable attempt so far
  let failure: unknown = null;
  let stopped: string | null = null;
  const t0 = performance.now();
  const budgets = r.budgets ?? null;

  const onJobAbort = () => inflight.forEach((f) => f.ac.abort());
  r.signal.addEventListener('abort', onJobAbort, { once: true });
  const stopAll = (reason: string) => {
    if (stopped !== null) return;
    stopped = reason;
    inflight.forEach((f) => f.ac.abort(reason));
  };
  const onStop = () => stopAll(USER_STOP);
  if (r.stop?.aborted) onStop();
  else r.stop?.addEventListener('abort', onStop, { once: true });

  // Budgets are checked a few times a second while attempts run.
  const tick = () => {
    if (r.timeBudgetSec && performance.now() - t0 > r.timeBudgetSec * 1000)
      stopAll(`stopped: the job's time budget of ${r.timeBudgetSec} s ran out`);
    for (const f of inflight.values()) {
      if (f.ac.signal.aborted) continue;
      if (performance.now() > f.deadline) f.ac.abort(f.waitReason);
      else {
        const why = budgets?.overBudget(f.p.spec.index);
        if (why) f.ac.abort(why);
      }
    }
  };
  const timer = budgets || r.timeBudgetSec ? setInterval(tick, 200) : null;

  let repairTurn: Promise<unknown> = Promise.resolve();
  const launch = (p: PlannedAttempt) => {
    const ac = new AbortController();
    budgets?.start(p.spec.index);
    const done = r
      .run(p, ac.signal, (line) => budgets?.line(p.spec.index, line))
      .then(async (o) => {
        outcomes.set(p.spec.index, o);
        budgets?.finished(o);
        const worthRepair = () => winnerIdx === Infinity && stopped === null && !r.signal.aborted;
        if (r.repair && valid(o) && !acceptable(o, r.targets) && worthRepair()) {
          // A remote mesh is downloaded first; this attempt stays in flight until then, so the run waits for it.
          // One decision at a time: attempts ending during another's download would all pass the hook's round check
          // (one became "round 2" of a plain attempt, the rest downloaded meshes for nothing).
          const repair = r.repair;
          const turn = repairTurn.then(() => (worthRepair() ? repair(o) : null));
          repairTurn = turn.catch(() => undefined);
          const fix = await turn;
          if (fix && worthRepair()) queue.unshift(fix);
        }
        if (r.policy === 'first-acceptable' && acceptable(o, r.targets) && p.spec.index < winnerIdx) {
          winnerIdx = p.spec.index;
          for (const f of inflight.values()) {
            if (f.p.spec.index > winnerIdx) {
              r.onSuperseded(f.p, p);
              f.ac.abort();
            } else if (budgets && f.p.spec.index < winnerIdx && o.seconds !== null) {
              // No long wait on a slow earlier attempt: it gets a bounded share of the acceptable one's time.
              const extra = budgets.rules.waitFactor * o.seconds;
              f.deadline = Math.min(f.deadline, performance.now() + extra * 1000);
              f.waitReason = `stopped: ${p.spec.strategy} met the targets after ${o.seconds.toFixed(2)} s and this earlier attempt was given ${extra.toFixed(2)} s more (${budgets.rules.waitFactor}× its time)`;
            }
          }
        }
      })
      .catch((e) => {
        failure ??= e; // infrastructure failure (e.g. backend unavailable): stop everything
        inflight.forEach((f) => f.ac.abort());
      })
      .finally(() => inflight.delete(p.spec.index));
    inflight.set(p.spec.index, { p, ac, done, deadline: Infinity, waitReason: '' });
  };

  // Nothing met the targets and the element budget stopped something that might have: re-run the cheapest of those once.
  let secondChanceAsked = false;
  const secondChance = (): PlannedAttempt | null => {
    if (!budgets || !r.secondChance || secondChanceAsked) return null;
    if ([...outcomes.values()].some((o) => acceptable(o, r.targets))) return null;
    const candidates = [...budgets.elementStops]
      .filter(([i]) => outcomes.get(i)?.status === 'cancelled')
      .sort((a, b) => a[1] - b[1]);
    if (!candidates.length) return null;
    secondChanceAsked = true;
    return r.secondChance({ index: candidates[0][0], tets: candidates[0][1] });
  };

  try {
    while (!r.signal.aborted && failure === null) {
      // Plain order may still start attempts before the winner; the adaptive cascade starts nothing once one is acceptable.
      const wanted = (p: PlannedAttempt) => (budgets ? winnerIdx === Infinity : p.spec.index < winnerIdx);
      while (
        queue.length &&
        inflight.size < r.parallel &&
        wanted(queue[0]) &&
        failure === null &&
        stopped === null &&
        !r.signal.aborted
      )
        launch(queue.shift()!);
      if (!inflight.size) {
        const again =
          !queue.length && stopped === null && failure === null && !r.signal.aborted ? secondChance() : null;
        if (!again) break;
        budgets!.withoutElementBudget(again.spec.index);
        queue.push(again);
        continue;
      }
      await Promise.race([...inflight.values()].map((f) => f.done));
    }
    await Promise.all([...inflight.values()].map((f) => f.done));
  } finally {
    if (timer) clearInterval(timer);
    r.signal.removeEventListener('abort', onJobAbort);
    r.stop?.removeEventListener('abort', onStop);
  }
  if (failure !== null) throw failure;

  const winner = chooseWinner([...outcomes.values()], r.policy, r.targets);
  return { outcomes, winner, stopped };
}

/**
 * The winner among finished attempts: under first-acceptable the earliest (catalogue order) that meets the targets;
 * otherwise, or when none does, the best by the targets, worst element first (`compareByTargets`: the mesh that misses
 * them least), the score breaking ties (among meshes that all meet the targets, the lowest score), then the attempt
 * order. Also used when a remote job is resumed and when the job is stopped early.
 */
export function chooseWinner(
  outcomes: AttemptOutcome[],
  policy: Policy,
  targets: QualityTargets,
): AttemptOutcome | null {
  const done = outcomes.filter((o) => valid(o) && !!o.quality).sort((a, b) => a.index - b.index);
  if (policy === 'first-acceptable') {
    const first = done.find((o) => acceptable(o, targets));
    if (first) return first;
  }
  const better = (a: AttemptOutcome, b: AttemptOutcome) =>
    (compareByTargets(a.quality!, b.quality!, targets) || a.score! - b.score! || a.index - b.index) < 0;
  return done.reduce<AttemptOutcome | null>((best, o) => (best === null || better(o, best) ? o : best), null);
}
