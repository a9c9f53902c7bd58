// One attempt = one Gmsh invocation + reading + quality. The same spec runs locally and on the Modal worker
// (the worker runs `out/engine/attempt-runner.cjs`, built from src/), so both sides use the very same code.
import type { AttemptResult, GroupSpec, InputFormat, LayerRequest, LengthUnit, SizingSettings, Timings } from './job';
import type { AlgorithmChoice } from './algorithms';

/** A local size on CAD entities: faces (dim 2) or bodies (dim 3). */
export interface ResolvedLocalSize {
  /** What the user wrote (a group name or face:/body: list), for messages. */
  target: string;
  dim: 2 | 3;
  tags: number[];
  size: number;
}

export type AttemptSizing = Omit<SizingSettings, 'local'> & {
  local?: ResolvedLocalSize[];
  /** Gmsh's own target size for this run (set by the --target-elements passes); --size-max still bounds it. */
  meshSize?: number;
};

/** What a backend needs to run one catalogue attempt on an input it has locally. */
export interface AttemptSpec {
  jobId: string;
  index: number;
  /** Catalogue name, e.g. `default`, `hxt`. */
  strategy: string;
  inputFormat: InputFormat;
  sizeFactor: number;
  elementOrder: 1 | 2;
  timeoutSec: number;
  /**
   * Physical groups to write. Absent: one group per body (`Body_<tag>`) and per face (`Face_<tag>`), whatever the
   * model holds (the STL route, whose faces exist only after classification).
   */
  groups?: GroupSpec[];
  /** Scale the written mesh from the model's millimetres to this unit. */
  units?: LengthUnit;
  /** Sizes with their targets resolved to CAD entities (src/sizing/resolve.ts). */
  sizing?: AttemptSizing;
  /** A targeted repair attempt: local sizes around an earlier attempt's bad elements. */
  repair?: RepairSpec;
  /** Boundary layers grown into the finished tetrahedral mesh, inside the attempt (so a Modal worker grows them too). */
  layers?: AttemptLayers;
  /** The small-features attempt: sizes at the part's short CAD curves, from the model read. */
  features?: FeatureSizing;
  /** The compound-fillets attempt: groups of CAD faces each meshed as one patch (src/strategy/compound-groups.ts). */
  compounds?: number[][];
  /** The coarse-cusps attempt: this element size (model units, before the size factor) at the CAD vertices of cusps. */
  cusps?: { points: number[]; size: number };
  /** The netgen attempt: Netgen (python3-netgen) meshes, Gmsh adds the groups. */
  netgen?: NetgenSpec;
  /** The job's choice of Gmsh algorithms, set after the attempt's own options. */
  algorithms?: AlgorithmChoice;
}

/** How the netgen attempt runs Netgen 6.2 (src/netgen/netgen-script.ts). */
interface NetgenSpec {
  /** The Python that has python3-netgen where the job was planned (the runner uses its own where it runs). */
  python: string;
  /** Netgen's maxh: Gmsh's default element size for the part times the size factor, to 6 digits (Netgen's mesh changes with the last digits). */
  maxh: number;
  curvatureSafety: number;
  /** Close-edge refinement factor; 0 turns it off (it refines at cusps, which makes them worse). */
  closeEdges: number;
  /** The model's face count: Netgen's faces must be numbered 1..faces, as the model's are. */
  faces: number;
}

/**
 * Finer elements along the part's short CAD curves (src/sizing/small-features.ts): each group of curves of similar
 * length gets its own size, growing back to the element size at `growth`. Sizes in model units, as Gmsh ends up
 * with them (the attempt's script divides by its size factor, which Gmsh multiplies every size by).
 */
export interface FeatureSizing {
  /** The element size the sizes grow back to: Gmsh's default for the part times the size factor. */
  elementSize: number;
  growth: number;
  curves: { tags: number[]; size: number; samples: number }[];
}

/** The job's layer requests with their targets resolved to CAD faces (model units, before `units` scales the mesh). */
export interface AttemptLayers {
  groups: (LayerRequest & { faces: number[] })[];
  /** The job's SICN target: tetrahedra the layers push must stay at or above it (or where they were). */
  minSicn: number;
}

/**
 * One place a repair refines: a ball around a cluster of bad tetrahedra, in model units and final sizes (the script
 * divides sizes by the -clscale Gmsh multiplies them by). Inside `radius` of `centre` the size is `size`; beyond it
 * the size grows by `slope` per unit of distance up to the part's own.
 */
export interface RepairBall {
  centre: [number, number, number];
  radius: number;
  size: number;
}

/** Where a repair attempt refines, and how much: balls around its parent's bad tetrahedra (and earlier rounds'). */
export interface RepairSpec {
  /** The attempt whose mesh missed the targets. */
  from: string;
  /** This round's balls after those of earlier rounds (each round adds to the last). */
  balls: RepairBall[];
  /** The size ramps grow by this much per unit of distance from a ball... */
  slope: number;
  /** ...up to this size (the part's own element size, final). */
  farSize: number;
  /** CAD surface tags the bad tetrahedra touch (where the repair is, for the record; not refined as a whole). */
  surfaces: number[];
  /** Tetrahedra breaking a target in the mesh being repaired, and its worst SICN. */
  badTets: number;
  worstSicn: number;
  /** Run Netgen's optimiser too (this Gmsh has it). */
  netgen: boolean;
}

/** The result of one attempt, wherever it ran. `mesh.path` is local to where it ran. */
export interface AttemptOutcome extends AttemptResult {
  /** Per-phase milliseconds measured where the attempt ran: mesh, read, quality (and, remotely, download/upload). */
  timings: Timings;
  /** Nodes in the mesh, when one was read. */
  nodes?: number;
}

/** Lines the attempt runner prints on stdout, one JSON object per line. */
export type AttemptRunnerMessage =
  | { type: 'log'; level: 'info' | 'warning' | 'error' | 'debug'; text: string; ts: number }
  | { type: 'progress'; percent: number }
  | { type: 'result'; outcome: AttemptOutcome };
