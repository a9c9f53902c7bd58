// Stage 1 of a job: what it meshes and how. The input is inspected (refused before Gmsh runs when it is not a model)
// and hashed, the attempts planned (in the learned order when asked for), the part's model read (cached
// by sha256) for its groups, and the job's folders made.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GmshInfo } from '../../contract/api';
import type { JobContext } from '../../compute/executor';
import { DEFAULT_SETTINGS, type GroupSpec, type JobSpec, type MeshSettings } from '../../contract/job';
import { impliedTets, requestedSize, sizeForCount } from '../../sizing/requested-size';
import { inspectInput, type InspectedInput } from '../../input/inspect';
import { privateDir } from '../../input/stage';
import { resolveLayers } from '../../layers/resolve';
import { jobGroups } from '../../model/job-groups';
import { UnreadableModelError, type CadModel } from '../../model/read-model';
import { findNetgenPython } from '../../netgen/locate';
import { planAttempts, planFromModel, type PlannedAttempt } from '../../strategy/plan';
import { stlDiagonal } from '../../attempt/stl-diagonal';
import { checkSizesAgainstPart, hasSizes } from '../../sizing/resolve';
import { ConfigError, errorMessage } from '../../util/errors';
import { sha256File } from '../../util/hash';
import { learnedOrder } from '../policy/learned-order';
import { partModel } from '../store/part-model';
import { executorContext, type JobRun } from './context';

export interface PreparedJob {
  input: InspectedInput;
  sha256: string;
  gmsh: GmshInfo;
  /** Every attempt of the job, in order; repairs and second chances are appended while it runs. */
  planned: PlannedAttempt[];
  /** The physical groups every attempt writes (CAD parts); undefined: each attempt names its bodies and faces. */
  groups: GroupSpec[] | undefined;
  /** Budgets, bounded waits, learned order, repair and second chance. */
  adaptive: boolean;
  outDir: string;
  /** Private scratch folder: staged inputs, generated scripts, attempt meshes. */
  workDir: string;
  /** What executors are told of the job; they write its log, phases and transfers through it. */
  ctx: JobContext;
  /** The part's model read (CAD parts; null for an STL): a kept mesh below its targets is explained from it. */
  model: CadModel | null;
}

/** The size asked for and the tetrahedra it implies for the part's volume (with --target-elements: that count). */
function requestedCount(model: CadModel, settings: MeshSettings): { size: number; tets: number } | null {
  const volume = model.bodies.reduce((s, b) => s + b.volume, 0);
  if (!(volume > 0) || !(model.diagonal > 0)) return null;
  const target = settings.sizing?.targetElements;
  if (target) return { size: sizeForCount(volume, target), tets: target };
  const size = requestedSize(model.diagonal, settings);
  return { size, tets: Math.round(impliedTets(volume, size)) };
}

