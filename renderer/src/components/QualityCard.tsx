// One job's quality at a glance: the minima an engineer checks (SICN, gamma, dihedral angle, inverted elements),
// each target met or missed, and why each attempt that did not win lost.
import type { AttemptResult, JobResult } from '../../../src/contract/job';
import { belowTarget, checkTargets, compareByTargets, targetsOf } from '../../../src/contract/targets';
import { fmtNum } from '../format';
import { geometryLines } from '../../../src/contract/geometry';

/** Why an attempt is not the job's mesh, in words; null for the winner. */
export function whyLost(a: AttemptResult, job: JobResult): string | null {
  if (job.status === 'completed' && a.index === job.winnerIndex) return null;
  if (a.status === 'failed') return a.error ?? 'failed';
  if (a.status === 'skipped' || a.status === 'cancelled') return a.error ?? a.status;
  if (a.status === 'completed') {
    if (a.discarded) return a.discarded;
    const targets = job.settings.targets;
    const missed = targetsOf(a.quality ?? null, targets)?.missed ?? [];
    // Both below the targets: the kept one misses them less, worst element first.
    if (missed.length && job.quality && a.quality && compareByTargets(a.quality, job.quality, targets) > 0)
      return `below the target, and further from it than the kept mesh: ${missed.join('; ')}`;
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
  const t = job.settings.targets;
  const met = new Map(checkTargets(q, t).map((c) => [c.target, c.met]));
  // [metric, value, met (null: no target on it), the target in words]
  const rows: [string, string, boolean | null, string][] = [
    ['SICN min', fmtNum(q.sicn.min, 3), met.get('sicnMin') ?? null, `target ≥ ${t.minSicn}`],
    ['gamma min', fmtNum(q.gamma.min, 3), null, ''],
    [
      'min dihedral angle',
      `${fmtNum(q.minDihedralDeg.min, 3)}°`,
      met.get('minDihedral') ?? null,
      `target ≥ ${t.minDihedral}°`,
    ],
    ['max aspect ratio', fmtNum(q.aspectRatio.max, 2), met.get('maxAspect') ?? null, `target ≤ ${t.maxAspect}`],
    ['inverted elements', String(q.inverted), met.get('inverted') ?? null, 'none'],
  ];
  return (
    <section className={`quality-card${belowTarget(job) ? ' below-target' : ''}`} data-testid="quality-card">
      <h4>
        Quality of the kept mesh ({job.strategy})
        {belowTarget(job) ? (
          <span className="badge st-below-target" data-testid="quality-below-target">
            below target
          </span>
        ) : null}
      </h4>
      <table className="kv">
        <tbody>
          {rows.map(([k, v, ok, target]) => (
            <tr key={k}>
              <td>{k}</td>
              <td>{v}</td>
              <td className={ok === null ? 'muted' : ok ? 'ok-text' : 'error-text'}>
                {ok === null
                  ? ''
                  : target === 'none'
                    ? ok
                      ? 'none: met'
                      : 'missed'
                    : `${target} ${ok ? 'met' : 'missed'}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {job.geometry ? <GeometryCauses job={job} /> : null}
    </section>
  );
}

/** What the CAD prevents: the small features next to the kept mesh's bad elements, marked in the viewer too. */
function GeometryCauses({ job }: { job: JobResult }) {
  const g = job.geometry!;
  return (
    <div className="geometry-causes" data-testid="geometry-causes">
      <h4>What the geometry prevents (element size {fmtNum(g.elementSize, 3)} mm)</h4>
      <ul>
        {geometryLines(g).map((line) => (
          <li key={line} data-testid="geometry-cause">
            {line}
          </li>
        ))}
      </ul>
      {g.causes.length ? (
        <div className="muted small">
          In the viewer: their faces in orange, vertices and short curves as orange points.
        </div>
      ) : null}
    </div>
  );
}
