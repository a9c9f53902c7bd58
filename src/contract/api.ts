// The one interface the desktop shells (Electron preload, browser harness) expose to the renderer.
// Every method is async and takes/returns structured-clone-able values (typed arrays for meshes).
import type {
  Backend,
  ExportFormat,
  JobResult,
  JobSpec,
  JobStatus,
  LengthUnit,
  LogLine,
  MeshSettings,
  UserGroup,
} from './job';

export interface GmshInfo {
  path: string;
  version: string;
  /** Build OS, date, host and OpenCASCADE version from `gmsh -info`: equal builds mesh byte-identically. */
  build?: string;
  capabilities: { openCascade: boolean; hxt: boolean; netgen: boolean; mmg: boolean };
}

export interface PartPreview {
  path: string;
  name: string;
  bytes: number;
  format: string;
  bbox: { min: [number, number, number]; max: [number, number, number] };
  volumes: number;
  surfaces: number;
  /** Coarse surface triangulation for the viewer. */
  positions: Float32Array;
  indices: Uint32Array;
  /** Gmsh surface tag per triangle. */
  surfaceTags: Int32Array;
  /**
   * CAD parts: each solid with its faces and the solids it touches (shares a face with once the touching solids
   * are fragmented, as meshing does). Face tags are those of that fragmented model, the ones `face:` sizes use.
   */
  bodies?: { tag: number; faces: number[]; touches: number[] }[];
  ms: number;
}

/** What the viewer needs of a finished mesh; everything as typed arrays. */
export interface MeshPayload {
  jobId: string;
  nodes: Float32Array; // xyz per node
  tets: Uint32Array; // 4 node indices (0-based into nodes) per tet, corner nodes
  /** Boundary layers: 6 nodes per prism and 5 per pyramid (Gmsh's order). Elements are numbered tets, prisms, pyramids. */
  prisms?: Uint32Array;
  pyramids?: Uint32Array;
  skin: Uint32Array; // 3 node indices per boundary triangle
  /** Index of the element (tets, then prisms, then pyramids) owning each skin triangle. */
  skinTet: Uint32Array;
  /** The CAD face (Gmsh surface tag) each skin triangle lies on, -1 where none (face picking on the mesh). */
  skinFaces?: Int32Array;
  /**
   * Per-element metric values in the same numbering; NaN where Gmsh defines no such metric for the element (aspect
   * ratio, dihedral, skewness of prisms and pyramids; gamma of pyramids). Prisms' and pyramids' SICN is Gmsh's ICN.
   */
  quality: {
    sicn: Float32Array;
    gamma: Float32Array;
    aspectRatio: Float32Array;
    skewness: Float32Array;
    minDihedralDeg: Float32Array;
    /** Quadratic meshes only: min/max det J of each curved tet (1 for a straight one). */
    scaledJacobian?: Float32Array;
  };
  /** Gmsh surface tags that failed to mesh (from its error lines), for highlighting. */
  failedSurfaces: number[];
}

/**
 * The part of a MeshPayload the first frame needs (a few MB even for a million tets): nodes and the skin. The viewer
 * shows it at once and fetches the full payload (tets and per-tet metrics, tens of MB) right after.
 */
type MeshSkinPayload = Pick<MeshPayload, 'jobId' | 'nodes' | 'skin' | 'skinTet' | 'skinFaces' | 'failedSurfaces'>;

export type CompareMetricRow = { metric: string; a: number | null; b: number | null; diffPct: number | null };
export interface Comparison {
  a: JobResult;
  b: JobResult;
  rows: CompareMetricRow[];
  /** Quality within ±5 % on every compared quality metric (the migration's success criterion). */
  /**
   * `sha256`: both meshes came from the same Gmsh build, so they must be byte-identical; `quality`: different or
   * unknown builds, so quality within ±tolerancePct. `why` says which and why.
   */
  parity: { ok: boolean; tolerancePct: number; failing: string[]; method: 'sha256' | 'quality'; why: string };
}

export interface BreakerState {
  open: boolean;
  reason: string | null;
  modalErrorRate: number;
  s3FailureRate: number;
  window: number;
  since: string | null;
}

export interface Settings {
  compute: Backend;
  gmshPath: string | null;
  dataDir: string;
  defaults: MeshSettings;
  s3: { bucket: string; region: string; endpoint: string | null; profile: string | null; hasKeys: boolean };
  modal: { url: string | null; hasKey: boolean };
  ec2BaselineUsdPerHour: number;
  /**
   * Where stored keys live. `encrypted` false with backend `basic_text`: Linux without a keyring, where Electron's
   * safeStorage only obfuscates; then keys stay in memory for the session unless `persist` is chosen.
   */
  keys: { backend: string | null; encrypted: boolean; persist: boolean; notice: string | null };
  /** Where each value in force comes from; a key set in the environment is named, never shown. */
  sources: Record<SettingField, SettingSource>;
}

