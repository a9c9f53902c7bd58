// The jobs, newest first. Each row says what tells it from the others: the part (ellipsised, full path on hover),
// its badges (status and flags), when it ran, where, the strategy kept, the mesh and the time taken, then what was
// asked (size factor, local sizes, groups, exports ...). A/B picks for Compare.
import { isActive, type JobResult } from '../../../src/contract/job';
import * as act from '../actions';
import { useStore } from '../store';
import { baseName, jobBadges, outcomeFacts, runFacts } from '../job-facts';
import { jobProgress } from '../progress';

/** A job's status and flags; `skipStatus` where the status is shown already. */
export function JobBadges({ job, skipStatus }: { job: JobResult; skipStatus?: boolean }) {
  return (
    <span className="badges">
      {jobBadges(job)
        .filter((b) => !skipStatus || b.key !== 'status')
        .map((b) => (
          <span
            key={b.key}
            className={`badge ${b.tone}`}
            title={b.title}
            data-testid={b.key === 'status' ? 'job-row-status' : `job-flag-${b.key}`}
          >
            {b.text}
          </span>
        ))}
    </span>
  );
}

export function JobList({ jobs }: { jobs: JobResult[] }) {
  const selected = useStore((s) => s.selectedJob);
  const progress = useStore((s) => s.progress);
  const compare = useStore((s) => s.compare);
  const setCompare = useStore((s) => s.setCompare);
  return (
    <section className="card grow">
      <h4>Jobs</h4>
      {!jobs.length && <div className="empty small">No jobs yet. Open a part and press Run.</div>}
      <div className="jobs" data-testid="job-list">
        {jobs.map((j) => {
          const active = isActive(j.status);
          const p = active ? jobProgress(progress[j.id]) : null;
          const outcome = outcomeFacts(j).filter((f) => f.key !== 'part' && f.text);
          const asked = runFacts(j);
          return (
            <div
              key={j.id}
              className={`job ${j.id === selected ? 'active' : ''}`}
              onClick={() => act.selectJob(j.id)}
              data-testid="job-row"
              {...(__MESHBENCH_E2E__ ? { 'data-job-id': j.id, 'data-status': j.status } : {})}
            >
              <div className="job-top">
                <span className="strong ellipsis" title={j.input.path} data-testid="job-part">
                  {baseName(j.input.path)}
                </span>
                <JobBadges job={j} />
              </div>
              <div
                className="muted small ellipsis"
                data-testid="job-outcome"
                title={outcome.map((f) => `${f.name}: ${f.value}`).join('\n')}
              >
                {outcome.map((f) => f.text).join(' · ')}
              </div>
              {/* What was asked: two runs of one part must not look the same. */}
              <div
                className="muted small job-settings"
                data-testid="job-settings"
                title={asked.map((f) => `${f.name}: ${f.value}`).join('\n')}
              >
                {asked
                  .filter((f) => !f.usual)
                  .map((f) => f.text)
                  .join(' · ')}
              </div>
              {active && <progress max={100} value={p?.percent ?? undefined} title={p?.label} />}
              <div className="job-cmp" onClick={(e) => e.stopPropagation()}>
                <button
                  className={compare[0] === j.id ? 'active' : ''}
                  onClick={() => setCompare(0, j.id)}
                  title="Compare as A"
                >
                  A
                </button>
                <button
                  className={compare[1] === j.id ? 'active' : ''}
                  onClick={() => setCompare(1, j.id)}
                  title="Compare as B"
                >
                  B
                </button>
              </div>
            </div>
          );
        })}
      </div>
    </section>
  );
}
