// One job's quality at a glance: the minima an engineer checks (SICN, gamma, dihedral angle, inverted elements),
// each target met or missed, and why each attempt that did not win lost.
import type { AttemptResult, JobResult } from '../../../src/contract/job';
import { checkTargets, targetsOf } from '../../../src/contract/targets';
import { fmtNum } from '../format';

/** Why an attempt is not the job's mesh, in words; null for the winner. */
export function whyLost(a: AttemptResult, job: JobResult): string | null {
  if (job.status === 'completed' && a.index === job.winnerIndex) return null;
  if (a.status === 'failed') return a.error ?? 'failed';
  if (a.status === 'skipped' || a.status === 'cancelled') return a.error ?? a.status;
  if (a.status === 'completed') {
    const missed = targetsOf(a.quality ?? null, job.settings.targets)?.missed ?? [];
    if (missed.length) return `below the target: ${missed.join('; ')}`;
    if (a.score != null && job.score != null && a.score > job.score)
      return `higher score ${fmtNum(a.score, 4)} (lower is better)`;
    if (job.settings.policy === 'first-acceptable')
      return `acceptable too, but ${job.strategy} came first in the catalogue (first-acceptable keeps the first, not the lowest score)`;
    return 'not chosen';
  }
  return a.status;
}

export function QualityCard({ job }: { job: JobResult }) {
  const q = job.quality;
  if (!q) return null;
  const t = job.settings.targets.minSicn;
  const met = new Map(checkTargets(q, job.settings.targets).map((c) => [c.target, c.met]));
  const rows: [string, string, boolean | null][] = [
    ['SICN min', fmtNum(q.sicn.min, 3), met.get('sicnMin') ?? null],
    ['gamma min', fmtNum(q.gamma.min, 3), null],
    ['min dihedral angle', `${fmtNum(q.minDihedralDeg.min, 3)}°`, null],
    ['inverted elements', String(q.inverted), met.get('inverted') ?? null],
  ];
  return (
    <section className="quality-card" data-testid="quality-card">
      <h4>Quality of the kept mesh ({job.strategy})</h4>
      <table className="kv">
        <tbody>
          {rows.map(([k, v, ok]) => (
            <tr key={k}>
              <td>{k}</td>
              <td>{v}</td>
              <td className={ok === null ? 'muted' : ok ? 'ok-text' : 'error-text'}>
                {ok === null
                  ? ''
                  : ok
                    ? k === 'SICN min'
                      ? `target ≥ ${t} met`
                      : 'none: met'
                    : k === 'SICN min'
                      ? `target ≥ ${t} missed`
                      : 'missed'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
