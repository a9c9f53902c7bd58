// A strip above the viewer that says why the selected job has no mesh (failed, cancelled, interrupted) or a mesh
// below its targets, with each
// distinct reason once and what to try in the workbench's own terms. Dismissable; it never covers the viewer.
import { useState } from 'react';
import type { AttemptResult, JobResult } from '../../../src/contract/job';

/** Each distinct attempt reason once, with how many attempts gave it and which strategies. */
function groupReasons(attempts: AttemptResult[]): { reason: string; count: number; strategies: string[] }[] {
  const by = new Map<string, { reason: string; count: number; strategies: string[] }>();
  for (const a of attempts) {
    if (a.status !== 'failed') continue;
    const reason = (a.error ?? 'failed without a reason').trim();
    const g = by.get(reason) ?? { reason, count: 0, strategies: [] };
    g.count++;
    g.strategies.push(a.strategy);
    by.set(reason, g);
  }
  return [...by.values()].sort((x, y) => y.count - x.count);
}

export function JobBanner({ job, failedTags }: { job: JobResult | null; failedTags: number[] }) {
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());
  if (!job || dismissed.has(job.id)) return null;
  const below = job.status === 'completed' && job.targets && !job.targets.met;
  if (job.status !== 'failed' && job.status !== 'cancelled' && job.status !== 'interrupted' && !below) return null;
  const close = (
    <button
      className="banner-close"
      title="Dismiss"
      aria-label="Dismiss"
      data-testid="banner-close"
      onClick={() => setDismissed(new Set(dismissed).add(job.id))}
    >
      ×
    </button>
  );
  if (below)
    return (
      <div className="banner warn" data-testid="targets-missed" title={job.targets!.missed.join('; ')}>
        {close}
        <strong>Below target:</strong> {job.targets!.missed.join('; ')}. The best valid mesh ({job.strategy}) was kept
        {job.stopped ? `; ${job.stopped.reason}` : ''}.
        {job.geometry?.causes.length ? (
          <span data-testid="geometry-banner">
            {' '}
            Its bad elements sit next to small CAD features (marked in orange):{' '}
            {job.geometry.causes
              .slice(0, 3)
              .map((c) => c.text)
              .join('; ')}
            {job.geometry.causes.length > 3 ? `; and ${job.geometry.causes.length - 3} more (Quality tab)` : ''}.
          </span>
        ) : null}
      </div>
    );
  const ran = job.attempts.filter((a) => a.status === 'completed' || a.status === 'failed').length;
  if (job.status === 'cancelled')
    return (
      <div className="banner info" data-testid="job-banner">
        {close}
        <strong>Cancelled.</strong> You stopped this job after {ran} attempt{ran === 1 ? '' : 's'} had finished; no mesh
        was kept. Re-run it to mesh the part.
      </div>
    );
  if (job.status === 'interrupted')
    return (
      <div className="banner warn" data-testid="job-banner">
        {close}
        <strong>Interrupted.</strong> {job.error?.message ?? 'The process running this job ended before it finished.'}{' '}
        Re-run it to mesh the part.
      </div>
    );
  const groups = groupReasons(job.attempts);
  const reasons = groups.length
    ? groups
    : [{ reason: job.error?.message ?? 'The job failed.', count: 1, strategies: [] }];
  return (
    <div className="banner error" data-testid="failed-banner">
      {close}
      <strong>{groups.length ? `No mesh: all ${ran} attempt${ran === 1 ? '' : 's'} failed.` : 'No mesh.'}</strong>
      <ul className="reasons" data-testid="failed-reasons">
        {reasons.slice(0, 3).map((g) => (
          <li key={g.reason} title={g.reason}>
            {g.count > 1 ? (
              <span className="muted">{g.count} attempts: </span>
            ) : g.strategies[0] ? (
              <span className="muted">{g.strategies[0]}: </span>
            ) : null}
            {g.reason}
          </li>
        ))}
        {reasons.length > 3 && <li className="muted">…and {reasons.length - 3} other reasons (Attempts tab).</li>}
      </ul>
      <div className="muted">
        {failedTags.length
          ? `Failed surface${failedTags.length > 1 ? 's' : ''} ${failedTags.join(', ')} shown in red. `
          : ''}
        Try the strategy “exhaustive” or a smaller size factor in Mesh settings, or check the part in your CAD tool.
      </div>
    </div>
  );
}
