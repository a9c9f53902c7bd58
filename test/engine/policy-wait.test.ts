// The bounded wait of first-acceptable under the adaptive cascade: an acceptable attempt waits for a slower earlier
// one for at most its own time again (CASCADE_RULES.waitFactor), where the plain order waits for it to end. The
// scheduling rule is tested on its own, with attempts that take a set time and report a set quality.
import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../src/contract/attempt';
import { DEFAULT_SETTINGS } from '../../src/contract/job';
import { AttemptBudgets } from '../../src/jobs/policy/budget';
import { runPolicy, stopReason } from '../../src/jobs/policy/policy';
import { planAttempts, type PlannedAttempt } from '../../src/strategy/plan';

const caps = { openCascade: true, hxt: true, netgen: false, mmg: false };
// default (index 0) is slow, hxt (index 1) is quick and acceptable.
const timing: Record<string, { ms: number; sicnMin: number }> = {
  default: { ms: 4000, sicnMin: 0.3 },
  hxt: { ms: 300, sicnMin: 0.3 },
};

function attempt(p: PlannedAttempt, signal: AbortSignal): Promise<AttemptOutcome> {
  const t = timing[p.spec.strategy];
  const t0 = performance.now();
  return new Promise((resolve) => {
    const done = (cancelled: boolean) =>
      resolve({
        index: p.spec.index,
        strategy: p.spec.strategy,
        status: cancelled ? 'cancelled' : 'completed',
        score: cancelled ? null : 30,
        argv: [],
        error: cancelled ? stopReason(signal) : null,
        seconds: (performance.now() - t0) / 1000,
        timings: { totalMs: 0, phases: {} },
        quality: cancelled ? undefined : ({ inverted: 0, sicn: { min: t.sicnMin } } as AttemptOutcome['quality']),
      });
    const timer = setTimeout(() => done(false), t.ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        done(true);
      },
      { once: true },
    );
  });
}

const run = (budgets: AttemptBudgets | null) => {
  const planned = planAttempts('j', 'step', DEFAULT_SETTINGS, caps).filter((p) => p.spec.strategy in timing);
  const t0 = performance.now();
  return runPolicy({
    planned,
    policy: 'first-acceptable',
    targets: { minSicn: 0.1 },
    parallel: 2,
    signal: new AbortController().signal,
    budgets,
    run: attempt,
    onSuperseded: () => undefined,
  }).then((r) => ({ ...r, ms: performance.now() - t0 }));
};

describe('first-acceptable under the adaptive cascade', () => {
  it('stops a slow earlier attempt once a later one has been acceptable for as long again as it took', async () => {
    const r = await run(new AttemptBudgets());
    expect(r.winner?.strategy).toBe('hxt');
    expect(r.outcomes.get(0)?.status).toBe('cancelled');
    expect(r.outcomes.get(0)?.error).toMatch(
      /^stopped: hxt met the targets after 0\.\d\d s and this earlier attempt was given 0\.\d\d s more \(1× its time\)$/,
    );
    expect(r.ms).toBeLessThan(1500);
  });

  it('the plain order waits for the earlier attempt to finish (and it wins, being earlier)', async () => {
    const r = await run(null);
    expect(r.outcomes.get(0)?.status).toBe('completed');
    expect(r.winner?.strategy).toBe('default');
    expect(r.ms).toBeGreaterThan(3900);
  });
});