export async function prepareJob(
  run: JobRun,
  spec: JobSpec,
  env: { home: string; gmsh(): Promise<GmshInfo> },
): Promise<PreparedJob> {
  const { store, id } = run;
  const input = await run.timed('inspect', () => inspectInput(spec.inputPath));
  const sha256 = await run.timed('hash', () => sha256File(input.path));
  store.updateJob(id, {
    inputPath: input.path,
    inputSha256: sha256,
    inputBytes: input.bytes,
    inputFormat: input.format,
  });
  run.log(
    'info',
    `Input ${input.path}: ${input.format.toUpperCase()}, ${input.bytes} bytes, sha256 ${sha256.slice(0, 16)}…`,
  );

  const gmsh = await env.gmsh();
  const adaptive = (spec.settings.cascade ?? DEFAULT_SETTINGS.cascade) === 'adaptive';
  let planned = await run.timed('plan', () => planAttempts(id, input.format, spec.settings, gmsh.capabilities));
  // Opt-in: the adaptive cascade walks the catalogue in the learned order (this part's last winner with the same sizes
  // and targets first, then win rates). Off, the catalogue order holds and the kept mesh does not depend on history.
  if (
    adaptive &&
    spec.settings.learnedOrder === true &&
    spec.settings.strategy === null &&
    spec.settings.policy === 'first-acceptable'
  ) {
    const learned = learnedOrder(planned, store, sha256, spec.settings);
    planned = learned.planned;
    if (learned.note) run.log('info', learned.note);
  }
  // (looked for while the model is read: a second or two)
  const netgen = planned.some((p) => p.entry.engine === 'netgen') ? findNetgenPython() : null;
  const { groups, model } = await groupsOf(run, spec, input, sha256, gmsh);
  const diagonal = model?.diagonal;
  planFromModel(planned, model ?? null, (await netgen) ?? { reason: 'not planned' });
  if (model) store.updateJob(id, { requested: requestedCount(model, spec.settings) });
  // Sizes against the part's size, now that it is known: refused here, before any attempt runs Gmsh.
  if (hasSizes(spec.settings.sizing)) {
    const size =
      diagonal ?? (input.format.startsWith('stl') ? stlDiagonal(input.path, input.format === 'stl-binary') : 0);
    checkSizesAgainstPart(spec.settings.sizing, size);
  }
  if (groups) {
    for (const p of planned) p.spec.groups = groups;
    store.updateJob(id, { groupSpecs: groups });
  }
  // Boundary layers grow inside each attempt (src/layers/), so a Modal worker grows them too.
  const layers = resolveLayers(spec.settings, input.format, groups);
  if (layers) for (const p of planned) p.spec.layers = layers;
  const outDir = spec.outDir ?? join(env.home, 'jobs', id);
  const workDir = join(env.home, 'work', id);
  mkdirSync(outDir, { recursive: true });
  privateDir(workDir); // staged inputs and generated scripts: nobody else may swap them
  store.updateJob(id, { outDir });
  run.log(
    'info',
    `Gmsh ${gmsh.version} (${gmsh.path}); plan: ${planned.map((p) => p.spec.strategy + (p.skip ? ' [skipped]' : '')).join(', ')}; policy ${spec.settings.policy}`,
  );
  const ctx = executorContext(run, {
    inputPath: input.path,
    inputName: input.name,
    inputSha256: sha256,
    inputBytes: input.bytes,
    inputFormat: input.format,
    settings: spec.settings,
    workDir,
  });
  return { input, sha256, gmsh, planned, groups, adaptive, outDir, workDir, ctx, model: model ?? null };
}

/**
 * CAD parts get their groups from the model (named bodies, every face, the user's, checked); an STL's faces exist
 * only once an attempt classifies it, so its script adds one group per body and per face itself.
 */
async function groupsOf(
  run: JobRun,
  spec: JobSpec,
  input: InspectedInput,
  sha256: string,
  gmsh: GmshInfo,
): Promise<{ groups?: GroupSpec[]; model?: CadModel }> {
  const userGroups = spec.settings.groups ?? [];
  if (input.format.startsWith('stl')) {
    if (userGroups.length)
      throw new ConfigError(
        'invalid-group',
        `${input.path}: an STL file has no CAD faces or bodies to group (its faces exist only after classification).`,
        'Group faces of a STEP, IGES or BREP part.',
      );
    return {};
  }
  try {
    const fragment = spec.settings.sizing?.fragment !== false;
    const model = await run.timed('model', () => partModel(run.store, gmsh, input, sha256, fragment, run.signal));
    // interfaces only between fragmented bodies: the model was read with the attempts' geometry
    const groups = jobGroups(model, userGroups, { interfaces: fragment });
    run.log(
      'info',
      `Groups: ${model.bodies.length} bodies, ${model.faces.length} faces${userGroups.length ? `, yours: ${userGroups.map((g) => g.name).join(', ')}` : ''}`,
    );
    return { groups, model };
  } catch (e) {
    if (e instanceof UnreadableModelError) {
      // Refused before any attempt: every attempt would read the same nothing. Gmsh's own lines go to the log.
      for (const l of e.gmshLines) run.log('debug', `Model read: ${l}`);
      throw e;
    }
    if (e instanceof ConfigError || userGroups.length) throw e;
    run.log(
      'warning',
      `The part's bodies and faces could not be listed (${errorMessage(e)}); each attempt names them itself (no Interface_ groups).`,
    );
    return {};
  }
}
