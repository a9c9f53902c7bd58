// The end of a job as a fresh run and a resumed one both write it (src/jobs/job-end.ts).
import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../src/contract/attempt';
import { allAttemptsFailed, attemptLine } from '../../src/jobs/pipeline/record';

const outcome = (
  index: number,
  strategy: string,
  status: AttemptOutcome['status'],
  error: string | null,
): AttemptOutcome => ({
  index,
  strategy,
  status,
  score: null,
  error,
  seconds: 1,
  argv: [],
  timings: { totalMs: 1000, phases: {} },
});

describe('job end', () => {
  it('every attempt failed: each reason in attempt order, whatever order they finished in', () => {
    const e = allAttemptsFailed('/parts/p.step', [
      outcome(2, 'hxt', 'failed', 'Invalid boundary mesh on surface 8'),
      outcome(0, 'default', 'failed', null),
    ]);
    expect(e.code).toBe('all-attempts-failed');
    expect(e.message).toBe(
      'Every attempt failed for /parts/p.step. default: failed | hxt: Invalid boundary mesh on surface 8',
    );
    expect(e.hint).toBeTruthy();
  });

  it('every attempt failed the same way: the reason once, with the attempts that gave it', () => {
    const e = allAttemptsFailed('/parts/p.step', [
      outcome(0, 'default', 'failed', 'attempt-0-default.msh: no $Nodes section'),
      outcome(1, 'hxt', 'failed', 'attempt-0-default.msh: no $Nodes section'),
      outcome(2, 'finer-size', 'failed', 'Invalid boundary mesh on surface 8'),
    ]);
    expect(e.message).toBe(
      'Every attempt failed for /parts/p.step. default, hxt: attempt-0-default.msh: no $Nodes section | finer-size: Invalid boundary mesh on surface 8',
    );
  });

  it("an attempt's line: a warning with its reason when it failed", () => {
    expect(attemptLine(outcome(1, 'hxt', 'failed', 'no tetrahedra written'))).toEqual({
      level: 'warning',
      text: 'Attempt hxt: failed — no tetrahedra written',
    });
  });
});
