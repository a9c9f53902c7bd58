// The workbench: top bar (open, run, compute switch), side panel (part, mesh settings, jobs), the 3D viewer with
// its view tools, and the job's log / timings / attempts underneath. Compare mode swaps the centre for two viewers.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MeshPayload } from '../../src/contract/api';
import { useShallow } from 'zustand/react/shallow';
import * as act from './actions';
import { useStore } from './store';
import type { Source } from './viewer/scene';
import { previewTargetSizes } from './viewer/target-size';
import { Viewer, VIEW_BUTTONS, type ViewCommand } from './components/Viewer';
import { LogPanel } from './components/LogPanel';
import { Attempts, TimingsPanel } from './components/TimingsPanel';
import { CompareView } from './components/CompareView';
import { SettingsDialog } from './components/SettingsDialog';
import { TopBar } from './components/TopBar';
import { PartPanel } from './components/PartPanel';
import { GroupsPanel } from './components/GroupsPanel';
import { JobActions } from './components/JobActions';
import { faceColors, useGroups } from './groups';
import { MeshSettingsPanel } from './components/MeshSettingsPanel';
import { JobList } from './components/JobList';
import { ViewTools } from './components/ViewTools';
import { JobStatusLine } from './components/JobStatusLine';
import { Spinner } from './components/Spinner';
import { JobBanner } from './components/JobBanner';
import { QualityCard } from './components/QualityCard';
import { REPAIRED_COLOUR, RepairBanner, repairedFaces } from './components/RepairBanner';
import { QualityPane } from './components/QualityPane';
import { StartScreen } from './components/StartScreen';
import { meshUnit, PART_UNIT } from './units';
import { geometryMarks } from './geometry-marks';

