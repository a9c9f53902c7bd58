// UI state: the opened parts, jobs (kept fresh by engine events), per-job logs, viewer options, compare selection.
import { create } from 'zustand';
import type {
  BreakerState,
  CatalogueAttempt,
  GmshInfo,
  MeshPayload,
  PartPreview,
  Settings,
  WorkbenchEvent,
} from '../../src/contract/api';
import type { Backend, JobResult, LogLine, MeshSettings } from '../../src/contract/job';
import { DEFAULT_SETTINGS } from '../../src/contract/job';
import { addProgress, type JobProgress } from './progress';

export type Metric = 'sicn' | 'gamma' | 'minDihedralDeg' | 'aspectRatio' | 'skewness' | 'scaledJacobian';
export type ClipAxis = 'off' | 'x' | 'y' | 'z';
type Tab = 'log' | 'timings' | 'attempts';

export interface ViewOptions {
  colorBy: Metric | 'none';
  edges: boolean;
  wireframe: boolean;
  axes: boolean;
  /** Show only elements worse than this value of colorBy (inner ones too); null: off. */
  threshold: number | null;
  /**
   * Show only the elements whose colorBy value lies in [lo, hi) (a histogram band; null: unbounded on that side);
   * null: off. Never set together with `threshold`.
   */
  band: { lo: number | null; hi: number | null } | null;
  clip: ClipAxis;
  /** 0..1 along the bbox of the clip axis. */
  clipPos: number;
  /** Keep the other side of the cut (coordinate >= the plane instead of <=). */
  clipFlip: boolean;
  /** Show the tets the plane crosses whole, instead of slicing them. */
  wholeElements: boolean;
}

/** A job's log as the UI holds it: lines sorted by seq, with a version for cheap re-render checks. */
interface JobLog {
  lines: LogLine[];
  version: number;
  replayed: boolean;
}

interface Part {
  path: string;
  preview: PartPreview | null;
  error: string | null;
  loading: boolean;
}

/** A finished job's mesh as the renderer holds it: loading, its payload, or why it could not be had. */
export type MeshEntry = MeshPayload | { error: string } | 'loading';

/**
 * Meshes kept in memory at once (a big one is tens of MB): the selected job's, the two compared ones and one more,
 * the least recently used beyond that are dropped (and fetched again when shown again), like the engine's own cache.
 */
export const MESH_CACHE = 4;

interface Message {
  kind: 'error' | 'info';
  text: string;
}

interface Data {
  theme: 'dark' | 'light';
  parts: Part[];
  currentPart: string | null;
  settings: MeshSettings;
  compute: Backend;
  appSettings: Settings | null;
  breaker: BreakerState | null;
  /** The strategy catalogue and what this Gmsh can do, once the engine said (null before, or when it could not). */
  catalogue: { attempts: CatalogueAttempt[]; capabilities: GmshInfo['capabilities'] | null } | null;
  jobs: Record<string, JobResult>;
  progress: Record<string, JobProgress>;
  selectedJob: string | null;
  logs: Record<string, JobLog>;
  meshes: Record<string, MeshEntry>;
  /** Job ids of the meshes held, least recently used first. */
  meshOrder: string[];
  view: ViewOptions;
  tab: Tab;
  mode: 'work' | 'compare';
  compare: [string | null, string | null];
  showSettings: boolean;
  toast: Message | null;
}

interface Actions {
  toggleTheme: () => void;
  /** Adds (or re-opens) a part as loading; `current`: it becomes the current part and no job is selected. */
  partOpening: (path: string, current: boolean) => void;
  /** A file that could not be read: it leaves the list and the part and job shown before come back. */
  partRejected: (path: string, prevPart: string | null, prevJob: string | null) => void;
  partPreviewed: (path: string, preview: PartPreview) => void;
  partFailed: (path: string, error: string) => void;
  selectPart: (path: string) => void;
  updateMeshSettings: (p: Partial<MeshSettings>) => void;
  setCompute: (compute: Backend) => void;
  /** Settings as the engine holds them; the mesh settings and compute switch follow when `adopt` is set (start-up). */
  setAppSettings: (s: Settings, adopt?: boolean) => void;
  setBreaker: (b: BreakerState | null) => void;
  setCatalogue: (c: Data['catalogue']) => void;
  /** Jobs listed by the engine; newer copies already held (from events) win. */
  loadJobs: (jobs: JobResult[]) => void;
  putJob: (job: JobResult) => void;
  /** A deleted job leaves the list, the selection, Compare's slots and the mesh cache. */
  removeJob: (id: string) => void;
  selectJob: (id: string | null) => void;
  setMesh: (id: string, mesh: MeshEntry) => void;
  setView: (p: Partial<ViewOptions>) => void;
  setTab: (tab: Tab) => void;
  setMode: (mode: 'work' | 'compare') => void;
  setCompare: (slot: 0 | 1, id: string | null) => void;
  compareBoth: (a: string, b: string) => void;
  openSettings: () => void;
  closeSettings: () => void;
  showMessage: (kind: Message['kind'], text: string) => void;
  dismissMessage: () => void;
  applyEvents: (events: WorkbenchEvent[]) => void;
  mergeLog: (jobId: string, lines: LogLine[], replayed?: boolean) => void;
}

