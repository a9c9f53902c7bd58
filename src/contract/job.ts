// Types every process shares (engine, CLI, main, preload, renderer, worker).
// The JSON shapes here are the CLI's `--json` contract (docs/architecture.md, "The CLI contract"): extend, never break.
import type { AlgorithmChoice } from './algorithms';

export type Backend = 'local' | 'modal' | 'auto';
export type ResolvedBackend = 'local' | 'modal';
/** `rejected`: the input was refused before Gmsh ran (not a CAD model, a Gmsh script, missing, empty ...). */
export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted' | 'rejected';
export type AttemptStatus = 'queued' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';
/** A job or attempt still going; every other status is final. */
export const ACTIVE_STATUSES = ['queued', 'running'] as const;
export type FinalJobStatus = Exclude<JobStatus, (typeof ACTIVE_STATUSES)[number]>;
export const isActive = (status: JobStatus | AttemptStatus): status is (typeof ACTIVE_STATUSES)[number] =>
  status === 'queued' || status === 'running';
export type Policy = 'first-acceptable' | 'best';
export type InputFormat = 'step' | 'iges' | 'brep' | 'stl-ascii' | 'stl-binary';

/** Targets an attempt must meet to be "acceptable" (src/contract/targets.ts); when none does, the mesh that misses them least is kept. */
export interface QualityTargets {
  /** Minimum SICN over all tetrahedra (default 0.1). */
  minSicn: number;
  /** Smallest dihedral angle of any tetrahedron, degrees (optional). */
  minDihedral?: number;
  /** Largest aspect ratio of any tetrahedron (optional; 1 is the regular tetrahedron). */
  maxAspect?: number;
}

/**
 * The size factor multiplies Gmsh's own element size for the part. Below 1/100 a part's default mesh of thousands of
 * tetrahedra would need billions (no attempt finishes); above 1000 every size is larger than the part.
 */
export const SIZE_FACTOR_RANGE = { min: 0.01, max: 1000 } as const;

/**
 * The longest watchdog per attempt and the longest job time budget: a week. Node's timers hold at most 24.8 days;
 * a longer one fires at once (a --timeout of 1e308 stopped every attempt within a second).
 */
export const MAX_WAIT_SEC = 7 * 24 * 3600;

export interface MeshSettings {
  /** Catalogue attempt name, `exhaustive` (whole catalogue), or null: the catalogue walked by the policy. */
  strategy: string | null;
  policy: Policy;
  /** Gmsh `-clscale`. */
  sizeFactor: number;
  elementOrder: ElementOrder;
  /** Parallel Gmsh processes; 0 = number of CPU cores. */
  jobs: number;
  targets: QualityTargets;
  /** Watchdog per attempt, seconds. */
  attemptTimeoutSec: number;
  /** The user's own groups: named sets of CAD faces or bodies (besides the automatic Body_/Face_ groups). */
  groups?: UserGroup[];
  /** Length unit of the written mesh; the CAD's own (mm for STEP/IGES through OpenCASCADE) when absent. */
  units?: LengthUnit;
  /** Solver formats written beside the .msh when the job completes. */
  exports?: ExportFormat[];
  /** Bound on the whole job, seconds: when it runs out the attempts stop and the best valid mesh so far is kept. */
  timeBudgetSec?: number | null;
  /**
   * `adaptive` (the default): per-attempt budgets, no long wait on slow earlier attempts, the learned order and a
   * targeted repair attempt. `plain`: the catalogue order as it is, nothing stopped early (the bench's baseline).
   */
  cascade?: 'adaptive' | 'plain';
  /**
   * Adaptive cascade, opt-in: try first the attempt that last won on this part with the same sizes and targets
   * (src/jobs/policy/learned-order.ts), then the rest by their win rate on this machine. Off by default: under first-acceptable the order
   * decides which mesh is kept, so with it on the kept mesh can depend on earlier jobs.
   */
  learnedOrder?: boolean;
  /**
   * Adaptive cascade: a targeted repair of a valid mesh below the targets. Absent: on when the catalogue is walked,
   * off after a strategy named on its own (one command line, one known amount of work); true/false force it.
   */
  repair?: boolean;
  /** Element sizes in the part's units, a target element count, and how touching bodies are joined. */
  sizing?: SizingSettings;
  /** Prism boundary layers grown from face groups into the body (`--layers GROUP=COUNT,FIRST,GROWTH`). */
  layers?: LayerRequest[];
  /** Gmsh's 2D and 3D algorithm and the optimiser, over every attempt's own (absent: each attempt's). */
  algorithms?: AlgorithmChoice;
}

