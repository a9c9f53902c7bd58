// The selected job's badges, progress (over every attempt started, repair rounds included) and one-line outcome,
// beside the bottom panel's tabs.
import { isActive, type JobResult } from '../../../src/contract/job';
import { useStore } from '../store';
import { fmtMs } from './charts';
import { jobProgress } from '../progress';
import { JobBadges } from './JobList';

export function JobStatusLine({ job }: { job: JobResult | null }) {
  const p = jobProgress(useStore((s) => (job ? s.progress[job.id] : undefined)));
  if (!job) return <span className="muted status-line">No job selected</span>;
  const active = isActive(job.status);
  const outcome =
    job.status === 'completed'
      ? `${job.mesh?.elements.tetrahedra.toLocaleString()} tets · score ${job.score?.toFixed(2)} · ${fmtMs(job.timings.totalMs)} · ${job.backend}${job.fallback ? ` (fell back from ${job.fallback.from}: ${job.fallback.reason})` : ''}`
      : job.status === 'failed' || job.status === 'rejected'
        ? (job.error?.message ?? '')
        : '';
  return (
    <span className="status-line">
      <span className={`badge st-${job.status}`} data-testid="job-status">
        {job.status}
      </span>
      {active && p && (
        <>
          <progress max={100} value={p.percent} data-testid="job-progress" />
          <span className="muted ellipsis" data-testid="job-progress-label" title={p.label}>
            {p.label}
          </span>
        </>
      )}
      {active && !p && <progress data-testid="job-progress" />}
      {outcome && (
        <span className={`ellipsis ${job.status === 'completed' ? 'muted' : 'error-text'}`} title={outcome}>
          {outcome}
        </span>
      )}
      <JobBadges job={job} skipStatus />
    </span>
  );
}
