// Issue 18: the kept mesh is the best by the engineer's targets, worst element first (not the averaged score); a
// repair round is kept only if it beats its parent; a named strategy runs alone; a below-target job looks like one
// wherever it is shown.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../src/contract/attempt';
import { DEFAULT_SETTINGS, type JobResult, type MetricStats, type QualityReport } from '../../src/contract/job';
import { shownStatus, targetsOf, worseThanParent } from '../../src/contract/targets';
import { scoreOf } from '../../src/quality/kernel';
import { acceptable, chooseWinner } from '../../src/jobs/policy/policy';
import { repairWanted } from '../../src/jobs/pipeline/cascade';
import { jobBadges } from '../../renderer/src/job-facts';
import { RepairBanner } from '../../renderer/src/components/RepairBanner';
import { whyLost } from '../../renderer/src/components/QualityCard';

const stats = (min: number, avg = 0.6, max = 1): MetricStats => ({
  min,
  avg,
  max,
  p10: 0.4,
  histogram: { edges: [], counts: [] },
});
const quality = (
  sicnMin: number,
  o: { avg?: number; elements?: number; dihedral?: number; aspect?: number } = {},
): QualityReport => ({
  elements: o.elements ?? 1000,
  cornerNodesOnly: false,
  sicn: stats(sicnMin, o.avg ?? 0.6),
  gamma: stats(0.2),
  aspectRatio: stats(1.2, 2, o.aspect ?? 5),
  minDihedralDeg: stats(o.dihedral ?? 10),
  skewness: stats(0),
  inverted: 0,
});
const outcome = (index: number, q: QualityReport, extra: Partial<AttemptOutcome> = {}): AttemptOutcome => ({
  index,
  strategy: `s${index}`,
  status: 'completed',
  score: scoreOf(q),
  error: null,
  seconds: 1,
  argv: [],
  quality: q,
  timings: { totalMs: 1000, phases: {} },
  ...extra,
});
const T = { minSicn: 0.1 };

describe('the kept mesh: best by the targets, worst element first', () => {
  // The part at size factor 0.5: finest-size (fine, good average, SICN min 0.0017) had the lower score;
  // finer-size reached 0.0088. A solver fails on the worst element.
  const finer = outcome(3, quality(0.0088, { avg: 0.62, elements: 20_000 }));
  const finest = outcome(6, quality(0.0017, { avg: 0.75, elements: 80_000 }));

  it('keeps the higher worst SICN when none meets the targets, whatever the score says', () => {
    expect(finest.score!).toBeLessThan(finer.score!); // the old rule (lowest score) kept finest-size
    for (const policy of ['first-acceptable', 'best'] as const)
      expect(chooseWinner([finer, finest], policy, T)?.index).toBe(3);
  });

  it('among meshes that meet the targets the score still decides (best)', () => {
    const a = outcome(0, quality(0.2, { avg: 0.6 }));
    const b = outcome(1, quality(0.3, { avg: 0.7 }));
    expect(chooseWinner([a, b], 'best', T)?.index).toBe(1);
    expect(chooseWinner([a, b], 'first-acceptable', T)?.index).toBe(0);
  });

  it('a dihedral or aspect target is judged too: met SICN with a 2.1° angle is a miss', () => {
    const q = quality(0.3, { dihedral: 2.1 });
    const t = { minSicn: 0.1, minDihedral: 5 };
    expect(acceptable(outcome(0, q), t)).toBe(false);
    expect(targetsOf(q, t)).toEqual({ ...t, met: false, missed: ['min dihedral angle 2.10° < 5°'] });
    const ta = { minSicn: 0.1, maxAspect: 4 };
    expect(targetsOf(quality(0.3, { aspect: 12 }), ta)?.missed).toEqual(['max aspect ratio 12.0 > 4']);
    // Both below: the smaller worst miss wins (2.1° misses 5° by 58 %, SICN 0.08 misses 0.1 by 20 %).
    const sharp = outcome(0, quality(0.3, { dihedral: 2.1 }));
    const dull = outcome(1, quality(0.08, { dihedral: 6 }));
    expect(chooseWinner([sharp, dull], 'best', t)?.index).toBe(1);
  });
});