export type SettingField =
  | 'compute'
  | 'gmsh'
  | 's3.bucket'
  | 's3.region'
  | 's3.endpoint'
  | 's3.profile'
  | 's3.keys'
  | 'modal.url'
  | 'modal.keys'
  | 'ec2';
/** `environment` names the variable that wins over anything saved. */
export type SettingSource = { from: 'environment'; variable: string } | { from: 'saved' } | { from: 'default' };

/**
 * Secrets travel renderer -> main only, never back. The page cannot name a Gmsh executable (only clear the saved
 * one, `gmshPath: null`): it comes from the CLI, the environment, or `pickGmsh` (a native dialog in main).
 */
export interface SettingsPatch extends Partial<
  Omit<Settings, 's3' | 'modal' | 'dataDir' | 'gmshPath' | 'keys' | 'sources'>
> {
  gmshPath?: null;
  /** Without a keyring: store keys on disk anyway (true) or keep them for this session only (false). */
  persistKeys?: boolean;
  s3?: Partial<Settings['s3']> & { accessKeyId?: string; secretAccessKey?: string };
  modal?: Partial<Settings['modal']> & { key?: string; secret?: string };
}

export interface DoctorReport {
  ok: boolean;
  gmsh: GmshInfo | null;
  gmshError: string | null;
  dataDir: string;
  store: { path: string; ok: boolean; jobs: number; userVersion: number; error?: string };
  breaker: BreakerState;
  checks: { name: string; ok: boolean; detail: string }[];
  /** The learned order's table: per attempt, jobs it ran in, jobs it won with the targets met, smoothed win rate. */
  winRates?: { strategy: string; runs: number; wins: number; rate: number }[];
}

/** One attempt of the strategy catalogue, as the desktop lists it. */
export interface CatalogueAttempt {
  name: string;
  description: string;
  /** CAD parts (STEP, IGES, BREP) or the STL route. */
  route: 'cad' | 'stl';
  /** Why this Gmsh cannot run it (a capability it lacks), or null. */
  unavailable: string | null;
}

/** How a job's mesh is exported (the Export dialog); every field has a default. */
export interface ExportOptions {
  /** `named`: leave out the automatic group of every CAD face (Face_<tag>); bodies, interfaces and named groups stay. */
  groups?: 'all' | 'named';
  /** Length unit of the files written (default: the unit the mesh was written in). */
  units?: LengthUnit;
  /** A folder from pickFolder (default: the job's output folder). */
  folder?: string;
}

export type WorkbenchEvent =
  | { type: 'job'; job: JobResult }
  | { type: 'status'; jobId: string; status: JobStatus }
  | { type: 'progress'; jobId: string; attempt: number | null; percent: number; phase: string }
  | { type: 'log'; jobId: string; lines: LogLine[] };