/**
 * Boundary layers on a face group: `target` names it like a local size does (a group, `Face_<n>`, an
 * `Interface_<a>_<b>`, `face:3,7`); COUNT layers, the first FIRST thick (the part's units), each GROWTH times the one
 * before. Every request of a job has the same count.
 */
export interface LayerRequest {
  target: string;
  count: number;
  first: number;
  growth: number;
}

/** Min, mean and max of a measured length (the part's units). */
export interface LengthStats {
  min: number;
  mean: number;
  max: number;
}

/** A place where the layers are thinner than asked, and why. */
export interface LayerSpot {
  /** Where the layers are thinnest in the spot (the part's units), and the layered faces the spot covers. */
  at: [number, number, number];
  faces: number[];
  /** Wall nodes in the spot, and how many of them carry no layer at all. */
  nodes: number;
  stopped: number;
  /** The least share of the requested thickness a node there reached (0 = stopped). */
  minShare: number;
  reason: string;
}

/** The layers a group asked for and what the mesh has, measured on it (the part's units). */
export interface LayerResult {
  target: string;
  faces: number[];
  asked: { count: number; first: number; growth: number; total: number };
  measured: {
    /** Layers in the stacks that grew (a node either carries all of them or, stopped, none). */
    count: number;
    /** Height of the first layer and of the whole stack perpendicular to the wall, over the group's wall nodes. */
    first: LengthStats;
    total: LengthStats;
    /** Share of the wall nodes whose first layer is within 20 % of the request. */
    firstWithin20Pct: number;
  };
  wallNodes: number;
  /** Wall nodes below the requested thickness but above zero, and with none (their prisms became pyramids/tets). */
  shrunk: number;
  stopped: number;
  /** Where the layers thin out, the largest places first (at most 20). */
  spots: LayerSpot[];
}

/** A local size: `target` is a group name (the user's, `Body_<n>`, `Face_<n>`) or `face:3,7` / `body:1`. */
export interface LocalSize {
  target: string;
  size: number;
}

export interface SizingSettings {
  /** Smallest element size (Gmsh Mesh.MeshSizeMin). */
  sizeMin?: number;
  /** Largest element size (Gmsh Mesh.MeshSizeMax). */
  sizeMax?: number;
  /** Finer sizes on face groups or bodies. */
  local?: LocalSize[];
  /** How fast the size grows away from a refined region: the ratio between neighbouring elements (> 1). */
  growth?: number;
  /** Elements per 2π of curvature (Gmsh Mesh.MeshSizeFromCurvature). */
  curvature?: number;
  /** Aim for this many tetrahedra: the size is estimated from the part's volume and corrected once. */
  targetElements?: number;
  /** Join touching solids into one conformal mesh (OpenCASCADE fragments). Default true. */
  fragment?: boolean;
}

/** What `--target-elements` reached. */
export interface TargetCount {
  target: number;
  reached: number;
  /** (reached - target) / target, in percent. */
  deviationPct: number;
  /** Each Gmsh run: the size asked for (null: Gmsh's default, to measure the volume) and the tets it made. */
  passes: { size: number | null; elements: number }[];
  /** Volume of the part as meshed (sum of the first pass's tets). */
  volume: number;
}

export type LengthUnit = 'mm' | 'm' | 'in';
export const LENGTH_UNITS: readonly LengthUnit[] = ['mm', 'm', 'in'];
/** Millimetres (OpenCASCADE's unit for STEP/IGES; assumed for BREP and STL) to each unit. */
export const UNIT_SCALE: Readonly<Record<LengthUnit, number>> = { mm: 1, m: 0.001, in: 1 / 25.4 };
/** Linear (4-node) or quadratic (10-node) tetrahedra. */
export type ElementOrder = 1 | 2;
/**
 * Each solver format the engine writes: its name in menus, the file it writes beside the mesh (`<name><extension>`),
 * the element orders it can carry, and whether it carries a layered mesh's prisms and pyramids
 * (src/contract/export-limits.ts refuses the others).
 */
