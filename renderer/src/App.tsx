// The workbench: top bar (open, run, compute switch), side panel (part, mesh settings, jobs), the 3D viewer with
// its view tools, and the job's log / timings / attempts underneath. Compare mode swaps the centre for two viewers.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MeshPayload } from '../../src/contract/api';
import type { Backend, JobResult, Policy } from '../../src/contract/job';
import { useShallow } from 'zustand/react/shallow';
import { getApi, isDesktop } from './api';
import * as act from './actions';
import { METRICS, useStore, type ClipAxis, type Metric } from './store';
import type { Source } from './viewer/scene';
import { Viewer } from './components/Viewer';
import { LogPanel } from './components/LogPanel';
import { Attempts, TimingsPanel, fmtBytes } from './components/TimingsPanel';
import { CompareView } from './components/CompareView';
import { SettingsDialog } from './components/SettingsDialog';
import { fmtMs } from './components/charts';

export function App() {
  // Only what the frame needs: log and progress updates (many per second) must not re-render the whole workbench.
  const s = useStore(
    useShallow((x) => ({
      theme: x.theme, parts: x.parts, currentPart: x.currentPart, jobs: x.jobs, selectedJob: x.selectedJob, meshes: x.meshes,
      view: x.view, tab: x.tab, mode: x.mode, showSettings: x.showSettings, toast: x.toast, compute: x.compute, set: x.set,
    })),
  );
  const fileRef = useRef<HTMLInputElement>(null);
  const [fit, setFit] = useState(0);
  const [drag, setDrag] = useState(false);
  const job = s.selectedJob ? s.jobs[s.selectedJob] ?? null : null;
  const part = s.parts.find((p) => p.path === s.currentPart) ?? null;
  const running = job && (job.status === 'running' || job.status === 'queued');

  useEffect(() => {
    document.documentElement.dataset.theme = s.theme;
    localStorage.setItem('meshbench.theme', s.theme);
  }, [s.theme]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const typing = (e.target as HTMLElement)?.closest?.('input, textarea, select');
      if (mod && e.key === 'Enter') { e.preventDefault(); void act.run(); }
      else if (mod && e.key === '.') { e.preventDefault(); void act.cancel(); }
      else if (mod && e.key.toLowerCase() === 'o') { e.preventDefault(); void act.openDialog(() => fileRef.current?.click()); }
      else if (!typing && !mod && e.key.toLowerCase() === 'f') setFit((n) => n + 1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // What the viewer shows: the selected job's mesh; a failed job's part with its failed surfaces; else the preview.
  const source = useMemo<Source | null>(() => {
    if (job) {
      const m = s.meshes[job.id];
      if (m && m !== 'loading' && !('error' in m)) return { kind: 'mesh', mesh: m as MeshPayload };
      const p = s.parts.find((x) => x.path === job.input.path)?.preview;
      const failed = [...new Set(job.attempts.flatMap((a) => a.failedSurfaces ?? []))];
      if (p) return { kind: 'preview', preview: p, failedSurfaces: failed };
    }
    return part?.preview ? { kind: 'preview', preview: part.preview } : null;
  }, [job?.id, job?.status, s.meshes, part?.preview, s.parts]);

  // A failed job's part is previewed so its failed surfaces can be shown.
  useEffect(() => {
    if (job && job.status === 'failed' && !s.parts.some((p) => p.path === job.input.path)) void act.openPath(job.input.path).then(() => useStore.getState().set({ selectedJob: job.id }));
  }, [job?.id, job?.status]);

  const meshState = job ? s.meshes[job.id] : undefined;
  const failedTags = job ? [...new Set(job.attempts.flatMap((a) => a.failedSurfaces ?? []))].sort((a, b) => a - b) : [];
  const jobs = Object.values(s.jobs).sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  return (
    <div
      className={`app ${drag ? 'dragging' : ''}`}
      onDragOver={(e) => { e.preventDefault(); setDrag(true); }}
      onDragLeave={() => setDrag(false)}
      onDrop={(e) => { e.preventDefault(); setDrag(false); void act.openFiles([...e.dataTransfer.files]); }}
    >
      <header className="topbar">
        <span className="brand" data-testid="brand">MeshBench</span>
        <button onClick={() => act.openDialog(() => fileRef.current?.click())} title="Open parts (Ctrl+O)">Open…</button>
        <input ref={fileRef} type="file" multiple hidden data-testid="open-file" accept=".step,.stp,.iges,.igs,.brep,.brp,.stl"
          onChange={(e) => { const f = [...(e.target.files ?? [])]; e.target.value = ''; void act.openFiles(f); }} />
        <span className="sep" />
        <button className="primary" data-testid="run-mesh" onClick={() => act.run()} disabled={!part?.preview && !part?.error} title="Run (Ctrl+Enter)">▶ Run</button>
        <button data-testid="cancel-job" onClick={() => act.cancel()} disabled={!running} title="Cancel (Ctrl+.)">■ Cancel</button>
        <button data-testid="rerun-job" onClick={() => act.rerun()} disabled={!job || !!running}>↻ Re-run</button>
        <button onClick={() => act.runBatch()} disabled={s.parts.length < 2} title="Run every opened part">Run batch ({s.parts.length})</button>
        <button onClick={() => void act.runOnBoth()} disabled={!part} title="Mesh the part locally and on Modal, then compare">Run on both</button>
        <span className="sep" />
        <label className="compute">
          Compute
          <select data-testid="compute-switch" value={s.compute} onChange={(e) => {
            const compute = e.target.value as Backend;
            s.set({ compute });
            // Remembered for the next session too (the environment's MESHBENCH_COMPUTE still wins there).
            void getApi().saveSettings({ compute }).then((appSettings) => useStore.getState().set({ appSettings }), () => undefined);
          }}>
            <option value="local">Local</option>
            <option value="modal">Modal</option>
            <option value="auto">Auto</option>
          </select>
        </label>
        <BreakerBadge />
        <span className="grow" />
        <nav className="modes">
          <button className={s.mode === 'work' ? 'active' : ''} onClick={() => s.set({ mode: 'work' })}>Workbench</button>
          <button className={s.mode === 'compare' ? 'active' : ''} onClick={() => s.set({ mode: 'compare' })} data-testid="mode-compare">Compare</button>
        </nav>
        <button onClick={() => s.set({ theme: s.theme === 'dark' ? 'light' : 'dark' })} title="Theme">{s.theme === 'dark' ? '☀' : '☾'}</button>
        <button onClick={() => s.set({ showSettings: true })} data-testid="open-settings">Settings</button>
      </header>

      <aside className="side">
        <PartPanel />
        <MeshSettingsPanel />
        <JobList jobs={jobs} />
      </aside>

      <main className="center">
        {s.mode === 'compare' ? (
          <CompareView />
        ) : (
          <>
            <ViewTools onFit={() => setFit((n) => n + 1)} />
            <div className="viewer-wrap">
              <Viewer source={source} view={s.view} fitSignal={fit} />
              {part?.loading && <div className="overlay"><Spinner /> Preparing preview…</div>}
              {part?.error && !job && <div className="overlay error" data-testid="open-error">{part.error}</div>}
              {meshState === 'loading' && <div className="overlay"><Spinner /> Loading mesh…</div>}
              {meshState && meshState !== 'loading' && 'error' in meshState && <div className="overlay error">{meshState.error}</div>}
              {job?.status === 'failed' && (
                <div className="overlay error at-bottom" data-testid="failed-banner" title={job.error?.message}>
                  {job.error?.message ?? 'The job failed.'}
                  {job.error?.hint ? <div className="muted">{job.error.hint}</div> : null}
                  <div>
                    The Attempts tab has each attempt's reason.
                    {failedTags.length ? ` Failed surface${failedTags.length > 1 ? 's' : ''} ${failedTags.join(', ')} shown in red.` : ''}
                  </div>
                </div>
              )}
            </div>
            <section className="bottom">
              <div className="tabs">
                {(['log', 'timings', 'attempts'] as const).map((t) => (
                  <button key={t} className={s.tab === t ? 'active' : ''} onClick={() => s.set({ tab: t })} data-testid={`tab-${t}`}>{t}</button>
                ))}
                <span className="grow" />
                <JobStatusLine job={job} />
              </div>
              {s.tab === 'log' && <LogPanel jobId={job?.id ?? null} />}
              {s.tab === 'timings' && <TimingsPanel job={job} />}
              {s.tab === 'attempts' && <div className="panel-body">{job ? <Attempts job={job} /> : <div className="empty">Select a job.</div>}</div>}
            </section>
          </>
        )}
      </main>
      {s.showSettings && <SettingsDialog />}
      {s.toast && (
        <div className={`toast ${s.toast.kind}`} role="alert" data-testid="toast" onClick={() => s.set({ toast: null })}>
          {s.toast.text} <span className="muted">(click to dismiss)</span>
        </div>
      )}
      {drag && <div className="dropzone">Drop STEP, IGES, BREP or STL files to open them</div>}
    </div>
  );
}

function Spinner() {
  return <span className="spinner" aria-hidden />;
}

function BreakerBadge() {
  const b = useStore((s) => s.breaker);
  useEffect(() => {
    const t = setInterval(() => void act.refreshBreaker(), 15000);
    return () => clearInterval(t);
  }, []);
  if (!b) return <span className="badge muted" data-testid="breaker-state">breaker: unknown</span>;
  return (
    <span className={`badge ${b.open ? 'st-failed' : 'st-completed'}`} data-testid="breaker-state"
      title={`Modal errors ${(b.modalErrorRate * 100).toFixed(1)} %, S3 failures ${(b.s3FailureRate * 100).toFixed(1)} % over ${b.window} jobs`}>
      {b.open ? `breaker open: Auto runs locally${b.reason ? ` (${b.reason})` : ''}` : 'breaker closed'}
      {b.open && <button className="link" onClick={async () => useStore.getState().set({ breaker: await getApi().resetBreaker() })}>reset</button>}
    </span>
  );
}

function JobStatusLine({ job }: { job: JobResult | null }) {
  const p = useStore((s) => (job ? s.progress[job.id] : undefined));
  if (!job) return <span className="muted">No job selected</span>;
  const active = job.status === 'running' || job.status === 'queued';
  return (
    <span className="status-line">
      <span className={`badge st-${job.status}`} data-testid="job-status">{job.status}</span>
      {active && p && <><progress max={100} value={p.percent} /> <span className="muted">{p.phase}</span></>}
      {active && !p && <progress />}
      {job.status === 'completed' && <span className="muted">{job.mesh?.elements.tetrahedra.toLocaleString()} tets · score {job.score?.toFixed(2)} · {fmtMs(job.timings.totalMs)} · {job.backend}{job.fallback ? ` (fell back from ${job.fallback.from}: ${job.fallback.reason})` : ''}</span>}
      {job.status === 'failed' && <span className="error-text">{job.error?.message}</span>}
    </span>
  );
}

function PartPanel() {
  const parts = useStore((s) => s.parts);
  const current = useStore((s) => s.currentPart);
  const set = useStore((s) => s.set);
  const [recent, setRecent] = useState<string[]>([]);
  useEffect(() => {
    getApi().recentFiles().then(setRecent, () => undefined);
  }, [parts.length]);
  const p = parts.find((x) => x.path === current);
  const pv = p?.preview;
  const size = pv ? pv.bbox.max.map((v, i) => v - pv.bbox.min[i]) : null;
  return (
    <section className="card">
      <h4>Part</h4>
      {!p && <div className="empty small">Open a STEP, IGES, BREP or STL part{isDesktop() ? '' : ' (Open…, or drop files on the window)'}.</div>}
      {p && (
        <div data-testid="part-info">
          <div className="strong" title={p.path}>{p.path.split(/[\\/]/).pop()}</div>
          {p.loading && <progress />}
          {p.error && <div className="error-text">{p.error}</div>}
          {pv && (
            <table className="kv">
              <tbody>
                <tr><td>Format</td><td>{pv.format.toUpperCase()} · {fmtBytes(pv.bytes)}</td></tr>
                <tr><td>Size</td><td data-testid="part-size">{size!.map((v) => v.toPrecision(4)).join(' × ')}</td></tr>
                <tr><td>Bbox min</td><td>{pv.bbox.min.map((v) => v.toPrecision(4)).join(', ')}</td></tr>
                <tr><td>Bbox max</td><td>{pv.bbox.max.map((v) => v.toPrecision(4)).join(', ')}</td></tr>
                <tr><td>Volumes</td><td data-testid="part-volumes">{pv.volumes}</td></tr>
                <tr><td>Surfaces</td><td data-testid="part-surfaces">{pv.surfaces}</td></tr>
                <tr><td>Preview</td><td>{pv.indices.length / 3} triangles in {pv.ms} ms</td></tr>
              </tbody>
            </table>
          )}
        </div>
      )}
      {parts.length > 1 && (
        <ul className="list">
          {parts.map((x) => (
            <li key={x.path} className={x.path === current ? 'active' : ''} onClick={() => set({ currentPart: x.path, selectedJob: null })}>{x.path.split(/[\\/]/).pop()}{x.error ? ' ⚠' : ''}</li>
          ))}
        </ul>
      )}
      {recent.length > 0 && (
        <details>
          <summary>Recent files</summary>
          <ul className="list" data-testid="recent-files">
            {recent.slice(0, 10).map((r) => <li key={r} title={r} onClick={() => act.openPath(r)}>{r.split(/[\\/]/).pop()}</li>)}
          </ul>
        </details>
      )}
    </section>
  );
}

function MeshSettingsPanel() {
  const st = useStore((s) => s.settings);
  const set = useStore((s) => s.set);
  const upd = (p: Partial<typeof st>) => set({ settings: { ...st, ...p } });
  return (
    <section className="card">
      <h4>Mesh settings</h4>
      <div className="form compact">
        <label>Strategy
          <input list="strategies" value={st.strategy ?? ''} placeholder="catalogue (policy decides)" data-testid="strategy"
            onChange={(e) => upd({ strategy: e.target.value.trim() || null })} />
          <datalist id="strategies"><option value="default" /><option value="hxt" /><option value="exhaustive" /></datalist>
        </label>
        <label>Policy
          <select value={st.policy} onChange={(e) => upd({ policy: e.target.value as Policy })} data-testid="policy">
            <option value="first-acceptable">first acceptable</option>
            <option value="best">best of all</option>
          </select>
        </label>
        <label>Size factor
          <input type="number" min={0.05} step={0.1} value={st.sizeFactor} data-testid="size-factor"
            onChange={(e) => { const v = Number(e.target.value); if (v > 0) upd({ sizeFactor: v }); }} />
        </label>
        <label>Element order
          <select value={st.elementOrder} onChange={(e) => upd({ elementOrder: Number(e.target.value) as 1 | 2 })}>
            <option value={1}>1 (linear)</option>
            <option value={2}>2 (quadratic)</option>
          </select>
        </label>
        <label>Parallel attempts
          <input type="number" min={0} max={64} value={st.jobs} title="0 = one per CPU core" onChange={(e) => upd({ jobs: Math.max(0, Math.floor(Number(e.target.value) || 0)) })} />
        </label>
        <label>Min SICN target
          <input type="number" min={0} max={1} step={0.05} value={st.targets.minSicn} onChange={(e) => upd({ targets: { minSicn: Number(e.target.value) } })} />
        </label>
      </div>
    </section>
  );
}

function JobList({ jobs }: { jobs: JobResult[] }) {
  const selected = useStore((s) => s.selectedJob);
  const progress = useStore((s) => s.progress);
  const compare = useStore((s) => s.compare);
  const set = useStore((s) => s.set);
  return (
    <section className="card grow">
      <h4>Jobs</h4>
      {!jobs.length && <div className="empty small">No jobs yet. Open a part and press Run.</div>}
      <div className="jobs" data-testid="job-list">
        {jobs.map((j) => {
          const p = progress[j.id];
          const active = j.status === 'running' || j.status === 'queued';
          return (
            <div key={j.id} className={`job ${j.id === selected ? 'active' : ''}`} onClick={() => act.selectJob(j.id)} data-testid="job-row" data-job-id={j.id} data-status={j.status}>
              <div className="job-top">
                <span className="strong">{j.input.path.split(/[\\/]/).pop()}</span>
                <span className={`badge st-${j.status}`}>{j.status}</span>
              </div>
              <div className="muted small">
                {j.backend ?? j.requestedBackend} · {j.strategy ?? j.settings.strategy ?? 'catalogue'} · {j.mesh ? `${j.mesh.elements.tetrahedra.toLocaleString()} tets` : '—'} · {j.score != null ? `score ${j.score.toFixed(1)}` : '—'} · {j.timings?.totalMs ? fmtMs(j.timings.totalMs) : '—'}
              </div>
              {active && <progress max={100} value={p?.percent ?? undefined} />}
              <div className="job-cmp" onClick={(e) => e.stopPropagation()}>
                <button className={compare[0] === j.id ? 'active' : ''} onClick={() => set({ compare: [j.id, compare[1]] })} title="Compare as A">A</button>
                <button className={compare[1] === j.id ? 'active' : ''} onClick={() => set({ compare: [compare[0], j.id] })} title="Compare as B">B</button>
              </div>
            </div>
          );
        })}
      </div>
    </section>
  );
}

function ViewTools({ onFit }: { onFit: () => void }) {
  const v = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const metric = METRICS.find((m) => m.key === v.colorBy);
  const thrRange = metric ? (metric.key === 'aspectRatio' ? [1, 10, 0.1] : [0, 1, 0.01]) : [0, 1, 0.01];
  const defaultThr = (m: Metric) => (m === 'sicn' ? 0.3 : m === 'gamma' ? 0.3 : m === 'aspectRatio' ? 3 : 0.7);
  return (
    <div className="viewtools">
      <label>Colour
        <select value={v.colorBy} data-testid="color-by" onChange={(e) => setView({ colorBy: e.target.value as never, threshold: null })}>
          <option value="none">none</option>
          {METRICS.map((m) => <option key={m.key} value={m.key}>{m.label}</option>)}
        </select>
      </label>
      <label title="Show only the elements worse than the threshold, inner ones included">
        <input type="checkbox" disabled={!metric} checked={v.threshold !== null} data-testid="threshold-toggle"
          onChange={(e) => setView({ threshold: e.target.checked && metric ? defaultThr(metric.key) : null })} /> isolate worse than
        <input type="range" min={thrRange[0]} max={thrRange[1]} step={thrRange[2]} disabled={v.threshold === null} value={v.threshold ?? thrRange[0]}
          data-testid="threshold" onChange={(e) => setView({ threshold: Number(e.target.value) })} />
        <span className="num">{v.threshold !== null ? v.threshold.toFixed(2) : ''}</span>
      </label>
      <span className="sep" />
      <label>Clip
        <select value={v.clip} data-testid="clip-axis" onChange={(e) => setView({ clip: e.target.value as ClipAxis })}>
          <option value="off">off</option><option value="x">x</option><option value="y">y</option><option value="z">z</option>
        </select>
        <input type="range" min={0} max={1} step={0.005} value={v.clipPos} disabled={v.clip === 'off'} data-testid="clip-pos" onChange={(e) => setView({ clipPos: Number(e.target.value) })} />
      </label>
      <label title="Show the tetrahedra the plane crosses, whole"><input type="checkbox" checked={v.wholeElements} disabled={v.clip === 'off'} onChange={(e) => setView({ wholeElements: e.target.checked })} data-testid="whole-elements" /> whole elements</label>
      <span className="sep" />
      <label><input type="checkbox" checked={v.edges} onChange={(e) => setView({ edges: e.target.checked })} /> edges</label>
      <label><input type="checkbox" checked={v.wireframe} onChange={(e) => setView({ wireframe: e.target.checked })} /> wireframe</label>
      <label><input type="checkbox" checked={v.axes} onChange={(e) => setView({ axes: e.target.checked })} /> axes</label>
      <button onClick={onFit} title="Fit (F)" data-testid="fit">Fit</button>
    </div>
  );
}
