// The Attempts tab marks the kept attempt by its index (`JobResult.winnerIndex`), not by its strategy's name: after
// a second chance or repair rounds one strategy names several rows, and exactly one of them is the job's mesh.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type AttemptResult, type JobResult } from '../../src/contract/job';
import { whyLost } from '../../renderer/src/components/QualityCard';
import { Attempts } from '../../renderer/src/components/TimingsPanel';

const attempt = (index: number, strategy: string, status: AttemptResult['status'], error: string | null = null) =>
  ({
    index,
    strategy,
    status,
    score: status === 'completed' ? 30 + index : null,
    error,
    seconds: 1,
    argv: [],
  }) as AttemptResult;

// round-rim's shape: finest-size stopped by the element budget, then its second chance kept.
const job = {
  id: 'j',
  status: 'completed',
  settings: DEFAULT_SETTINGS,
  strategy: 'finest-size',
  winnerIndex: 3,
  score: 33,
  attempts: [
    attempt(0, 'default', 'completed'),
    attempt(1, 'finest-size', 'cancelled', 'stopped: heading for ~170,000 tetrahedra'),
    attempt(2, 'targeted-repair', 'completed'),
    attempt(3, 'finest-size', 'completed'),
  ],
} as unknown as JobResult;

describe('the kept attempt', () => {
  it('is the one row at winnerIndex, even when its strategy ran twice', () => {
    expect(job.attempts.map((a) => whyLost(a, job) === null)).toEqual([false, false, false, true]);
    const html = renderToStaticMarkup(createElement(Attempts, { job }));
    expect(html.match(/★/g)).toHaveLength(1);
    expect(html.match(/kept: this is the job&#x27;s mesh/g)).toHaveLength(1);
    const rows = html.split('<tr').slice(2); // header row first
    expect(rows[3]).toContain('★');
  });
});