export const EXPORT_FORMAT_INFO = {
  inp: { label: 'Abaqus / CalculiX (.inp)', extension: '.inp', orders: [1, 2], layered: true },
  bdf: { label: 'Nastran (.bdf)', extension: '.bdf', orders: [1, 2], layered: true },
  vtu: { label: 'ParaView (.vtu)', extension: '.vtu', orders: [1, 2], layered: true },
  // Gmsh's extension with a tag, so it never overwrites the 4.1 mesh.
  msh22: { label: 'Gmsh 2.2 (.v22.msh)', extension: '.v22.msh', orders: [1, 2], layered: true },
  su2: { label: 'SU2 (.su2)', extension: '.su2', orders: [1], layered: true },
  unv: { label: 'I-DEAS (.unv)', extension: '.unv', orders: [1, 2], layered: true },
  // Fluent's mesh files end in .msh too: tagged like msh22. Finite-volume cells are linear.
  fluent: { label: 'ANSYS Fluent (.fluent.msh)', extension: '.fluent.msh', orders: [1], layered: true },
} as const satisfies Record<
  string,
  { label: string; extension: string; orders: readonly ElementOrder[]; layered: boolean }
>;
export type ExportFormat = keyof typeof EXPORT_FORMAT_INFO;
export const EXPORT_FORMATS = Object.keys(EXPORT_FORMAT_INFO) as readonly ExportFormat[];

/** A group as the user asks for it: a name and CAD faces (dim 2) or bodies (dim 3) by tag. */
export interface UserGroup {
  name: string;
  dim: 2 | 3;
  tags: number[];
}

/** A group as written into the mesh: a valid identifier, the CAD's (or user's) original text as its label. */
export interface GroupSpec {
  name: string;
  label: string;
  /** 3 = bodies (volumes), 2 = faces (surfaces). */
  dim: 2 | 3;
  /** CAD entity tags of that dimension. */
  tags: number[];
  /** Physical tag in the .msh (unique per dimension). */
  physical: number;
}

/**
 * A solver file of a job: written (bytes, sha256), or not, with `error` saying why (the mesh stays; the other
 * formats are unaffected).
 */
export type ExportedFile =
  | { format: ExportFormat; path: string; bytes: number; sha256: string; error?: undefined }
  | { format: ExportFormat; path: string; error: string; bytes?: undefined; sha256?: undefined };

/** A group of a finished mesh, with what it holds. */
export interface MeshGroup {
  name: string;
  label: string;
  dim: 2 | 3;
  tags: number[];
  nodes: number;
  elements: number;
}

export interface JobSpec {
  inputPath: string;
  settings: MeshSettings;
  backend: Backend;
  /** Output folder; default `<data>/jobs/<id>/`. */
  outDir?: string;
}

export interface Histogram {
  /** bins+1 edges, ascending. */
  edges: number[];
  counts: number[];
}

export interface MetricStats {
  min: number;
  avg: number;
  max: number;
  p10: number;
  histogram: Histogram;
}

export interface QualityReport {
  /** Tetrahedra measured (with boundary layers: the ones outside the layers). */
  elements: number;
  /** True when quadratic tets were measured on their corner nodes. */
  cornerNodesOnly: boolean;
  sicn: MetricStats;
  gamma: MetricStats;
  aspectRatio: MetricStats;
  minDihedralDeg: MetricStats;
  skewness: MetricStats;
  /**
   * Elements that are inverted or flat: tetrahedra with SICN <= 0 on the corners, or, for a quadratic tet, a Jacobian
   * determinant <= 0 somewhere inside the curved element; layer prisms and pyramids with det J <= 0 at a corner. Any
   * of them disqualifies the attempt.
   */
  inverted: number;
  /** Quadratic meshes: min det J / max det J per curved element (Gmsh's "distortion"); 1 for a straight-sided tet. */
  scaledJacobian?: MetricStats;
  /** Quadratic meshes: curved elements with det J <= 0 somewhere (their corner tet may still look valid). */
  invertedCurved?: number;
  /**
   * Meshes with boundary layers: the layers' prisms, pyramids and the tetrahedra inside the layers (where a layer
   * stops), judged apart from the tetrahedra above. Their inverted ones count in `inverted` too.
   */
  layers?: { prisms: LayerElementsQuality; pyramids: LayerElementsQuality; tetrahedra: LayerElementsQuality };
}

/**
 * Elements of the boundary layers. Thin by design, so Gmsh's ICN is low for a healthy layer (a right prism of height
 * 1/50 of its side has 0.11): it is shown, not held to the SICN target. What disqualifies is an inverted one.
 */
