// One attempt, end to end, wherever it runs (desktop, CLI, Modal worker): Gmsh -> mesh file -> reader ->
// quality kernel -> outcome. A mesh with no volume elements is a failure, whatever Gmsh's exit code says.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AttemptOutcome, AttemptSpec } from '../contract/attempt';
import type { LayerResult, LogLine } from '../contract/job';
import { inflateMesh } from '../layers/inflate';
import { failedSurfaces, gmshErrors } from '../gmsh/log-parse';
import { memoryExceededMessage } from '../gmsh/memory';
import { runGmsh } from '../gmsh/run';
import { findNetgenPython } from '../netgen/locate';
import { inspectInput } from '../input/inspect';
import { analyzeMesh, analyzeMeshSync, prewarmAnalyzer } from '../mesh/analyze';
import { attemptCommand } from '../geo/attempt-script';
import { UNIT_SCALE } from '../contract/job';
import { errorMessage } from '../util/errors';
import { DiskFullError, diskIsFull } from '../util/faults';
import { withoutFolders } from '../util/scrub-paths';
import { stageInput } from '../input/stage';
import { stlDiagonal } from './stl-diagonal';
import { runToTarget } from './target-count';

export interface AttemptHooks {
  gmshPath: string;
  signal?: AbortSignal;
  onLog?: (level: LogLine['level'], text: string) => void;
  onProgress?: (percent: number) => void;
  onSpawn?: (pid: number, startTime: string | null) => void;
  /** Read and judge the mesh on this thread (a one-shot runner process has no UI to keep responsive). */
  analyzeInThread?: boolean;
  /** Folders besides the work folder that no error may name (the worker's temp folder holding its input copy). */
  privateDirs?: string[];
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** What a STEP file says about its shape, when it holds shells but no solid. */
function stepShellNote(path: string): string {
  try {
    const text = readFileSync(path, 'latin1');
    if (/\bMANIFOLD_SOLID_BREP\b|\bBREP_WITH_VOIDS\b/.test(text)) return '';
    if (/\bOPEN_SHELL\b/.test(text)) return ' (the STEP file holds an OPEN_SHELL: faces that do not enclose a volume)';
    if (/\bSHELL_BASED_SURFACE_MODEL\b/.test(text)) return ' (the STEP file holds a surface model, no solid)';
  } catch {
    /* the reason without the detail */
  }
  return ' (an open shell or a surface model)';
}

export async function runAttempt(
  spec: AttemptSpec,
  inputPath: string,
  workDirIn: string,
  hooks: AttemptHooks,
): Promise<AttemptOutcome> {
  const outcome = spec.sizing?.targetElements
    ? await runToTarget(
        spec,
        (s) => runSinglePass(s, inputPath, workDirIn, hooks),
        (text) => hooks.onLog?.('info', text),
      )
    : await runSinglePass(spec, inputPath, workDirIn, hooks);
  const o = spec.layers?.groups.length ? await withLayers(spec, outcome, hooks) : outcome;
  // Errors name the attempt's files bare, never the folder they sit in (local or on the worker).
  if (o.error) o.error = withoutFolders(o.error, [resolve(workDirIn), ...(hooks.privateDirs ?? [])]);
  return o;
}

/**
 * Grows the boundary layers into the attempt's finished tetrahedral mesh and judges the result instead: the layered
 * mesh is the attempt's mesh, and an inverted layer element disqualifies it like an inverted tet.
 */
async function withLayers(spec: AttemptSpec, o: AttemptOutcome, hooks: AttemptHooks): Promise<AttemptOutcome> {
  if (o.status !== 'completed' || !o.mesh) return o;
  const t0 = performance.now();
  const phases = { ...o.timings.phases };
  const out = o.mesh.path.replace(/\.msh$/, '') + '-layers.msh';
  let grown;
  try {
    grown = inflateMesh(o.mesh.path, out, spec.layers!, UNIT_SCALE[spec.units ?? 'mm']);
  } catch (e) {
    return { ...o, status: 'failed', score: null, mesh: null, error: `Boundary layers: ${errorMessage(e)}` };
  }
  phases.layers = round(performance.now() - t0);
  for (const g of grown.layers) hooks.onLog?.('info', layerLine(g));
  let analysis;
  try {
    analysis = hooks.analyzeInThread
      ? analyzeMeshSync(out, { sha256: true })
      : await analyzeMesh(out, { sha256: true });
  } catch (e) {
    return {
      ...o,
      status: 'failed',
      score: null,
      mesh: null,
      error: `The layered mesh could not be read: ${errorMessage(e)}`,
    };
  }
  phases.read = round((phases.read ?? 0) + analysis.ms.read);
  phases.quality = round((phases.quality ?? 0) + analysis.ms.quality);
  const q = analysis.quality!;
  const totalMs = round(o.timings.totalMs + performance.now() - t0);
  return {
    ...o,
    elements: analysis.counts,
    nodes: analysis.nodes,
    quality: q,
    score: analysis.score,
    error: q.inverted > 0 ? `${q.inverted} inverted element(s): disqualified` : null,
    seconds: (o.seconds ?? 0) + (performance.now() - t0) / 1000,
    mesh: { path: out, sha256: analysis.sha256!, bytes: analysis.bytes! },
    layers: grown.layers,
    timings: { totalMs, phases },
  };
}

/** One log line per layer group: asked, reached, and where it thinned. */
function layerLine(g: LayerResult): string {
  const m = g.measured;
  const fmt = (v: number) => Number(v.toPrecision(3));
  const thin = g.shrunk + g.stopped;
  return (
    `Layers on ${g.target}: ${g.asked.count} x ${g.asked.first} (growth ${g.asked.growth}, total ${fmt(g.asked.total)}); ` +
    `first layer ${fmt(m.first.min)}..${fmt(m.first.max)} (mean ${fmt(m.first.mean)}), ${Math.round(m.firstWithin20Pct * 100)} % of ${g.wallNodes} wall nodes within 20 %` +
    (thin
      ? `; thinner at ${g.shrunk} nodes, stopped at ${g.stopped}${g.spots[0] ? ` (largest place: ${g.spots[0].nodes} nodes near (${g.spots[0].at.join(', ')}), ${g.spots[0].reason})` : ''}`
      : '')
  );
}

/** The spec with the Python that has python3-netgen here (the planner's may be another machine's). */
async function withLocalNetgen(spec: AttemptSpec): Promise<AttemptSpec> {
  const found = await findNetgenPython();
  if ('reason' in found) throw new Error(`Netgen cannot run here: ${found.reason}.`);
  return { ...spec, netgen: { ...spec.netgen!, python: found.python } };
}

/** One Gmsh run of the attempt, read and judged. */
async function runSinglePass(
  spec: AttemptSpec,
  inputPath: string,
  workDirIn: string,
  hooks: AttemptHooks,
): Promise<AttemptOutcome> {
  const t0 = performance.now();
  const workDir = resolve(workDirIn); // Gmsh runs in it: relative paths would resolve twice (made private by staging)
  const base = { index: spec.index, strategy: spec.strategy, score: null, argv: [] as string[] };
  const failed = (error: string, extra: Partial<AttemptOutcome> = {}): AttemptOutcome => ({
    ...base,
    status: 'failed',
    // Gmsh writes what fits on a full disk and exits 0: the reader's complaint is then the disk's, said so.
    error: diskIsFull(workDir) ? `${new DiskFullError(workDir, "Gmsh's mesh").message} (${error})` : error,
    seconds: (performance.now() - t0) / 1000,
    timings: { totalMs: round(performance.now() - t0), phases: {} },
    ...extra,
  });

  let cmd;
  try {
    const input = inspectInput(inputPath);
    const model = stageInput(input, workDir);
    const diag = input.format.startsWith('stl') ? stlDiagonal(model, input.format === 'stl-binary') : undefined;
    cmd = attemptCommand(hooks.gmshPath, spec.netgen ? await withLocalNetgen(spec) : spec, model, workDir, diag);
    for (const f of cmd.files) writeFileSync(f.path, f.content);
  } catch (e) {
    return failed(errorMessage(e));
  }
  base.argv = cmd.argv;
  const before: Record<string, number> = {};
  if (cmd.before) {
    // Netgen meshes first, in its own process under the same watchdog; Gmsh then only adds the groups.
    const ng = await runGmsh(cmd.before, {
      timeoutMs: spec.timeoutSec * 1000,
      signal: hooks.signal,
      cwd: workDir,
      onSpawn: hooks.onSpawn,
      onLine: (l) => hooks.onLog?.(l.level, l.text),
    });
    before.netgen = round(ng.wallMs);
    const why = ng.cancelled
      ? 'cancelled'
      : (ng.spawnError ??
        (ng.timedOut
          ? `Netgen did not finish within ${spec.timeoutSec} s (watchdog); it was stopped.`
          : ng.memoryExceeded
            ? memoryExceededMessage(ng.memoryLimitBytes!, 'mesh coarser, with a larger size factor')
            : ng.signal || (ng.exitCode ?? 0) > 128
              ? `Netgen crashed (${ng.signal ?? `exit code ${ng.exitCode}`}).`
              : ng.exitCode !== 0
                ? gmshErrors(ng.lines).join('; ') || `Netgen exited with code ${ng.exitCode}.`
                : null));
    const timings = { totalMs: round(performance.now() - t0), phases: before };
    if (why === 'cancelled') return { ...failed(why), timings, status: 'cancelled' };
    if (why) return failed(why, { timings });
  }

  const run = await runGmsh(cmd.argv, {
    timeoutMs: spec.timeoutSec * 1000,
    signal: hooks.signal,
    cwd: workDir,
    onSpawn: (pid, start) => {
      if (!hooks.analyzeInThread) prewarmAnalyzer(); // warm while Gmsh works
      hooks.onSpawn?.(pid, start);
    },
    onLine: (l) => {
      hooks.onLog?.(l.level, l.text);
      if (l.percent !== null) hooks.onProgress?.(l.percent);
    },
  });
  const phases: Record<string, number> = { ...before, mesh: round(run.wallMs) };
  // Gmsh's own wall time per dimension (1D curves, 2D surfaces, 3D volumes), as it reported them.
  for (const [dim, s] of Object.entries(run.dimSeconds)) phases[`gmsh${dim}d`] = round(s * 1000);
  const errors = gmshErrors(run.lines);
  const surfaces = failedSurfaces(errors);
  const withPhases = (o: Partial<AttemptOutcome>) => ({
    ...o,
    timings: { totalMs: round(performance.now() - t0), phases },
    failedSurfaces: surfaces,
  });

  if (run.cancelled) return { ...failed('cancelled'), ...withPhases({}), status: 'cancelled' };
  if (run.spawnError) return failed(run.spawnError, withPhases({}));
  if (run.timedOut)
    return failed(`Gmsh did not finish within ${spec.timeoutSec} s (watchdog); it was stopped.`, withPhases({}));
  if (run.memoryExceeded) {
    const remedy = 'mesh coarser, with a larger size factor or --size-max, or raise it on a machine with more memory';
    return failed(memoryExceededMessage(run.memoryLimitBytes!, remedy), withPhases({}));
  }
  if (run.signal || (run.exitCode !== null && run.exitCode > 128)) {
    const sig = run.signal ?? `exit code ${run.exitCode}`;
    return failed(`Gmsh crashed (${sig})${errors.length ? `: ${errors.join('; ')}` : ''}.`, withPhases({}));
  }
  let stat;
  try {
    stat = statSync(cmd.outFile);
  } catch {
    return failed(
      errors.length ? errors.join('; ') : `Gmsh exited with code ${run.exitCode} and wrote no mesh.`,
      withPhases({}),
    );
  }

  let analysis;
  try {
    analysis = hooks.analyzeInThread
      ? analyzeMeshSync(cmd.outFile, { sha256: true })
      : await analyzeMesh(cmd.outFile, { sha256: true });
  } catch (e) {
    return failed(`The mesh Gmsh wrote could not be read: ${errorMessage(e)}`, withPhases({}));
  }
  phases.read = round(analysis.ms.read);
  phases.quality = round(analysis.ms.quality);
  const common = withPhases({
    elements: analysis.counts,
    nodes: analysis.nodes,
    quality: analysis.quality ?? undefined,
  });

  if (analysis.counts.tetrahedra === 0) {
    // Gmsh exits 0 when there is nothing to fill: say why in words an engineer recognises.
    const why = errors.length
      ? errors.join('; ')
      : analysis.entities.volumes === 0
        ? `The model has no solid: ${analysis.entities.surfaces} surfaces and no volume${stepShellNote(inputPath)}, so there is nothing to fill with tetrahedra. Gmsh exited 0 after meshing the surfaces only; close the shell into a solid in the CAD tool.`
        : `Gmsh exited with code ${run.exitCode} but wrote no volume elements.`;
    return failed(why, common);
  }
  // A multi-body part can come back with one body empty (Gmsh's "No elements in volume 1"): not a mesh of the part.
  if (analysis.emptyVolumes.length) {
    const bodies = analysis.emptyVolumes.join(', ');
    const why = `Body ${bodies} got no tetrahedra; Gmsh meshed the other bodies only`;
    return failed(errors.length ? `${why}: ${errors.join('; ')}` : `${why}.`, common);
  }
  if (run.exitCode !== 0)
    return failed(errors.length ? errors.join('; ') : `Gmsh exited with code ${run.exitCode}.`, common);

  const q = analysis.quality!;
  return {
    ...base,
    ...common,
    status: 'completed',
    score: analysis.score,
    error: q.inverted > 0 ? `${q.inverted} inverted element(s): disqualified` : null,
    seconds: (performance.now() - t0) / 1000,
    mesh: { path: cmd.outFile, sha256: analysis.sha256!, bytes: stat.size }, // hashed by the reader, one read
    timings: { totalMs: round(performance.now() - t0), phases },
  };
}
