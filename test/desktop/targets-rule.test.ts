// "Meets the targets" is one rule (src/contract/targets.ts), applied alike by the policy (which attempt is
// acceptable and wins), the job's record (`targets`) and the desktop's quality card: at the boundary (SICN min equal
// to the target), below it, and with an inverted element.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../src/contract/attempt';
import { DEFAULT_SETTINGS, type JobResult, type MetricStats, type QualityReport } from '../../src/contract/job';
import { targetsOf } from '../../src/contract/targets';
import { acceptable, chooseWinner } from '../../src/jobs/policy/policy';
import { QualityCard, whyLost } from '../../renderer/src/components/QualityCard';

const stats = (min: number): MetricStats => ({ min, avg: 0.6, max: 1, p10: 0.4, histogram: { edges: [], counts: [] } });
const quality = (sicnMin: number, inverted: number): QualityReport => ({
  elements: 1000,
  cornerNodesOnly: false,
  sicn: stats(sicnMin),
  gamma: stats(0.2),
  aspectRatio: stats(1.2),
  minDihedralDeg: stats(10),
  skewness: stats(0),
  inverted,
});
const outcome = (index: number, q: QualityReport): AttemptOutcome => ({
  index,
  strategy: `s${index}`,
  status: 'completed',
  score: 40 - index,
  error: null,
  seconds: 1,
  argv: [],
  quality: q,
  timings: { totalMs: 1000, phases: {} },
});
const targets = { minSicn: 0.1 };
const jobOf = (q: QualityReport, winnerIndex: number | null = 0) =>
  ({
    id: 'j',
    status: 'completed',
    settings: { ...DEFAULT_SETTINGS, targets },
    strategy: 's0',
    winnerIndex,
    score: 40,
    quality: q,
    attempts: [outcome(0, q)],
  }) as unknown as JobResult;
const card = (q: QualityReport) => renderToStaticMarkup(createElement(QualityCard, { job: jobOf(q) }));

describe('meets the targets, one rule everywhere', () => {
  it('SICN min equal to the target meets it: acceptable, met in the record, met on the card', () => {
    const q = quality(0.1, 0);
    expect(acceptable(outcome(0, q), targets)).toBe(true);
    expect(targetsOf(q, targets)).toEqual({ minSicn: 0.1, met: true, missed: [] });
    expect(card(q)).toContain('target ≥ 0.1 met');
    expect(card(q)).not.toContain('missed');
  });

  it('below the target: not acceptable, missed in words, missed on the card, and why the attempt lost', () => {
    const q = quality(0.0999, 0);
    expect(acceptable(outcome(0, q), targets)).toBe(false);
    expect(targetsOf(q, targets)).toEqual({ minSicn: 0.1, met: false, missed: ['SICN min 0.100 < 0.1'] });
    expect(card(q)).toContain('target ≥ 0.1 missed');
    expect(whyLost(outcome(0, q) as never, jobOf(q, null))).toBe('below the target: SICN min 0.100 < 0.1');
  });

  it('an inverted element misses the targets whatever the SICN minimum, and the first-acceptable winner skips it', () => {
    const q = quality(0.5, 1);
    expect(acceptable(outcome(0, q), targets)).toBe(false);
    expect(targetsOf(q, targets)?.missed).toEqual(['1 inverted element']);
    expect(card(q)).toMatch(/inverted elements<\/td><td>1<\/td><td class="error-text">missed/);
    expect(whyLost(outcome(0, q) as never, jobOf(q, null))).toBe('below the target: 1 inverted element');
    const good = outcome(1, quality(0.2, 0));
    expect(chooseWinner([outcome(0, q), good], 'first-acceptable', targets)?.index).toBe(1);
  });
});
