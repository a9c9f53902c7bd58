// Stage 4 of a job, the one way a job ends, fresh or resumed: the winner's mesh is collected into the output folder
// (downloaded and verified from Modal), recorded with the attempt that made it (`winnerIndex`), the Gmsh build and,
// for Modal, the cost; its groups and solver files are written from the mesh itself; then the status, the error and
// the result files. A resumed offload job goes through here too, so it writes what a fresh one writes.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AttemptOutcome } from '../../contract/attempt';
import type { FinalJobStatus, JobError, JobResult, MeshSettings } from '../../contract/job';
import type { AttemptExecutor, JobContext } from '../../compute/executor';
import { meetsTargets } from '../../contract/targets';
import type { BilledCall } from '../../cloud/cost';
import { exportMesh } from '../../export/export-mesh';
import { readMshFile } from '../../mesh/msh-reader';
import { explainMisses } from '../../model/explain-misses';
import { geometryLines } from '../../contract/geometry';
import type { CadModel } from '../../model/read-model';
import { requestedSize } from '../../sizing/requested-size';
import { errorMessage } from '../../util/errors';
import { describeFault } from '../../util/faults';
import type { JobRun } from './context';
import { winnerLine } from './record';
import { meshFileFor, outputName, writeResultFiles } from './result-files';

/**
 * Records a job's end (timings, status, error also as a log line, result files) and tells the UI. When even the end
 * cannot be stored (a full disk past the reserve, a damaged store), the job is still returned as it ended, in words.
 */
export function endJob(run: JobRun, status: FinalJobStatus, error: JobError | null = null): JobResult {
  const { store, id } = run;
  if (error)
    run.log(
      status === 'failed' || status === 'rejected' ? 'error' : 'warning',
      `${error.message}${error.hint ? ` (${error.hint})` : ''}`,
    );
  let unstored: JobError | null = null;
  try {
    store.finishJob(id, status, error, run.timings());
  } catch (e) {
    const fault = describeFault(e, { store: store.path, what: 'the end of the job' });
    if (!fault) throw e;
    if (!error) status = 'failed';
    error ??= fault.toJSON();
    unstored = fault.toJSON();
  }
  const job: JobResult = unstored
    ? { ...store.getJob(id)!, status, error, finishedAt: new Date().toISOString() }
    : store.getJob(id)!;
  try {
    writeResultFiles(job, store.ownLog(id));
  } catch (e) {
    const why = describeFault(e, { what: 'the result files' })?.message ?? errorMessage(e);
    run.log('warning', `Could not write the result files in ${job.outDir}: ${why}`);
  }
  run.emit({ type: 'status', jobId: id, status });
  run.emit({ type: 'job', job });
  return job;
}

export interface Kept {
  winner: AttemptOutcome;
  /** The executor that ran it (collects its mesh; for Modal also the worker's Gmsh build and the cost). */
  executor: AttemptExecutor;
  ctx: JobContext;
  inputPath: string;
  outDir: string;
  settings: MeshSettings;
  /** The Gmsh that meshed when the executor does not say (local runs). */
  gmsh: { version: string; build: string } | null;
  /** Modal calls billed before this process (a resumed job's calls that finished while it was away). */
  earlierCalls?: BilledCall[];
  /** Scratch folder whose losing meshes go once the winner is kept. */
  workDir: string;
  /** The part's model read, when this process has it: a kept mesh below its targets is explained from it. */
  model?: CadModel | null;
}

/** The winner's mesh, kept and recorded with its groups and exports; the job then ends `completed`. */
export async function finishWithWinner(run: JobRun, k: Kept): Promise<JobResult> {
  const { store, id } = run;
  const { winner, executor } = k;
  const dest = meshFileFor(k.outDir, k.inputPath);
  const collected = await run.timed('collect', () => executor.collect(winner, k.ctx, dest));
  // The job's per-attempt phases are its winner's (the critical path), not sums over parallel attempts.
  for (const [name, ms] of Object.entries(winner.timings.phases)) run.phases[name] = ms;
  const gmsh = executor.gmsh?.() ?? k.gmsh;
  const met = !!winner.quality && meetsTargets(winner.quality, k.settings.targets);
  store.updateJob(id, {
    strategy: winner.strategy,
    winnerIndex: winner.index,
    score: winner.score,
    quality: winner.quality ?? null,
    targetsMet: met,
    mesh: {
      path: dest,
      sha256: collected.sha256,
      bytes: collected.bytes,
      nodes: winner.nodes ?? 0,
      elements: winner.elements!,
      ...(gmsh ? { gmsh } : {}),
    },
  });
  if (executor.backend === 'modal')
    store.updateJob(id, {
      cost: executor.cost?.(id, k.earlierCalls) ?? null,
      modalStatus: 'completed',
      modalCompletedAt: new Date().toISOString(),
    });
  if (!met && k.model) await explainKeptMesh(run, dest, k.model, k.settings);
  // Groups and solver files from the mesh as written (a Modal worker's mesh too: same .msh, same groups). The mesh
  // is kept whatever happens here: a file that cannot be written carries its own error and the job completes.
  const labels = new Map((store.groupSpecs(id) ?? []).map((g) => [g.name, g.label]));
  const ex = await run.timed('export', () =>
    exportMesh(dest, k.settings.exports ?? [], k.outDir, outputName(k.inputPath), labels),
  );
  store.updateJob(id, { groups: ex.groups, exports: ex.exports });
  for (const f of ex.exports)
    if (f.error === undefined) run.log('info', `Exported ${f.format}: ${f.path} (${f.bytes} bytes)`);
    else run.log('warning', `Export ${f.format} not written: ${f.error}`);
  run.log('info', winnerLine(winner, dest));
  cleanScratch(k.workDir);
  return endJob(run, 'completed');
}

/**
 * A kept mesh below its targets: the small CAD features next to its bad elements, stored with the job and said in
 * its log. Only words: a failure here leaves the mesh kept and says so.
 */
async function explainKeptMesh(run: JobRun, meshPath: string, model: CadModel, settings: MeshSettings) {
  try {
    const h = requestedSize(model.diagonal, settings);
    const geometry = await run.timed('geometry', async () =>
      explainMisses(readMshFile(meshPath), model, h, settings.targets),
    );
    run.store.updateJob(run.id, { geometry });
    for (const line of geometryLines(geometry)) run.log('warning', `Geometry: ${line}`);
  } catch (e) {
    run.log('warning', `Could not compare the kept mesh with the part's small features: ${errorMessage(e)}`);
  }
}

/** Attempt meshes that lost are deleted; the .geo scripts stay so every argv can be replayed. */
function cleanScratch(workDir: string) {
  try {
    for (const f of readdirSync(workDir)) if (f.endsWith('.msh')) rmSync(join(workDir, f), { force: true });
  } catch {
    /* nothing to clean */
  }
}

/** On a full disk: the attempt meshes and staged inputs go too (the .geo scripts stay), so the job's end fits. */
export function freeScratch(workDir: string) {
  cleanScratch(workDir);
  try {
    for (const f of readdirSync(workDir)) if (f.startsWith('input.')) rmSync(join(workDir, f), { force: true });
  } catch {
    /* nothing to free */
  }
}