export interface WorkbenchApi {
  appInfo(): Promise<{ version: string; platform: string; dataDir: string; gmsh: GmshInfo | null }>;
  doctor(): Promise<DoctorReport>;
  /**
   * Desktop: native open dialog; harness: resolves null (use importFile). The paths it returns, importFile's and
   * recentFiles' are the only ones preview and submitJob accept: the page cannot name a file the user did not pick.
   */
  pickFiles(): Promise<string[] | null>;
  /** Copies dropped/uploaded bytes into the data folder's inbox; returns the stored path. */
  importFile(name: string, data: Uint8Array): Promise<string>;
  recentFiles(): Promise<string[]>;
  /** The strategy catalogue (every attempt a job may be asked to run, described) and what this Gmsh can do. */
  catalogue(): Promise<{ attempts: CatalogueAttempt[]; capabilities: GmshInfo['capabilities'] | null }>;
  /** The project's demo parts (packaged with the app), each with what it shows; their paths may be previewed. */
  demoParts(): Promise<{ path: string; name: string; description: string }[]>;
  preview(path: string): Promise<PartPreview>;
  /** The output folder is main's choice (the data folder's jobs/<id>/): a spec from the page carries none. */
  submitJob(spec: Omit<JobSpec, 'outDir'>): Promise<{ id: string }>;
  /** Desktop: a native dialog to choose the Gmsh executable (checked with `gmsh -info`); harness: no change. */
  pickGmsh(): Promise<Settings>;
  cancelJob(id: string): Promise<void>;
  /** Stops the attempts and keeps the best valid mesh so far (the job completes; below target if it must). */
  stopJob(id: string): Promise<void>;
  rerunJob(id: string): Promise<{ id: string }>;
  listJobs(): Promise<JobResult[]>;
  getJob(id: string): Promise<JobResult>;
  jobLog(id: string, afterSeq: number, limit: number): Promise<LogLine[]>;
  jobMesh(id: string): Promise<MeshPayload>;
  /** Nodes and skin only, for a fast first frame; jobMesh brings the rest. */
  jobMeshSkin(id: string): Promise<MeshSkinPayload>;
  compare(a: string, b: string): Promise<Comparison>;
  getSettings(): Promise<Settings>;
  saveSettings(patch: SettingsPatch): Promise<Settings>;
  /**
   * Checks Gmsh, S3 and Modal. With a patch: on the dialog's values as if saved (nothing is saved; stored keys are
   * not used for an endpoint or URL other than the saved one, as saving would forget them).
   */
  testConnection(
    patch?: SettingsPatch,
  ): Promise<{ ok: boolean; checks: { name: string; ok: boolean; detail: string }[] }>;
  breaker(): Promise<BreakerState>;
  resetBreaker(): Promise<BreakerState>;
  /** The user's groups of a part (faces or bodies by CAD tag), stored by the part's sha256: a restart keeps them. */
  partGroups(path: string): Promise<{ sha256: string; groups: UserGroup[] }>;
  /** Replaces a part's groups (names checked); returns them as stored. */
  savePartGroups(path: string, groups: UserGroup[]): Promise<{ sha256: string; groups: UserGroup[] }>;
  /** Writes solver files from a finished job's mesh (an offloaded job's downloaded .msh too), beside it by default. */
  exportJob(id: string, formats: ExportFormat[], options?: ExportOptions): Promise<JobResult>;
  /**
   * Desktop: a native dialog choosing a folder to export into; harness: the folder it was started with
   * (`--export-dir`), else null. Only a folder it returned may be an export's `folder`.
   */
  pickFolder(): Promise<string | null>;
  /**
   * Desktop: opens the job's output folder in the file manager (opened: true); harness: a browser cannot, so only the
   * path comes back for the page to show in words.
   */
  showJobFolder(id: string): Promise<{ path: string; opened: boolean }>;
  /** Deletes a finished job, its attempts, its log and its output folder; refused while it is queued or running. */
  deleteJob(id: string): Promise<{ removedFolder: string | null }>;
  /** Batched push events; returns an unsubscribe function. */
  onEvent(listener: (events: WorkbenchEvent[]) => void): () => void;
}

/**
 * The largest file the page may hand over by bytes (importFile: a drop or an upload). 512 MiB is a binary STL of ten
 * million triangles, more than Gmsh meshes in a desktop's memory; bigger files open by path (the desktop's file dialog,
 * the CLI). The harness refuses WebSocket messages beyond this plus a small envelope while reading them.
 */
export const MAX_IMPORT_BYTES = 512 * 2 ** 20;

/** Request/response methods (everything but the event subscription). */
export type WorkbenchMethod = Exclude<keyof WorkbenchApi, 'onEvent'>;
export type WorkbenchArgs<M extends WorkbenchMethod> = Parameters<WorkbenchApi[M]>;

/** The channel map, derived from the interface so main, preload and the harness cannot drift apart. */
export const WORKBENCH_METHODS = [
  'appInfo',
  'doctor',
  'pickFiles',
  'pickGmsh',
  'importFile',
  'recentFiles',
  'demoParts',
  'catalogue',
  'preview',
  'submitJob',
  'cancelJob',
  'stopJob',
  'rerunJob',
  'listJobs',
  'getJob',
  'jobLog',
  'jobMesh',
  'jobMeshSkin',
  'compare',
  'getSettings',
  'saveSettings',
  'testConnection',
  'breaker',
  'resetBreaker',
  'partGroups',
  'savePartGroups',
  'exportJob',
  'pickFolder',
  'showJobFolder',
  'deleteJob',
] as const satisfies readonly WorkbenchMethod[];

// Compile-time check that the list above names every method.
type Missing = Exclude<WorkbenchMethod, (typeof WORKBENCH_METHODS)[number]>;
const _exhaustive: Missing extends never ? true : never = true;
void _exhaustive;

export const channelOf = (m: WorkbenchMethod) => `workbench:${m}` as const;
export const EVENT_CHANNEL = 'workbench:event';