type State = Data & Actions;

const savedTheme = (typeof localStorage !== 'undefined' && localStorage.getItem('meshbench.theme')) as
  'dark' | 'light' | null;

/** The mesh cache after `id` was used: most recent last, trimmed to MESH_CACHE without dropping a mesh on screen. */
function touchMesh(
  s: Pick<Data, 'meshes' | 'meshOrder' | 'selectedJob' | 'compare' | 'mode'>,
  id: string,
  entry?: MeshEntry,
): Pick<Data, 'meshes' | 'meshOrder'> {
  const meshes = { ...s.meshes };
  if (entry !== undefined) meshes[id] = entry;
  let order = [...s.meshOrder.filter((x) => x !== id), id];
  const onScreen = new Set([s.selectedJob, ...(s.mode === 'compare' ? s.compare : [])]);
  for (let i = 0; order.length > MESH_CACHE && i < order.length;) {
    const victim = order[i];
    if (onScreen.has(victim) || victim === id) i++;
    else {
      delete meshes[victim];
      order = order.filter((x) => x !== victim);
    }
  }
  return { meshes, meshOrder: order };
}

export const useStore = create<State>((set, get) => ({
  theme: savedTheme ?? 'dark',
  parts: [],
  currentPart: null,
  settings: DEFAULT_SETTINGS,
  compute: 'local',
  appSettings: null,
  breaker: null,
  catalogue: null,
  jobs: {},
  progress: {},
  selectedJob: null,
  logs: {},
  meshes: {},
  meshOrder: [],
  view: {
    colorBy: 'none',
    edges: true,
    wireframe: false,
    axes: true,
    threshold: null,
    band: null,
    clip: 'off',
    clipPos: 0.5,
    clipFlip: false,
    wholeElements: true,
  },
  tab: 'log',
  mode: 'work',
  compare: [null, null],
  showSettings: false,
  toast: null,
  toggleTheme: () => set((s) => ({ theme: s.theme === 'dark' ? 'light' : 'dark' })),
  partOpening: (path, current) =>
    set((s) => ({
      parts: [...s.parts.filter((p) => p.path !== path), { path, preview: null, error: null, loading: true }],
      ...(current ? { currentPart: path, selectedJob: null } : {}),
    })),
  partRejected: (path, prevPart, prevJob) =>
    set((s) => {
      const parts = s.parts.filter((p) => p.path !== path);
      if (s.currentPart !== path) return { parts };
      return {
        parts,
        currentPart: prevPart && parts.some((p) => p.path === prevPart) ? prevPart : null,
        selectedJob: prevJob,
      };
    }),
  partPreviewed: (path, preview) =>
    set((s) => ({ parts: s.parts.map((p) => (p.path === path ? { ...p, preview, loading: false } : p)) })),
  partFailed: (path, error) =>
    set((s) => ({ parts: s.parts.map((p) => (p.path === path ? { ...p, error, loading: false } : p)) })),
  selectPart: (path) => set({ currentPart: path, selectedJob: null }),
  updateMeshSettings: (p) => set((s) => ({ settings: { ...s.settings, ...p } })),
  setCompute: (compute) => set({ compute }),
  setAppSettings: (appSettings, adopt) =>
    set(adopt ? { appSettings, settings: appSettings.defaults, compute: appSettings.compute } : { appSettings }),
  setBreaker: (breaker) => set({ breaker }),
  setCatalogue: (catalogue) => set({ catalogue }),
  loadJobs: (list) =>
    set((s) => {
      const map: Record<string, JobResult> = {};
      for (const j of list) map[j.id] = j;
      return { jobs: { ...map, ...s.jobs } };
    }),
  putJob: (job) => set((s) => ({ jobs: { ...s.jobs, [job.id]: job } })),
  removeJob: (id) =>
    set((s) => {
      const { [id]: _j, ...jobs } = s.jobs;
      const { [id]: _m, ...meshes } = s.meshes;
      const { [id]: _l, ...logs } = s.logs;
      return {
        jobs,
        meshes,
        logs,
        meshOrder: s.meshOrder.filter((x) => x !== id),
        selectedJob: s.selectedJob === id ? null : s.selectedJob,
        compare: s.compare.map((x) => (x === id ? null : x)) as [string | null, string | null],
      };
    }),
  // The part follows the selected job: the Part panel and Run then speak of the part that job meshed.
  selectJob: (id) =>
    set((s) => ({ selectedJob: id, mode: 'work', currentPart: (id && s.jobs[id]?.input.path) || s.currentPart })),
  setMesh: (id, mesh) => set((s) => touchMesh(s, id, mesh)),
  setView: (p) => set((s) => ({ view: { ...s.view, ...p } })),
  setTab: (tab) => set({ tab }),
  setMode: (mode) => set({ mode }),
  setCompare: (slot, id) => set((s) => ({ compare: slot === 0 ? [id, s.compare[1]] : [s.compare[0], id] })),
  compareBoth: (a, b) => set({ compare: [a, b], mode: 'compare' }),
  openSettings: () => set({ showSettings: true }),
  closeSettings: () => set({ showSettings: false }),
  showMessage: (kind, text) => set({ toast: { kind, text } }),
  dismissMessage: () => set({ toast: null }),
  mergeLog: (jobId, lines, replayed) => {
    const cur = get().logs[jobId] ?? { lines: [], version: 0, replayed: false };
    set((s) => ({
      logs: {
        ...s.logs,
        [jobId]: {
          lines: mergeLines(cur.lines, lines),
          version: cur.version + 1,
          replayed: cur.replayed || !!replayed,
        },
      },
    }));
  },
  applyEvents: (events) => {
    const s = get();
    let jobs = s.jobs;
    let progress = s.progress;
    const logAdds = new Map<string, LogLine[]>();
    for (const e of events) {
      if (e.type === 'job') {
        if (jobs === s.jobs) jobs = { ...jobs };
        jobs[e.job.id] = e.job;
      } else if (e.type === 'status') {
        const j = jobs[e.jobId];
        if (j) {
          if (jobs === s.jobs) jobs = { ...jobs };
          jobs[e.jobId] = { ...j, status: e.status };
        }
      } else if (e.type === 'progress') {
        if (progress === s.progress) progress = { ...progress };
        progress[e.jobId] = addProgress(progress[e.jobId], e);
      } else if (e.type === 'log') {
        const arr = logAdds.get(e.jobId);
        if (arr) arr.push(...e.lines);
        else logAdds.set(e.jobId, [...e.lines]);
      }
    }
    let logs = s.logs;
    if (logAdds.size) {
      logs = { ...logs };
      for (const [id, lines] of logAdds) {
        const cur = logs[id] ?? { lines: [], version: 0, replayed: false };
        logs[id] = { lines: mergeLines(cur.lines, lines), version: cur.version + 1, replayed: cur.replayed };
      }
    }
    set({ jobs, progress, logs });
  },
}));

