// Two jobs side by side: synchronized viewers, every metric with its difference in %, overlaid histograms,
// waterfalls, and the parity verdict (quality within ±5 %).
import { useEffect, useMemo, useState } from 'react';
import type { Comparison, MeshPayload } from '../../../src/contract/api';
import type { JobResult } from '../../../src/contract/job';
import { belowTarget, shownStatus } from '../../../src/contract/targets';
import { errorText, getApi } from '../api';
import { loadMesh } from '../actions';
import { METRICS, useStore, type MeshEntry } from '../store';
import { CameraSync, type Source } from '../viewer/scene';
import { HistogramChart, Waterfall } from './charts';
import { Viewer } from './Viewer';
import { baseName, differingFacts, jobTime } from '../job-facts';

/** A loaded mesh as a viewer source; nothing while it loads or when it failed. */
const meshSource = (m: MeshEntry | undefined): Source | null =>
  m && m !== 'loading' && !('error' in m) ? { kind: 'mesh', mesh: m as MeshPayload } : null;

export function CompareView() {
  const [a, b] = useStore((s) => s.compare);
  const jobs = useStore((s) => s.jobs);
  const meshes = useStore((s) => s.meshes);
  const view = useStore((s) => s.view);
  const setCompare = useStore((s) => s.setCompare);
  const [cmp, setCmp] = useState<Comparison | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const sync = useMemo(() => new CameraSync(), []);
  const list = Object.values(jobs).sort((x, y) => y.createdAt.localeCompare(x.createdAt));
  const ja = a ? jobs[a] : null;
  const jb = b ? jobs[b] : null;
  const done = ja?.status === 'completed' && jb?.status === 'completed';

  useEffect(() => {
    setCmp(null);
    setErr(null);
    if (!a || !b || !done) return;
    getApi()
      .compare(a, b)
      .then(setCmp, (e) => setErr(errorText(e)));
    void loadMesh(a);
    void loadMesh(b);
  }, [a, b, done]);

  const meshA = a ? meshes[a] : undefined;
  const meshB = b ? meshes[b] : undefined;
  const srcA = useMemo(() => meshSource(meshA), [meshA]);
  const srcB = useMemo(() => meshSource(meshB), [meshB]);

  const pick = (i: 0 | 1) => (e: React.ChangeEvent<HTMLSelectElement>) => setCompare(i, e.target.value || null);

  return (
    <div className="compare" data-testid="compare-view">
      <div className="compare-bar">
        <label>
          A <JobSelect value={a} jobs={list} onChange={pick(0)} testId="compare-a" />
        </label>
        <label>
          B <JobSelect value={b} jobs={list} onChange={pick(1)} testId="compare-b" />
        </label>
        {cmp && (
          <span className={`verdict ${cmp.parity.ok ? 'ok' : 'bad'}`} data-testid="parity-verdict">
            {cmp.parity.method === 'sha256'
              ? `${cmp.parity.ok ? 'Parity' : 'No parity'}: ${cmp.parity.why}`
              : cmp.parity.ok
                ? `Parity: quality within ±${cmp.parity.tolerancePct} % (${cmp.parity.why})`
                : `No parity (±${cmp.parity.tolerancePct} %): ${cmp.parity.failing.join(', ')} (${cmp.parity.why})`}
          </span>
        )}
        {err && <span className="verdict bad">{err}</span>}
      </div>
      {ja && jb && ja.input.sha256 && jb.input.sha256 && ja.input.sha256 !== jb.input.sha256 && (
        <div className="banner warn" data-testid="different-parts">
          <strong>Different parts:</strong> A meshed {baseName(ja.input.path)}, B meshed {baseName(jb.input.path)}. The
          numbers below compare two different geometries, not two ways of meshing one.
        </div>
      )}
      {ja && jb && <Differences ja={ja} jb={jb} />}
      {done && [ja, jb].some((j) => belowTarget(j!)) && (
        <div className="banner warn" data-testid="compare-below-target">
          {(
            [
              ['A', ja!],
              ['B', jb!],
            ] as const
          )
            .filter(([, j]) => belowTarget(j))
            .map(([side, j]) => (
              <div key={side}>
                <strong>{side} is below target:</strong> {j.targets!.missed.join('; ')}.
              </div>
            ))}
        </div>
      )}
      {!a || !b ? (
        <div className="empty">
          Pick two completed jobs to compare (or "Run on both" to mesh the current part locally and on Modal).
        </div>
      ) : !done ? (
        <NotComparable ja={ja} jb={jb} />
      ) : (
        <>
          <div className="compare-viewers">
            {(
              [
                ['a', ja, srcA, a],
                ['b', jb, srcB, b],
              ] as const
            ).map(([side, j, src, id]) => (
              <div className="compare-pane" key={side}>
                {/* The job's name above its viewer, never over the view buttons. */}
                <div className="compare-label ellipsis" data-testid={`compare-label-${side}`} title={j?.input.path}>
                  <strong>{side.toUpperCase()}</strong> {label(j)}
                </div>
                <div className="compare-viewer">
                  <Viewer
                    source={src}
                    view={view}
                    sync={sync}
                    testId={`compare-canvas-${side}`}
                    placeholder={meshWord(id ? meshes[id] : undefined)}
                  />
                </div>
              </div>
            ))}
          </div>
          <div className="compare-details">
            <section>
              <h4>Metrics</h4>
              {cmp ? (
                <table className="metrics" data-testid="compare-table">
                  <thead>
                    <tr>
                      <th>metric</th>
                      <th>A</th>
                      <th>B</th>
                      <th>Δ %</th>
                    </tr>
                  </thead>
                  <tbody>
                    {cmp.rows.map((r) => (
                      <tr key={r.metric} className={cmp.parity.failing.includes(r.metric) ? 'fail' : ''}>
                        <td title={r.metric}>{metricName(r.metric)}</td>
                        <td>{num(r.a)}</td>
                        <td>{num(r.b)}</td>
                        <td>{r.diffPct === null ? '—' : `${r.diffPct > 0 ? '+' : ''}${r.diffPct.toFixed(2)} %`}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <div className="muted">Comparing…</div>
              )}
            </section>
            <section className="histos">
              <h4>Histograms (A blue bars, B orange outline)</h4>
              {METRICS.filter(
                (m) => m.key !== 'scaledJacobian' || ja?.quality?.scaledJacobian || jb?.quality?.scaledJacobian,
              ).map((m) => (
                <HistogramChart
                  key={m.key}
                  title={m.label}
                  width={260}
                  height={110}
                  series={[
                    { label: 'A', h: ja?.quality?.[m.key]?.histogram, color: '#4e8fd6' },
                    { label: 'B', h: jb?.quality?.[m.key]?.histogram, color: '#e08a3c' },
                  ]}
                />
              ))}
            </section>
            <section>
              <h4>Timings A — {ja?.backend}</h4>
              {ja && <Waterfall job={ja} width={360} />}
              <h4>Timings B — {jb?.backend}</h4>
              {jb && <Waterfall job={jb} width={360} />}
            </section>
          </div>
        </>
      )}
    </div>
  );
}

/** Why two picked jobs cannot be compared yet: one still runs (wait), or one ended without a mesh (say why). */
function NotComparable({ ja, jb }: { ja: JobResult | null | undefined; jb: JobResult | null | undefined }) {
  const ended = (j: JobResult | null | undefined) =>
    !!j && j.status !== 'completed' && j.status !== 'running' && j.status !== 'queued';
  const dead = [
    ['A', ja],
    ['B', jb],
  ].filter(([, j]) => ended(j as JobResult)) as [string, JobResult][];
  if (dead.length)
    return (
      <div className="empty" data-testid="compare-unavailable">
        {dead.map(([side, j]) => (
          <div key={side}>
            {side} ({baseName(j.input.path)}) {j.status}
            {j.error?.message ? `: ${j.error.message.slice(0, 200)}` : ''} — it has no mesh to compare. Pick a completed
            job for {side}.
          </div>
        ))}
      </div>
    );
  return (
    <div className="empty">
      Waiting for both jobs to complete ({ja?.status ?? '?'} / {jb?.status ?? '?'}).
    </div>
  );
}

/** Human names for the comparison's metric keys (time.totalMs → total time (ms)). */
function metricName(key: string): string {
  const known: Record<string, string> = {
    'time.totalMs': 'total time (ms)',
    elements: 'elements',
    nodes: 'nodes',
    tetrahedra: 'tetrahedra',
    score: 'score',
    'sicn.min': 'SICN min',
    'sicn.avg': 'SICN mean',
    'sicn.p10': 'SICN 10th percentile',
    'gamma.min': 'gamma min',
    'gamma.avg': 'gamma mean',
    'aspectRatio.max': 'aspect ratio max',
    'aspectRatio.avg': 'aspect ratio mean',
    'minDihedralDeg.min': 'min dihedral angle (°)',
    'skewness.max': 'skewness max',
    'skewness.avg': 'skewness mean',
    inverted: 'inverted elements',
  };
  if (known[key]) return known[key];
  const [head, tail] = key.split('.');
  const words = (w: string) =>
    w
      .replace(/Ms$/, ' (ms)')
      .replace(/Bytes$/, ' (bytes)')
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase();
  return tail ? `${words(head)} ${words(tail)}` : words(head);
}

function JobSelect({
  value,
  jobs,
  onChange,
  testId,
}: {
  value: string | null;
  jobs: JobResult[];
  onChange: (e: React.ChangeEvent<HTMLSelectElement>) => void;
  testId: string;
}) {
  return (
    <select value={value ?? ''} onChange={onChange} data-testid={testId}>
      <option value="">— choose a job —</option>
      {jobs.map((j) => (
        <option key={j.id} value={j.id}>
          {label(j)}
        </option>
      ))}
    </select>
  );
}

/** What a compare pane says while it has no mesh to draw. */
const meshWord = (m: MeshEntry | undefined) =>
  m && m !== 'loading' && 'error' in m ? `Mesh not available: ${m.error}` : 'Loading mesh…';

/** A job by its part and when it ran (not an id), then where and how. */
const label = (j: JobResult | null | undefined) =>
  j
    ? `${baseName(j.input.path)} · ${jobTime(j)} · ${j.backend ?? j.requestedBackend} · ${j.strategy ?? '—'} · ${shownStatus(j)}`
    : '';

/** What differs between A and B (part, backend, strategy, every setting), in one line. */
function Differences({ ja, jb }: { ja: JobResult; jb: JobResult }) {
  const d = differingFacts(ja, jb);
  return (
    <div
      className="compare-diff ellipsis"
      data-testid="compare-differs"
      title={d.map((x) => `${x.name}: A ${x.a}, B ${x.b}`).join('\n')}
    >
      {d.length ? (
        <>
          <span className="muted">A and B differ in </span>
          {d.map((x, i) => (
            <span key={x.name}>
              {i ? '; ' : ''}
              {x.name}: <strong>{x.a}</strong> → <strong>{x.b}</strong>
            </span>
          ))}
        </>
      ) : (
        <span className="muted">Same part, backend, strategy and settings.</span>
      )}
    </div>
  );
}
const num = (v: number | null) =>
  v === null
    ? '—'
    : Number.isInteger(v) || Math.abs(v) >= 1000
      ? v.toLocaleString(undefined, { maximumFractionDigits: 0 })
      : v.toFixed(4);
