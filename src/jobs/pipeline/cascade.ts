// Stage 3 of a job: its attempts, run on one executor under the policy (src/jobs/policy/). Every attempt is in the
// store from the moment it is planned (queued, with its exact Gmsh command), then running, then its outcome; a
// targeted repair or a second chance planned mid-run is queued the same way. Attempts the policy never started say
// why. The policy decides what runs and wins; this module only plans the extra attempts it asks for and records.
import { join } from 'node:path';
import type { AttemptOutcome, RepairBall, RepairSpec } from '../../contract/attempt';
import type { JobSpec, MeshSettings } from '../../contract/job';
import { worseThanParent } from '../../contract/targets';
import type { AttemptExecutor } from '../../compute/executor';
import { stagedName } from '../../input/stage';
import { REPAIR_RULES, planRepair } from '../../repair/plan-repair';
import { findEntry } from '../../strategy/catalogue';
import { attemptCommand } from '../../geo/attempt-script';
import type { PlannedAttempt } from '../../strategy/plan';
import { errorMessage } from '../../util/errors';
import { AttemptBudgets } from '../policy/budget';
import { runPolicy, stopReason, type PolicyResult } from '../policy/policy';
import type { JobRun } from './context';
import type { PreparedJob } from './prepare';
import { attemptLine } from './record';

const repairSummary = (r: RepairSpec) => ({
  from: r.from,
  places: r.balls.length,
  surfaces: r.surfaces,
  badTets: r.badTets,
  worstSicn: r.worstSicn,
});

const p3 = (v: number) => v.toPrecision(3);

/** A repair round's plan in words: what breaks the targets, where, and the sizes there (final, model units). */
function repairWhat(r: RepairSpec, places: number, left: number): string {
  const added = r.balls.slice(r.balls.length - places);
  const sizes = added.map((b) => b.size);
  const faces = r.surfaces.length ? ` on face${r.surfaces.length > 1 ? 's' : ''} ${r.surfaces.join(', ')}` : '';
  const kept = r.balls.length > places ? ` (plus the ${r.balls.length - places} of earlier rounds)` : '';
  const rest = left ? ` (the worst ${places}; ${left} more left as they are)` : '';
  return (
    `${r.badTets} tetrahedra break a target (worst SICN ${r.worstSicn.toFixed(3)}) in ${places} place${places > 1 ? 's' : ''}${rest}${faces}; ` +
    `local size ${p3(Math.min(...sizes))}${sizes.length > 1 ? `–${p3(Math.max(...sizes))}` : ''} within ${p3(Math.max(...added.map((b) => b.radius)))} of them${kept}, ` +
    `growing back to ${p3(r.farSize)}`
  );
}

/**
 * Whether a mesh below the targets gets a targeted repair: asked for (`--repair`), or by default when the catalogue is
 * walked; a strategy named on its own runs alone, so one command line is one known amount of work.
 */
export const repairWanted = (s: MeshSettings): boolean => s.repair ?? !(s.strategy && s.strategy !== 'exhaustive');

