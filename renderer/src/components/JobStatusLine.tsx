// The selected job's status, progress and one-line outcome, beside the bottom panel's tabs.
import { isActive, type JobResult } from '../../../src/contract/job';
import { useStore } from '../store';
import { fmtMs } from './charts';

export function JobStatusLine({ job }: { job: JobResult | null }) {
  const p = useStore((s) => (job ? s.progress[job.id] : undefined));
  if (!job) return <span className="muted">No job selected</span>;
  const active = isActive(job.status);
  return (
    <span className="status-line">
      <span className={`badge st-${job.status}`} data-testid="job-status">
        {job.status}
      </span>
      {active && p && (
        <>
          <progress max={100} value={p.percent} /> <span className="muted">{p.phase}</span>
        </>
      )}
      {active && !p && <progress />}
      {job.status === 'completed' && (
        <span className="muted">
          {job.mesh?.elements.tetrahedra.toLocaleString()} tets · score {job.score?.toFixed(2)} ·{' '}
          {fmtMs(job.timings.totalMs)} · {job.backend}
          {job.fallback ? ` (fell back from ${job.fallback.from}: ${job.fallback.reason})` : ''}
        </span>
      )}
      {(job.status === 'failed' || job.status === 'rejected') && (
        <span className="error-text">{job.error?.message}</span>
      )}
    </span>
  );
}