/** Appends in place when the new lines follow the old ones (the streaming case); otherwise merges by seq. */
function mergeLines(cur: LogLine[], add: LogLine[]): LogLine[] {
  if (!add.length) return cur;
  const last = cur.length ? cur[cur.length - 1].seq : -Infinity;
  let inOrder = add[0].seq > last;
  for (let i = 1; inOrder && i < add.length; i++) inOrder = add[i].seq > add[i - 1].seq;
  if (inOrder) {
    // Same array, mutated: the log view keys on the log's version, and copying 1e5 lines per batch would stall.
    for (const l of add) cur.push(l);
    return cur;
  }
  const bySeq = new Map<number, LogLine>();
  for (const l of cur) bySeq.set(l.seq, l);
  for (const l of add) bySeq.set(l.seq, l);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export interface MetricInfo {
  key: Metric;
  label: string;
  higherIsBetter: boolean;
  /** Colour scale and isolate slider: fixed ends, or `hi` null for the data's 99th percentile (aspect ratio). */
  lo: number;
  hi: number | null;
  /** The isolate slider's end when `hi` comes from the data, and its step. */
  sliderHi: number;
  step: number;
  /** Where "isolate" starts: a value worth looking below (above). */
  isolateAt: number;
  unit: string;
}

export const METRICS: MetricInfo[] = [
  { key: 'sicn', label: 'SICN', higherIsBetter: true, lo: 0, hi: 1, sliderHi: 1, step: 0.01, isolateAt: 0.3, unit: '' },
  {
    key: 'gamma',
    label: 'Gamma',
    higherIsBetter: true,
    lo: 0,
    hi: 1,
    sliderHi: 1,
    step: 0.01,
    isolateAt: 0.3,
    unit: '',
  },
  {
    key: 'minDihedralDeg',
    label: 'Min dihedral angle',
    higherIsBetter: true,
    lo: 0,
    hi: 70.53, // the regular tetrahedron's
    sliderHi: 70,
    step: 0.5,
    isolateAt: 15,
    unit: '°',
  },
  {
    key: 'aspectRatio',
    label: 'Aspect ratio',
    higherIsBetter: false,
    lo: 1,
    hi: null,
    sliderHi: 10,
    step: 0.1,
    isolateAt: 3,
    unit: '',
  },
  {
    key: 'skewness',
    label: 'Skewness',
    higherIsBetter: false,
    lo: 0,
    hi: 1,
    sliderHi: 1,
    step: 0.01,
    isolateAt: 0.7,
    unit: '',
  },
  // quadratic meshes only (a linear mesh has no values and is drawn uncoloured)
  {
    key: 'scaledJacobian',
    label: 'Scaled Jacobian (curved)',
    higherIsBetter: true,
    lo: 0,
    hi: 1,
    sliderHi: 1,
    step: 0.01,
    isolateAt: 0.3,
    unit: '',
  },
];

export const metricInfo = (m: Metric) => METRICS.find((x) => x.key === m)!;