export interface LayerElementsQuality {
  elements: number;
  /** Gmsh's ICN (its AnalyseMeshQuality plugin), signed: <= 0 is inverted or flat. The SICN of tetrahedra. */
  sicn: MetricStats;
  /** Prisms and tetrahedra: gamma (Gmsh's for prisms: the least normalised corner Jacobian, 1 for a right prism). */
  gamma?: MetricStats;
  inverted: number;
}

export interface ElementCounts {
  tetrahedra: number;
  triangles: number;
  lines: number;
  points: number;
  other: number;
  /** Boundary layers: linear prisms, pyramids, and the quadrangles on faces beside the layers (absent in older jobs). */
  prisms?: number;
  pyramids?: number;
  quadrangles?: number;
}

export interface Timings {
  totalMs: number;
  /** Phase name -> milliseconds (hash, inspect, mesh, read, quality, write, upload, queue, ...). */
  phases: Record<string, number>;
}

export interface AttemptResult {
  index: number;
  strategy: string;
  status: AttemptStatus;
  score: number | null;
  /** Why it failed or was skipped, in Gmsh's own words where Gmsh gave them. */
  error: string | null;
  seconds: number | null;
  /** Full Gmsh command line, executable first. */
  argv: string[];
  elements?: ElementCounts;
  quality?: QualityReport;
  /** With `--target-elements`: the count reached and how far it is from the target. */
  targetCount?: TargetCount;
  /** Gmsh surface tags named in its error lines (e.g. "on surface 8"). */
  failedSurfaces?: number[];
  /**
   * A targeted repair attempt: the attempt it repaired, the places it refined around that mesh's bad tetrahedra
   * (absent in jobs from before local repair, which refined whole faces) and the CAD faces those tetrahedra touch.
   */
  repair?: { from: string; places?: number; surfaces: number[]; badTets: number; worstSicn: number };
  /** A re-run, without the element budget, of an attempt that budget stopped (index `from`), and why. */
  secondChance?: { from: number; reason: string };
  /** Made from another attempt's mesh (a repair round): that attempt's index. It is kept only if it is better. */
  parent?: number;
  /** A valid mesh the job set aside, and why (a repair round no better than its parent): never the job's mesh. */
  discarded?: string;
  mesh?: { path: string; sha256: string; bytes: number } | null;
  modal?: { callId: string; status: string } | null;
  /** With `layers` in the settings: what each layer group reached on this attempt's mesh. */
  layers?: LayerResult[];
}

export interface JobError {
  code: string;
  message: string;
  hint?: string;
}

/** What an offloaded job cost, as Modal bills it (see src/cloud/cost.ts). */
export interface JobCostSummary {
  /** Seconds the worker spent on the job's calls, failed and retried ones included. */
  workerSeconds: number;
  usd: number;
  /** The same worker seconds on the always-on EC2 instance. */
  ec2BaselineUsd: number;
  /** Container seconds billed: start-up + calls + idle window until scale-down. */
  billedSeconds?: number;
  /** The function's GPU (null: CPU-only) and its rate per container-second. */
  gpu?: string | null;
  usdPerSecond?: number;
  /** Mean GPU utilisation sampled on the worker during the calls; null when no GPU could be read. */
  gpuUtilAvgPct?: number | null;
}

/** A small CAD feature next to elements of the kept mesh that miss its targets (named by src/model/features.ts). */
export interface GeometryCause {
  kind: 'cusp' | 'tiny-edge' | 'narrow-face';
  /** What it is, in words to take back to the CAD tool ("face 3 is 0.235 mm wide, 1/50 of the element size: ..."). */
  text: string;
  faces: number[];
  curves: number[];
  vertices: number[];
  /** Where it is: min x y z, max x y z (a point for a cusp's vertex). */
  box: [number, number, number, number, number, number];
  /** Elements below the targets whose nearest small feature this is, within their longest edge. */
  badElements: number;
}

/** Why the kept mesh misses its targets, as far as the CAD explains it: set only when it misses them. */
export interface GeometryReport {
  /** The element size asked for (mm), that the features are measured against. */
  elementSize: number;
  /** Tetrahedra of the kept mesh below its targets. */
  badElements: number;
  /** Most bad elements first. */
  causes: GeometryCause[];
  /** Bad elements near no small CAD feature (a thin wall, a face narrow in one place only: not detected). */
  unexplained: number;
}