/** Runs the job's attempts on `ex`; the job's backend and fallback are recorded as it starts. */
export async function runCascade(
  run: JobRun,
  spec: JobSpec,
  job: PreparedJob,
  ex: AttemptExecutor,
  stop: AbortSignal | undefined,
): Promise<PolicyResult> {
  const { store, id, signal } = run;
  const { planned, input, gmsh, workDir, adaptive, ctx } = job;
  const { settings } = spec;

  // The exact Gmsh command of a local attempt, recorded while it is queued; a spec Gmsh cannot take shows once it runs.
  const localArgv = (p: PlannedAttempt): string[] => {
    if (ex.backend !== 'local') return [];
    try {
      return attemptCommand(gmsh.path, p.spec, join(workDir, stagedName(input.format)), workDir).argv;
    } catch {
      return [];
    }
  };
  const secondChances = new Map<number, { from: number; reason: string }>();
  // An attempt made from another's mesh (a repair round) -> that attempt: judged against it when it ends.
  const parents = new Map<number, number>();
  const finished = new Map<number, AttemptOutcome>();
  const extrasOf = (p: PlannedAttempt) => ({
    ...(p.spec.repair ? { repair: repairSummary(p.spec.repair) } : {}),
    ...(secondChances.has(p.spec.index) ? { secondChance: secondChances.get(p.spec.index) } : {}),
    ...(parents.has(p.spec.index) ? { parent: parents.get(p.spec.index) } : {}),
  });
  const queue = (p: PlannedAttempt) =>
    store.upsertAttempt(id, {
      index: p.spec.index,
      strategy: p.spec.strategy,
      status: p.skip ? 'skipped' : 'queued',
      score: null,
      error: p.skip,
      seconds: null,
      argv: localArgv(p),
      ...extrasOf(p),
    });
  for (const p of planned) {
    queue(p);
    if (p.skip) run.log('info', `Attempt ${p.spec.strategy}: skipped (${p.skip})`, p.spec.index);
  }

  // Targeted repair (adaptive cascade, linear meshes of CAD parts, on either backend): a few bad elements -> refine
  // around them. A remote attempt's mesh is downloaded to plan from; the repair then runs where it did.
  let repairRound = 0;
  let repaired: RepairBall[] = [];
  const repairAfter = async (o: AttemptOutcome): Promise<PlannedAttempt | null> => {
    if (!o.mesh?.path || repairRound >= REPAIR_RULES.rounds) return null;
    if (repairRound > 0 && o.strategy !== 'targeted-repair') return null; // later rounds build on the repair
    let meshPath = o.mesh.path;
    if (ex.fetchMesh) {
      meshPath = join(workDir, `attempt-${o.index}-to-repair.msh`);
      try {
        await ex.fetchMesh(o, ctx, meshPath);
      } catch (e) {
        if (!signal.aborted)
          run.log(
            'warning',
            `No targeted repair of ${o.strategy}: its mesh could not be downloaded (${errorMessage(e)})`,
            o.index,
          );
        return null;
      }
    }
    let plan;
    try {
      plan = planRepair({
        from: o.strategy,
        meshPath,
        targets: settings.targets,
        sizeFactor: settings.sizeFactor,
        units: settings.units,
        // Netgen's optimiser only where Gmsh has it: the worker's Debian build does not.
        netgen: ex.backend === 'local' && gmsh.capabilities.netgen,
        round: repairRound,
        previous: repaired,
      });
    } catch (e) {
      run.log(
        'warning',
        `No targeted repair of ${o.strategy}: its mesh could not be read again (${errorMessage(e)})`,
        o.index,
      );
      return null;
    }
    if ('skip' in plan) {
      run.log('info', `No targeted repair of ${o.strategy}: ${plan.skip}`, o.index);
      return null;
    }
    repairRound++;
    repaired = plan.spec.balls;
    parents.set(planned.length, o.index);
    const base = planned.find((p) => p.spec.index === o.index)!.spec;
    const p: PlannedAttempt = {
      entry: findEntry('targeted-repair')!,
      skip: null,
      spec: {
        ...base,
        index: planned.length,
        strategy: 'targeted-repair',
        sizeFactor: settings.sizeFactor,
        repair: plan.spec,
      },
    };
    planned.push(p);
    queue(p);
    run.log(
      'info',
      `Targeted repair ${repairRound} of ${o.strategy}: ${repairWhat(plan.spec, plan.places, plan.left)}; then the 3D optimisers`,
    );
    return p;
  };

  // Second chance: nothing met the targets, so the element budget may have stopped the one attempt that would have;
  // the cheapest of those it stopped re-runs once without it (a new attempt index, like a repair).
  const secondChanceOf = (stopped: { index: number; tets: number }): PlannedAttempt | null => {
    const from = planned.find((p) => p.spec.index === stopped.index);
    if (!from) return null;
    const reason = `re-run without the element budget: nothing met the targets and it was heading for the fewest tetrahedra of the stopped attempts (~${Math.round(stopped.tets).toLocaleString('en-US')})`;
    const p: PlannedAttempt = { entry: from.entry, skip: null, spec: { ...from.spec, index: planned.length } };
    planned.push(p);
    secondChances.set(p.spec.index, { from: stopped.index, reason });
    queue(p);
    run.log(
      'info',
      `Second chance for ${p.spec.strategy} (attempt ${stopped.index}): ${reason}; the time budgets still apply`,
      p.spec.index,
    );
    return p;
  };

  // A mesh made from another's (a repair round) is kept only if it misses the targets less than its parent and breaks
  // none its parent met; otherwise it is set aside, which also ends the chain (no round is built on it).
  const judgeAgainstParent = (o: AttemptOutcome) => {
    const parent = o.parent === undefined ? undefined : finished.get(o.parent);
    if (o.status !== 'completed' || !o.quality || !parent?.quality) return;
    const why = worseThanParent(o.quality, parent.quality, settings.targets);
    if (!why) return;
    o.discarded = `not kept: ${why}`;
    run.log(
      'warning',
      `Attempt ${o.strategy} (from ${parent.strategy}, attempt ${parent.index}): ${o.discarded}; no further repair round`,
      o.index,
    );
  };

  const runAttempt = async (p: PlannedAttempt, sig: AbortSignal, observe: (line: string) => void) => {
    store.upsertAttempt(id, {
      index: p.spec.index,
      strategy: p.spec.strategy,
      status: 'running',
      score: null,
      error: null,
      seconds: null,
      argv: [],
      ...extrasOf(p),
    });
    run.emit({ type: 'progress', jobId: id, attempt: p.spec.index, percent: 0, phase: p.spec.strategy });
    const o = await ex.run(p.spec, ctx, {
      signal: sig,
      log: (level, text) => {
        observe(text);
        run.log(level, text, p.spec.index);
      },
      progress: (percent) =>
        run.emit({ type: 'progress', jobId: id, attempt: p.spec.index, percent, phase: p.spec.strategy }),
      remote: ({ callId, status }) => {
        store.setAttemptRemote(id, p.spec.index, callId, status);
        store.updateJob(id, { modalCallId: callId, modalStatus: status, modalStartedAt: new Date().toISOString() });
      },
    });
    Object.assign(o, extrasOf(p));
    judgeAgainstParent(o);
    finished.set(o.index, o);
    const why = stopReason(sig);
    if (o.status === 'cancelled' && why) o.error = why;
    store.upsertAttempt(id, o);
    if (o.status === 'cancelled' && !signal.aborted && !why)
      store.setAttemptStatus(id, o.index, 'cancelled', 'stopped: an earlier attempt met the targets');
    const line = attemptLine(o);
    run.log(line.level, line.text, o.index);
    return o;
  };

  await run.timed('prepare', () => ex.prepare(ctx)); // remote executors time health/upload inside
  const parallel = ex.maxParallel(settings.jobs, planned.filter((p) => !p.skip).length);
  const result = await run.timed('attempts', () =>
    runPolicy({
      planned,
      policy: settings.policy,
      targets: settings.targets,
      parallel,
      signal,
      stop,
      timeBudgetSec: settings.timeBudgetSec ?? null,
      budgets: adaptive ? new AttemptBudgets() : null,
      repair:
        adaptive &&
        repairWanted(settings) &&
        (ex.backend === 'local' || ex.fetchMesh) &&
        !input.format.startsWith('stl') &&
        settings.elementOrder === 1
          ? repairAfter
          : undefined,
      secondChance: adaptive ? secondChanceOf : undefined,
      onSuperseded: (p: PlannedAttempt, by: PlannedAttempt) =>
        run.log('info', `Attempt ${p.spec.strategy}: stopped, ${by.spec.strategy} met the targets first`, p.spec.index),
      run: runAttempt,
    }),
  );

  // Attempts the policy never had to start say so, instead of staying queued forever.
  const { winner, stopped } = result;
  for (const p of planned)
    if (!p.skip && !result.outcomes.has(p.spec.index))
      store.setAttemptStatus(
        id,
        p.spec.index,
        signal.aborted ? 'cancelled' : 'skipped',
        signal.aborted
          ? 'the job was cancelled'
          : stopped
            ? `not started: ${stopped}`
            : `not needed: ${winner?.strategy ?? 'an earlier attempt'} met the targets first`,
      );
  return result;
}
