// Per job: phase waterfall, attempts with their reasons, the cost estimate.
import { CASCADE_RULE_TEXT } from '../../../src/contract/cascade';
import { repairWords, type AttemptResult, type JobResult } from '../../../src/contract/job';
import { Waterfall, fmtMs } from './charts';
import { whyLost } from './QualityCard';
import { copyCommandLine } from '../actions';
import { shellLine } from '../shell-line';
import { fmtCount } from '../format';
import { againstRequested } from '../../../src/contract/geometry';

export function TimingsPanel({ job }: { job: JobResult | null }) {
  if (!job)
    return (
      <div className="panel-body" data-testid="timings-panel">
        <div className="empty">Select a job to see where its seconds went.</div>
      </div>
    );
  return (
    <div className="panel-body timings" data-testid="timings-panel">
      <section>
        <h4>Phases {job.backend ? `(${job.backend})` : ''}</h4>
        <Waterfall job={job} />
      </section>
      <section>
        <h4>Attempts</h4>
        <Attempts job={job} />
      </section>
      <section>
        <h4>Cost</h4>
        {job.cost ? (
          <table className="kv">
            <tbody>
              <tr>
                <td>Worker time</td>
                <td>{job.cost.workerSeconds.toFixed(1)} s</td>
              </tr>
              {job.cost.billedSeconds != null && (
                <tr>
                  <td>Billed (start-up, calls, idle until scale-down)</td>
                  <td>{job.cost.billedSeconds.toFixed(1)} s</td>
                </tr>
              )}
              <tr>
                <td>Estimate ({job.cost.gpu === undefined ? 'T4' : (job.cost.gpu ?? 'CPU only')})</td>
                <td>${job.cost.usd.toFixed(5)}</td>
              </tr>
              {job.cost.gpu && (
                <tr>
                  <td>GPU use on the worker</td>
                  <td>
                    {job.cost.gpuUtilAvgPct == null
                      ? 'not measured (no GPU readable)'
                      : `${job.cost.gpuUtilAvgPct} % on average`}
                  </td>
                </tr>
              )}
              <tr>
                <td>Always-on EC2 for the same time</td>
                <td>${job.cost.ec2BaselineUsd.toFixed(5)}</td>
              </tr>
            </tbody>
          </table>
        ) : (
          <div className="muted">
            {job.backend === 'local' ? 'Ran locally: no cloud cost.' : 'No cost estimate yet.'}
          </div>
        )}
        {job.transfer && (job.transfer.uploadedBytes > 0 || job.transfer.downloadedBytes > 0) && (
          <div className="muted">
            Transfer: ↑ {fmtBytes(job.transfer.uploadedBytes)} ↓ {fmtBytes(job.transfer.downloadedBytes)}
          </div>
        )}
      </section>
    </div>
  );
}

const repairText = (r: NonNullable<AttemptResult['repair']>) =>
  `${repairWords(r)} (worst SICN ${r.worstSicn.toFixed(3)})`;

export function Attempts({ job }: { job: JobResult }) {
  if (!job.attempts?.length) return <div className="muted">No attempts yet.</div>;
  const maxS = Math.max(...job.attempts.map((a) => a.seconds ?? 0), 0.001);
  return (
    <table className="attempts">
      <thead>
        <tr>
          <th>#</th>
          <th>strategy</th>
          <th>status</th>
          <th title="Tetrahedra, and how many times what the requested size implies for the part">tets</th>
          <th>score</th>
          <th>time</th>
          <th>reason</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        {job.attempts.map((a) => (
          <tr key={a.index} className={`st-${a.status}`} title={a.argv?.join(' ')}>
            <td>{a.index}</td>
            <td>
              {a.strategy}
              {job.winnerIndex === a.index && job.status === 'completed' ? ' ★' : ''}
            </td>
            <td>
              <span className={`badge st-${a.status}`}>{a.status}</span>
            </td>
            <td data-testid="attempt-tets">
              {a.elements ? fmtCount(a.elements.tetrahedra) : '—'}
              {a.elements && job.requested ? (
                <span className="muted small"> ({againstRequested(a.elements.tetrahedra, job.requested)})</span>
              ) : null}
            </td>
            <td>{a.score?.toFixed(2) ?? '—'}</td>
            <td>
              <div className="att-bar">
                <div style={{ width: `${((a.seconds ?? 0) / maxS) * 100}%` }} />
              </div>
              {a.seconds != null ? fmtMs(a.seconds * 1000) : '—'}
            </td>
            {/* Failures in red; benign reasons (not needed, cancelled, lost on score) in plain text. */}
            <td className={a.status === 'failed' ? 'reason' : 'reason benign'} data-testid="attempt-reason">
              {a.repair ? (
                <span data-testid="repaired-faces">
                  {repairText(a.repair)}
                  {a.error ? '; ' : ''}
                </span>
              ) : null}
              {a.secondChance ? (
                <span data-testid="second-chance" title={a.secondChance.reason}>
                  second chance of #{a.secondChance.from};{' '}
                </span>
              ) : null}
              {a.status === 'failed' ? (a.error ?? '') : (whyLost(a, job) ?? "kept: this is the job's mesh")}
            </td>
            <td>
              {a.argv?.length ? (
                <button
                  className="small"
                  onClick={() => void copyCommandLine(a.argv)}
                  title={shellLine(a.argv)}
                  data-testid="copy-argv"
                >
                  Copy command line
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
      {(job.settings.cascade ?? 'adaptive') === 'adaptive' && (
        <tfoot>
          <tr>
            <td colSpan={7} className="muted" data-testid="cascade-rule">
              {CASCADE_RULE_TEXT}
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

export const fmtBytes = (b: number | null | undefined) =>
  b == null
    ? '—'
    : b >= 1 << 30
      ? `${(b / 2 ** 30).toFixed(2)} GiB`
      : b >= 1 << 20
        ? `${(b / 2 ** 20).toFixed(1)} MiB`
        : b >= 1024
          ? `${(b / 1024).toFixed(1)} KiB`
          : `${b} B`;
