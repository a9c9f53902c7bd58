// UI state: the opened parts, jobs (kept fresh by engine events), per-job logs, viewer options, compare selection.
import { create } from 'zustand';
import type { BreakerState, MeshPayload, PartPreview, Settings, WorkbenchEvent } from '../../src/contract/api';
import type { Backend, JobResult, LogLine, MeshSettings } from '../../src/contract/job';
import { DEFAULT_SETTINGS } from '../../src/contract/job';

export type Metric = 'sicn' | 'gamma' | 'aspectRatio' | 'skewness';
export type ClipAxis = 'off' | 'x' | 'y' | 'z';
export type Tab = 'log' | 'timings' | 'attempts';

export interface ViewOptions {
  colorBy: Metric | 'none';
  edges: boolean;
  wireframe: boolean;
  axes: boolean;
  /** Show only elements worse than this value of colorBy (inner ones too); null: off. */
  threshold: number | null;
  clip: ClipAxis;
  /** 0..1 along the bbox of the clip axis. */
  clipPos: number;
  /** Show the tets the plane crosses whole, instead of slicing them. */
  wholeElements: boolean;
}

/** A job's log as the UI holds it: lines sorted by seq, with a version for cheap re-render checks. */
export interface JobLog {
  lines: LogLine[];
  version: number;
  replayed: boolean;
}

export interface Part {
  path: string;
  preview: PartPreview | null;
  error: string | null;
  loading: boolean;
}

interface State {
  theme: 'dark' | 'light';
  parts: Part[];
  currentPart: string | null;
  settings: MeshSettings;
  compute: Backend;
  appSettings: Settings | null;
  breaker: BreakerState | null;
  jobs: Record<string, JobResult>;
  progress: Record<string, { percent: number; phase: string }>;
  selectedJob: string | null;
  logs: Record<string, JobLog>;
  meshes: Record<string, MeshPayload | { error: string } | 'loading'>;
  view: ViewOptions;
  tab: Tab;
  mode: 'work' | 'compare';
  compare: [string | null, string | null];
  showSettings: boolean;
  toast: { kind: 'error' | 'info'; text: string } | null;
  set: (p: Partial<State> | ((s: State) => Partial<State>)) => void;
  setView: (p: Partial<ViewOptions>) => void;
  applyEvents: (events: WorkbenchEvent[]) => void;
  mergeLog: (jobId: string, lines: LogLine[], replayed?: boolean) => void;
}

const savedTheme = (typeof localStorage !== 'undefined' && localStorage.getItem('meshbench.theme')) as 'dark' | 'light' | null;

export const useStore = create<State>((set, get) => ({
  theme: savedTheme ?? 'dark',
  parts: [],
  currentPart: null,
  settings: DEFAULT_SETTINGS,
  compute: 'local',
  appSettings: null,
  breaker: null,
  jobs: {},
  progress: {},
  selectedJob: null,
  logs: {},
  meshes: {},
  view: { colorBy: 'none', edges: true, wireframe: false, axes: true, threshold: null, clip: 'off', clipPos: 0.5, wholeElements: true },
  tab: 'log',
  mode: 'work',
  compare: [null, null],
  showSettings: false,
  toast: null,
  set: (p) => set(p as never),
  setView: (p) => set((s) => ({ view: { ...s.view, ...p } })),
  mergeLog: (jobId, lines, replayed) => {
    const cur = get().logs[jobId] ?? { lines: [], version: 0, replayed: false };
    set((s) => ({ logs: { ...s.logs, [jobId]: { lines: mergeLines(cur.lines, lines), version: cur.version + 1, replayed: cur.replayed || !!replayed } } }));
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
        progress[e.jobId] = { percent: e.percent, phase: e.phase };
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
export function mergeLines(cur: LogLine[], add: LogLine[]): LogLine[] {
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

export const METRICS: { key: Metric; label: string; higherIsBetter: boolean }[] = [
  { key: 'sicn', label: 'SICN', higherIsBetter: true },
  { key: 'gamma', label: 'Gamma', higherIsBetter: true },
  { key: 'aspectRatio', label: 'Aspect ratio', higherIsBetter: false },
  { key: 'skewness', label: 'Skewness', higherIsBetter: false },
];