export function App() {
  // Only what the frame needs: log and progress updates (many per second) must not re-render the whole workbench.
  const s = useStore(
    useShallow((x) => ({
      theme: x.theme,
      parts: x.parts,
      currentPart: x.currentPart,
      jobs: x.jobs,
      selectedJob: x.selectedJob,
      meshes: x.meshes,
      view: x.view,
      tab: x.tab,
      mode: x.mode,
      showSettings: x.showSettings,
      toast: x.toast,
      sizing: x.settings.sizing,
      groups: x.settings.groups,
    })),
  );
  const fileRef = useRef<HTMLInputElement>(null);
  const [command, setCommand] = useState<{ cmd: ViewCommand } | null>(null);
  const [drag, setDrag] = useState(false);
  const job = s.selectedJob ? (s.jobs[s.selectedJob] ?? null) : null;
  const part = s.parts.find((p) => p.path === s.currentPart) ?? null;
  const { setTab, dismissMessage } = useStore.getState();
  const selection = useGroups((g) => g.selection);
  const pickFace = useGroups((g) => g.pick);
  const pickBox = useGroups((g) => g.pickBox);
  const setHover = useGroups((g) => g.setHover);
  const boxArmed = useGroups((g) => g.boxArmed);
  const openFile = () => void act.openDialog(() => fileRef.current?.click());

  // Information goes away by itself; an error stays until dismissed (× or Esc).
  useEffect(() => {
    if (s.toast?.kind !== 'info') return;
    const t = setTimeout(dismissMessage, 8000);
    return () => clearTimeout(t);
  }, [s.toast, dismissMessage]);

  useEffect(() => {
    document.documentElement.dataset.theme = s.theme;
    localStorage.setItem('meshbench.theme', s.theme);
  }, [s.theme]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const typing = (e.target as HTMLElement)?.closest?.('input, textarea, select');
      if (mod && e.key === 'Enter') {
        e.preventDefault();
        void act.run();
      } else if (mod && e.key === '.') {
        e.preventDefault();
        void act.cancel();
      } else if (mod && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        void act.openDialog(() => fileRef.current?.click());
      } else if (!typing && !mod && e.key.toLowerCase() === 'f') setCommand({ cmd: 'fit' });
      else if (!typing && !mod && e.key.toLowerCase() === 'b')
        useGroups.getState().armBox(!useGroups.getState().boxArmed);
      else if (!typing && !mod && /^[0-6]$/.test(e.key))
        setCommand({ cmd: VIEW_BUTTONS.find((b) => b.key === e.key)!.v });
      else if (e.key === 'Escape' && !useStore.getState().showSettings) useStore.getState().dismissMessage();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // What the viewer shows: the selected job's mesh; without one, its part (a failed job's failed surfaces in red);
  // with no job, the current part.
  const failedTags =
    job?.status === 'failed'
      ? [...new Set(job.attempts.flatMap((a) => a.failedSurfaces ?? []))].sort((a, b) => a - b)
      : [];
  const jobPart = job ? (s.parts.find((x) => x.path === job.input.path) ?? null) : null;
  const repaired = repairedFaces(job);
  const repairedKey = repaired.join(',');
  const [showRepaired, setShowRepaired] = useState(false);
  useEffect(() => setShowRepaired(false), [job?.id]);
  const source = useMemo<Source | null>(() => {
    if (job) {
      // The faces a targeted repair refined, highlighted on the part.
      if (showRepaired && repaired.length && jobPart?.preview)
        return {
          kind: 'preview',
          preview: jobPart.preview,
          faceColors: new Map(repaired.map((t) => [t, REPAIRED_COLOUR])),
        };
      const m = s.meshes[job.id];
      // the groups of the part shown on its mesh too (when it is the current part, whose groups the panel edits)
      if (m && m !== 'loading' && !('error' in m)) {
        const marks = geometryMarks(job, m as MeshPayload);
        const colors = job.input.path === s.currentPart ? faceColors(s.groups ?? [], selection) : null;
        return {
          kind: 'mesh',
          mesh: m as MeshPayload,
          partKey: job.input.path,
          // what the geometry prevents, over the groups
          faceColors: marks.faces.length ? new Map([...(colors ?? []), ...marks.faces]) : colors,
          points: marks.points,
        };
      }
      return jobPart?.preview ? { kind: 'preview', preview: jobPart.preview, failedSurfaces: failedTags } : null;
    }
    // Before meshing, the part is coloured by the size the mesh settings ask for (local refinements show).
    return part?.preview
      ? {
          kind: 'preview',
          preview: part.preview,
          targetSizes: previewTargetSizes(part.preview, s.sizing, s.groups),
          faceColors: faceColors(s.groups ?? [], selection),
        }
      : null;
    // Keyed on what is drawn (the job's id and status, the repaired faces' key), not on the job object, which is
    // replaced on every progress event: a new source rebuilds the scene's geometry.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [
    job?.id,
    job?.status,
    s.meshes,
    part?.preview,
    jobPart?.preview,
    s.sizing,
    s.groups,
    s.currentPart,
    selection,
    showRepaired,
    repairedKey,
  ]);

  const meshState = job ? s.meshes[job.id] : undefined;
  const shownMesh = source?.kind === 'mesh' ? source.mesh : null;
  // Faces can be picked on the current part's preview and on a mesh of it.
  const canPick = !job || job.input.path === s.currentPart;
  const jobs = Object.values(s.jobs).sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  return (
    <div
      className={`app ${drag ? 'dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDrag(true);
      }}
      onDragLeave={() => setDrag(false)}
      data-testid="app"
      onDrop={(e) => {
        e.preventDefault();
        setDrag(false);
        void act.openFiles([...e.dataTransfer.files]);
      }}
    >
      <TopBar fileRef={fileRef} />

      <aside className="side">
        {/* The part and its settings scroll on their own, so the Jobs list always keeps its share of the height. */}
        <div className="side-top">
          <PartPanel />
          <GroupsPanel />
          <MeshSettingsPanel />
        </div>
        <JobList jobs={jobs} />
      </aside>

      <main className="center">
        {s.mode === 'compare' ? (
          <CompareView />
        ) : (
          <>
            <ViewTools
              onWorst={() => setCommand({ cmd: 'worst' })}
              hasPart={!!source}
              hasMetrics={!!shownMesh && shownMesh.tets.length > 0}
              quadratic={!!shownMesh?.quality.scaledJacobian?.length}
            />
            <JobBanner job={job} failedTags={failedTags} />
            <RepairBanner
              job={job}
              showing={showRepaired}
              canShow={!!jobPart?.preview}
              onToggle={() => setShowRepaired((v) => !v)}
            />
            <div className="viewer-wrap">
              <Viewer
                source={source}
                view={s.view}
                command={command}
                unit={job ? meshUnit(job) : PART_UNIT}
                onPickFace={canPick ? pickFace : undefined}
                onHoverFace={canPick ? setHover : undefined}
                boxSelect={canPick && boxArmed}
                onBox={pickBox}
              />
              {!part && !job && <StartScreen onOpen={openFile} />}
              {part?.loading && (
                <div className="overlay">
                  <Spinner /> Preparing preview…
                </div>
              )}
              {part?.error && (
                <div className="overlay error" data-testid="open-error">
                  {part.error}
                </div>
              )}
              {meshState === 'loading' && (
                <div className="overlay">
                  <Spinner /> Loading mesh…
                </div>
              )}
              {meshState && meshState !== 'loading' && 'error' in meshState && (
                <div className="overlay error">{meshState.error}</div>
              )}
            </div>
            <section className="bottom">
              <div className="tabs">
                {(['log', 'timings', 'attempts'] as const).map((t) => (
                  <button
                    key={t}
                    className={s.tab === t ? 'active' : ''}
                    onClick={() => setTab(t)}
                    data-testid={`tab-${t}`}
                  >
                    {t}
                  </button>
                ))}
                <JobStatusLine job={job} />
                <JobActions job={job} />
              </div>
              <div className="bottom-body">
                <div className="bottom-main">
                  {s.tab === 'log' && <LogPanel jobId={job?.id ?? null} />}
                  {s.tab === 'timings' && <TimingsPanel job={job} />}
                  {s.tab === 'attempts' && (
                    <div className="panel-body attempts-body">
                      {job ? (
                        <>
                          <QualityCard job={job} />
                          <Attempts job={job} />
                        </>
                      ) : (
                        <div className="empty">Select a job.</div>
                      )}
                    </div>
                  )}
                </div>
                {/* The selected job's histogram, on screen with every tab (and without Compare). */}
                {job?.status === 'completed' && <QualityPane job={job} />}
              </div>
            </section>
          </>
        )}
      </main>
      {s.showSettings && <SettingsDialog />}
      {s.toast && (
        <div className={`toast ${s.toast.kind}`} role="alert" data-testid="toast">
          <span data-testid="toast-text">{s.toast.text}</span>
          <button
            className="banner-close"
            onClick={dismissMessage}
            title="Dismiss (Esc)"
            aria-label="Dismiss"
            data-testid="toast-close"
          >
            ×
          </button>
        </div>
      )}
      {drag && <div className="dropzone">Drop STEP, IGES, BREP or STL files to open them</div>}
    </div>
  );
}
