// The jobs, newest first: part, status, backend, strategy, size, score, time; A/B picks for Compare.
import { isActive, type JobResult } from '../../../src/contract/job';
import * as act from '../actions';
import { useStore } from '../store';
import { fmtMs } from './charts';

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
          const p = progress[j.id];
          const active = isActive(j.status);
          return (
            <div
              key={j.id}
              className={`job ${j.id === selected ? 'active' : ''}`}
              onClick={() => act.selectJob(j.id)}
              data-testid="job-row"
              {...(__MESHBENCH_E2E__ ? { 'data-job-id': j.id, 'data-status': j.status } : {})}
            >
              <div className="job-top">
                <span className="strong">{j.input.path.split(/[\\/]/).pop()}</span>
                <span className={`badge st-${j.status}`}>{j.status}</span>
              </div>
              <div className="muted small">
                {j.backend ?? j.requestedBackend} · {j.strategy ?? j.settings.strategy ?? 'catalogue'} ·{' '}
                {j.mesh ? `${j.mesh.elements.tetrahedra.toLocaleString()} tets` : '—'} ·{' '}
                {j.score != null ? `score ${j.score.toFixed(1)}` : '—'} ·{' '}
                {j.timings?.totalMs ? fmtMs(j.timings.totalMs) : '—'}
              </div>
              {/* What was asked: two runs of one part must not look the same. */}
              <div className="muted small" data-testid="job-settings">
                size ×{j.settings.sizeFactor} · order {j.settings.elementOrder} ·{' '}
                {j.settings.policy === 'best' ? 'best of all' : 'first acceptable'} · SICN ≥{' '}
                {j.settings.targets.minSicn}
              </div>
              {active && <progress max={100} value={p?.percent ?? undefined} />}
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