describe('a repair round against its parent', () => {
  const parent = quality(0.0886);
  it('worse or equal worst element: set aside, in words; better: kept', () => {
    expect(worseThanParent(quality(0.0456), parent, T)).toMatch(/worst element is no better than its parent's/);
    expect(worseThanParent(quality(0.0886), parent, T)).not.toBeNull();
    expect(worseThanParent(quality(0.12), parent, T)).toBeNull();
  });
  it('a round that breaks a target its parent met is set aside even with a better SICN', () => {
    const t = { minSicn: 0.1, minDihedral: 5 };
    expect(worseThanParent(quality(0.095, { dihedral: 3 }), quality(0.05, { dihedral: 8 }), t)).toMatch(
      /breaks a target its parent met \(min dihedral angle 3\.00° < 5°\)/,
    );
  });
  it('a set-aside round is never the winner, even with the best worst element', () => {
    const p = outcome(0, parent);
    const r = outcome(7, quality(0.095), { discarded: 'not kept: test', parent: 0, strategy: 'targeted-repair' });
    expect(chooseWinner([p, r], 'best', T)?.index).toBe(0);
  });
  it('a named strategy runs alone: repair only when asked', () => {
    expect(repairWanted({ ...DEFAULT_SETTINGS })).toBe(true);
    expect(repairWanted({ ...DEFAULT_SETTINGS, strategy: 'exhaustive' })).toBe(true);
    expect(repairWanted({ ...DEFAULT_SETTINGS, strategy: 'default' })).toBe(false);
    expect(repairWanted({ ...DEFAULT_SETTINGS, strategy: 'default', repair: true })).toBe(true);
    expect(repairWanted({ ...DEFAULT_SETTINGS, repair: false })).toBe(false);
  });
});

describe('a miss looks like a miss', () => {
  const job = (met: boolean, extra: Partial<JobResult> = {}) =>
    ({
      id: met ? 'met' : 'missed',
      status: 'completed',
      backend: 'local',
      requestedBackend: 'local',
      input: { path: '/p/part.step', sha256: null, bytes: 1, format: 'step' },
      settings: DEFAULT_SETTINGS,
      strategy: 's0',
      winnerIndex: 0,
      score: 40,
      attempts: [outcome(0, quality(met ? 0.2 : 0.05))],
      mesh: null,
      quality: quality(met ? 0.2 : 0.05),
      timings: { totalMs: 1000, phases: {} },
      targets: targetsOf(quality(met ? 0.2 : 0.05), T),
      ...extra,
    }) as unknown as JobResult;

  it('status badge (job row, status line): "below target", never the plain "completed"', () => {
    expect(shownStatus(job(false))).toBe('below target');
    expect(shownStatus(job(true))).toBe('completed');
    const badges = (j: JobResult) => jobBadges(j).map((b) => `${b.tone}:${b.text}`);
    expect(badges(job(false))).toContain('flag-warn:below target');
    expect(badges(job(true))).not.toContain('flag-warn:below target');
  });

  it('the repair banner speaks only of a kept repair; a set-aside round says why it lost', () => {
    const rep = { from: 'default', surfaces: [3, 7], badTets: 4, worstSicn: 0.05 };
    const keptParent = job(false, {
      attempts: [
        outcome(0, quality(0.05)),
        outcome(1, quality(0.04), { strategy: 'targeted-repair', repair: rep, parent: 0, discarded: 'not kept: x' }),
      ],
    });
    const banner = (j: JobResult) =>
      renderToStaticMarkup(createElement(RepairBanner, { job: j, showing: false, canShow: true, onToggle: () => {} }));
    expect(banner(keptParent)).toBe('');
    expect(whyLost(keptParent.attempts[1], keptParent)).toBe('not kept: x');
    const keptRepair = job(false, {
      ...keptParent,
      winnerIndex: 1,
      attempts: [keptParent.attempts[0], { ...keptParent.attempts[1], discarded: undefined }],
    });
    expect(banner(keptRepair)).toContain('attempt 1, which refined faces 3, 7 of default');
  });
});