/** The attempt whose mesh is the job's (by `winnerIndex`), if any. */
export const keptAttempt = (j: Pick<JobResult, 'attempts' | 'winnerIndex'>): AttemptResult | undefined =>
  j.winnerIndex === null ? undefined : j.attempts.find((a) => a.index === j.winnerIndex);

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * What a repair attempt refined, in words, as the CLI table, the attempts panel and the repair banner say it: the
 * places around its parent's bad tetrahedra and the faces they lie on; a face repair (jobs from before local
 * repair) the faces it refined.
 */
export function repairWords(r: NonNullable<AttemptResult['repair']>): string {
  const faces = `face${r.surfaces.length === 1 ? '' : 's'} ${r.surfaces.join(', ')}`;
  if (r.places === undefined) return `refined ${faces} of ${r.from}`;
  const on = r.surfaces.length ? ` on ${faces}` : ' inside the body';
  return `refined around ${plural(r.badTets, 'tetrahedron', 'tetrahedra')} of ${r.from} in ${plural(r.places, 'place', 'places')}${on}`;
}

/** One job as the CLI prints it with `--json` and as the UI receives it. */
export interface JobResult {
  id: string;
  status: JobStatus;
  backend: ResolvedBackend | null;
  requestedBackend: Backend;
  fallback?: { from: ResolvedBackend; reason: string } | null;
  input: { path: string; sha256: string | null; bytes: number | null; format: InputFormat | null };
  settings: MeshSettings;
  /** The kept attempt's strategy (the same name can run more than once: repairs, a second chance). */
  strategy: string | null;
  /** The kept attempt: `attempts[].index` of the one whose mesh is the job's. */
  winnerIndex: number | null;
  score: number | null;
  attempts: AttemptResult[];
  /** `gmsh`: the Gmsh build that made the mesh (locally, or on the worker). */
  mesh: {
    path: string;
    sha256: string;
    bytes: number;
    nodes: number;
    elements: ElementCounts;
    gmsh?: { version: string; build: string };
  } | null;
  quality: QualityReport | null;
  timings: Timings;
  transfer: { uploadedBytes: number; downloadedBytes: number };
  modal: { callId: string | null; status: string | null; startedAt: string | null; completedAt: string | null } | null;
  cost?: JobCostSummary | null;
  /** The mesh's groups (bodies dim 3, faces dim 2) with their node and element counts, once it is written. */
  groups?: MeshGroup[];
  /** Solver files written from the mesh. */
  exports?: ExportedFile[];
  /** Length unit of the mesh and its exports. */
  units?: LengthUnit;
  outDir: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: JobError | null;
  /** The job's mesh against its targets: `met` false means the best valid mesh was kept below them (`missed` says how). */
  targets?: (QualityTargets & { met: boolean; missed: string[] }) | null;
  /** Set when the user stopped the job and the best mesh so far was kept. */
  stopped?: { reason: string } | null;
  /** With `layers` in the settings: per group, the layers asked for and measured on the kept mesh. */
  layers?: LayerResult[] | null;
  /** A kept mesh below its targets: the small CAD features next to its bad elements. */
  geometry?: GeometryReport | null;
  /**
   * CAD parts: the element size asked for (Gmsh's default, a tenth of the diagonal, times the size factor; at most
   * --size-max) and the tetrahedra it implies for the part's volume, what each attempt's count is held against.
   */
  requested?: { size: number; tets: number } | null;
}

export interface LogLine {
  seq: number;
  /** ms since epoch */
  ts: number;
  level: 'info' | 'warning' | 'error' | 'debug';
  /** Attempt index, or null for job-level lines. */
  attempt: number | null;
  text: string;
}

export const DEFAULT_SETTINGS: MeshSettings = {
  strategy: null,
  policy: 'first-acceptable',
  sizeFactor: 1,
  elementOrder: 1,
  jobs: 0,
  targets: { minSicn: 0.1 },
  attemptTimeoutSec: 600,
  cascade: 'adaptive',
};

/** CLI exit codes (the CLI contract). */
export const EXIT = {
  ok: 0,
  usage: 1,
  inputRejected: 2,
  allAttemptsFailed: 3,
  unavailable: 4,
  /** The job completed and its mesh is kept, but an asked-for export could not be written (each says why). */
  exportFailed: 5,
  cancelled: 130,
} as const;
