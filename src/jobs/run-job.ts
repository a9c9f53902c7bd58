// A job, end to end (docs/architecture.md): inspect -> hash -> plan -> choose backend -> run the policy over the executor ->
// collect the winner -> write result files -> finish. Every path ends in a final status; nothing is invented.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { GmshInfo, WorkbenchEvent } from '../contract/api';
import type { AttemptOutcome } from '../contract/attempt';
import {
  DEFAULT_SETTINGS,
  type GroupSpec,
  type JobCostSummary,
  type JobError,
  type JobResult,
  type JobSpec,
  type ResolvedBackend,
} from '../contract/job';
import { BackendUnavailableError, type AttemptExecutor } from '../compute/executor';
import { createLocalExecutor } from '../compute/local-executor';
import type { RemoteBackend } from '../compute/remote';
import { inspectInput } from '../input/inspect';
import { privateDir, stagedName } from '../input/stage';
import { attemptCommand, planAttempts, type PlannedAttempt } from '../strategy/plan';
import { findEntry } from '../strategy/catalogue';
import { REPAIR_RULES, planRepair } from '../repair/plan-repair';
import type { RepairSpec } from '../contract/attempt';
import { ConfigError, InputRejectedError, UserError, errorMessage } from '../util/errors';
import { sha256File } from '../util/hash';
import { AttemptBudgets } from './budget';
import { learnedOrder } from './learned-order';
import { runPolicy, acceptable, stopReason } from './policy';
import { jobContext, roundMs as round } from './job-context';
import { allAttemptsFailed, attemptLine, recordWinner, winnerLine } from './job-end';
import { closeJob, meshFileFor, outputName } from './result-files';
import { partModel } from './part-model';
import { jobGroups } from '../model/job-groups';
import { exportMesh } from '../export/export-mesh';
import type { JobStore } from './store';

export interface RunJobDeps {
  store: JobStore;
  home: string;
  gmsh(): Promise<GmshInfo>;
  remote: RemoteBackend | null;
  emit(e: WorkbenchEvent): void;
  /** $/s of a Modal T4 and $/h of the always-on EC2 box it replaces. */
  rates?: { t4UsdPerSecond: number; ec2UsdPerHour: number };
  /** Stop and keep the best valid mesh so far (the first Ctrl+C, the desktop's "Stop & keep best"). */
  stop?: AbortSignal;
}

const DEFAULT_RATES = { t4UsdPerSecond: 0.000164, ec2UsdPerHour: 0.526 };

export async function runJob(id: string, spec: JobSpec, deps: RunJobDeps, signal: AbortSignal): Promise<JobResult> {
  const { store } = deps;
  const t0 = performance.now();
  const phases: Record<string, number> = {};
  const transfer = { uploadedBytes: 0, downloadedBytes: 0 };
  const timed = async <T>(name: string, f: () => T | Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await f();
    } finally {
      phases[name] = round((phases[name] ?? 0) + performance.now() - t);
    }
  };
  const log = (level: 'info' | 'warning' | 'error' | 'debug', text: string, attempt: number | null = null) => {
    const line = store.appendLog(id, level, text, attempt);
    deps.emit({ type: 'log', jobId: id, lines: [line] });
  };
  const saveTimings = () =>
    store.updateJob(id, { timings: { totalMs: round(performance.now() - t0), phases }, transfer });
  const finish = (
    status: 'completed' | 'failed' | 'cancelled' | 'rejected',
    error: JobError | null = null,
  ): JobResult => {
    saveTimings();
    const job = closeJob(store, id, status, error, log);
    deps.emit({ type: 'status', jobId: id, status });
    deps.emit({ type: 'job', job });
    return job;
  };

  store.markRunning(id);
  deps.emit({ type: 'status', jobId: id, status: 'running' });
  let executor: AttemptExecutor | null = null;
  try {
    const input = await timed('inspect', () => inspectInput(spec.inputPath));
    const sha256 = await timed('hash', () => sha256File(input.path));
    store.updateJob(id, {
      inputPath: input.path,
      inputSha256: sha256,
      inputBytes: input.bytes,
      inputFormat: input.format,
    });
    log(
      'info',
      `Input ${input.path}: ${input.format.toUpperCase()}, ${input.bytes} bytes, sha256 ${sha256.slice(0, 16)}…`,
    );

    const gmsh = await deps.gmsh();
    const adaptive = (spec.settings.cascade ?? DEFAULT_SETTINGS.cascade) === 'adaptive';
    let planned = await timed('plan', () => planAttempts(id, input.format, spec.settings, gmsh.capabilities));
    // The adaptive cascade walks the catalogue in the learned order (this part's last winner first, then win rates).
    if (adaptive && spec.settings.strategy === null && spec.settings.policy === 'first-acceptable') {
      const learned = learnedOrder(planned, store, sha256);
      planned = learned.planned;
      if (learned.note) log('info', learned.note);
    }
    // Groups: CAD parts get theirs from the model (named bodies, every face, the user's, checked); an STL's faces
    // exist only once an attempt classifies it, so its script adds one group per body and per face itself.
    const userGroups = spec.settings.groups ?? [];
    let groups: GroupSpec[] | undefined;
    if (input.format.startsWith('stl')) {
      if (userGroups.length)
        throw new ConfigError(
          'invalid-group',
          `${input.path}: an STL file has no CAD faces or bodies to group (its faces exist only after classification).`,
          'Group faces of a STEP, IGES or BREP part.',
        );
    } else {
      try {
        const model = await timed('model', () =>
          partModel(store, gmsh, input, sha256, spec.settings.sizing?.fragment !== false, signal),
        );
        groups = jobGroups(model, userGroups);
        log(
          'info',
          `Groups: ${model.bodies.length} bodies, ${model.faces.length} faces${userGroups.length ? `, yours: ${userGroups.map((g) => g.name).join(', ')}` : ''}`,
        );
      } catch (e) {
        if (e instanceof ConfigError || userGroups.length) throw e;
        log(
          'warning',
          `The part's bodies and faces could not be listed (${errorMessage(e)}); each attempt names them itself.`,
        );
      }
    }
    if (groups) for (const p of planned) p.spec.groups = groups;
    const outDir = spec.outDir ?? join(deps.home, 'jobs', id);
    const workDir = join(deps.home, 'work', id);
    mkdirSync(outDir, { recursive: true });
    privateDir(workDir); // staged inputs and generated scripts: nobody else may swap them
    store.updateJob(id, { outDir });
    log(
      'info',
      `Gmsh ${gmsh.version} (${gmsh.path}); plan: ${planned.map((p) => p.spec.strategy + (p.skip ? ' [skipped]' : '')).join(', ')}; policy ${spec.settings.policy}`,
    );

    // Backend: local unless asked otherwise; auto may fall back to local with the reason recorded.
    let backend: ResolvedBackend = 'local';
    let fallback: JobResult['fallback'] = null;
    if (spec.backend !== 'local') {
      if (!deps.remote) {
        const reason = 'Modal offload is not configured in this build.';
        if (spec.backend === 'modal') throw new ConfigError('modal-unavailable', reason, 'Use --backend local.');
        fallback = { from: 'modal', reason };
      } else {
        const r = await deps.remote.resolve(spec.backend);
        backend = r.backend;
        if (r.forcedLocalReason) {
          if (spec.backend === 'modal')
            throw new ConfigError(
              'modal-unavailable',
              r.forcedLocalReason,
              'Fix the Modal/S3 settings (meshbench doctor) or use --backend local.',
            );
          fallback = { from: 'modal', reason: r.forcedLocalReason };
        }
      }
    }

    const ctx = jobContext(
      {
        jobId: id,
        inputPath: input.path,
        inputName: input.name,
        inputSha256: sha256,
        inputBytes: input.bytes,
        inputFormat: input.format,
        settings: spec.settings,
        workDir,
        signal,
      },
      { phases, transfer },
      log,
    );

    // The exact Gmsh command of a local attempt, recorded while it is queued; a spec Gmsh cannot take shows once it runs.
    const localArgv = (p: PlannedAttempt): string[] => {
      try {
        return attemptCommand(gmsh.path, p.spec, join(workDir, stagedName(input.format)), workDir).argv;
      } catch {
        return [];
      }
    };

    const recordPlan = () => {
      for (const p of planned) {
        const argv = backend === 'local' ? localArgv(p) : [];
        store.upsertAttempt(id, {
          index: p.spec.index,
          strategy: p.spec.strategy,
          status: p.skip ? 'skipped' : 'queued',
          score: null,
          error: p.skip,
          seconds: null,
          argv,
        });
        if (p.skip) log('info', `Attempt ${p.spec.strategy}: skipped (${p.skip})`, p.spec.index);
      }
    };

    // An attempt planned during the run (a repair, a second chance) is queued in the store with its exact argv at once.
    const queueExtraAttempt = (p: PlannedAttempt, extra: Pick<AttemptOutcome, 'repair' | 'secondChance'>) => {
      const argv = localArgv(p);
      store.upsertAttempt(id, {
        index: p.spec.index,
        strategy: p.spec.strategy,
        status: 'queued',
        score: null,
        error: null,
        seconds: null,
        argv,
        ...extra,
      });
    };

    // Targeted repair (adaptive cascade, linear meshes of CAD parts, on either backend): a few bad elements -> refine
    // the faces they touch. A remote attempt's mesh is downloaded to plan from; the repair then runs where it did.
    let repairRound = 0;
    let repaired: number[] = [];
    const repairAfter = async (o: AttemptOutcome): Promise<PlannedAttempt | null> => {
      if (!o.mesh?.path || repairRound >= REPAIR_RULES.sizeRatio.length) return null;
      if (repairRound > 0 && o.strategy !== 'targeted-repair') return null; // later rounds build on the repair
      const ex = executor!;
      let meshPath = o.mesh.path;
      if (ex.fetchMesh) {
        meshPath = join(workDir, `attempt-${o.index}-to-repair.msh`);
        try {
          await ex.fetchMesh(o, ctx, meshPath);
        } catch (e) {
          if (!signal.aborted)
            log(
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
          minSicn: spec.settings.targets.minSicn,
          sizeFactor: spec.settings.sizeFactor,
          units: spec.settings.units,
          // Netgen's optimiser only where Gmsh has it: the worker's Debian build does not.
          netgen: ex.backend === 'local' && gmsh.capabilities.netgen,
          round: repairRound,
          previous: repaired,
        });
      } catch (e) {
        log(
          'warning',
          `No targeted repair of ${o.strategy}: its mesh could not be read again (${errorMessage(e)})`,
          o.index,
        );
        return null;
      }
      if ('skip' in plan) {
        log('info', `No targeted repair of ${o.strategy}: ${plan.skip}`, o.index);
        return null;
      }
      repairRound++;
      repaired = plan.spec.surfaces;
      const base = planned.find((p) => p.spec.index === o.index)!.spec;
      const p: PlannedAttempt = {
        entry: findEntry('targeted-repair')!,
        skip: null,
        spec: {
          ...base,
          index: planned.length,
          strategy: 'targeted-repair',
          sizeFactor: spec.settings.sizeFactor,
          repair: plan.spec,
        },
      };
      planned.push(p);
      queueExtraAttempt(p, { repair: repairSummary(plan.spec) });
      log(
        'info',
        `Targeted repair ${repairRound} of ${o.strategy}: ${plan.spec.badTets} tetrahedra below SICN ${spec.settings.targets.minSicn} (worst ${plan.spec.worstSicn.toFixed(3)}) touch faces ${plan.spec.surfaces.join(', ')}; local size ${(plan.spec.sizeMin * spec.settings.sizeFactor).toPrecision(3)} there, then the 3D optimisers`,
        p.spec.index,
      );
      return p;
    };

    // Second chance: nothing met the targets, so the element budget may have stopped the one attempt that would have;
    // the cheapest of those it stopped re-runs once without it (a new attempt index, like a repair).
    const secondChances = new Map<number, { from: number; reason: string }>();
    const secondChanceOf = (stopped: { index: number; tets: number }): PlannedAttempt | null => {
      const from = planned.find((p) => p.spec.index === stopped.index);
      if (!from) return null;
      const reason = `re-run without the element budget: nothing met the targets and it was heading for the fewest tetrahedra of the stopped attempts (~${Math.round(stopped.tets).toLocaleString('en-US')})`;
      const p: PlannedAttempt = { entry: from.entry, skip: null, spec: { ...from.spec, index: planned.length } };
      planned.push(p);
      secondChances.set(p.spec.index, { from: stopped.index, reason });
      queueExtraAttempt(p, { secondChance: secondChances.get(p.spec.index) });
      log(
        'info',
        `Second chance for ${p.spec.strategy} (attempt ${stopped.index}): ${reason}; the time budgets still apply`,
        p.spec.index,
      );
      return p;
    };

    const runOn = async (ex: AttemptExecutor) => {
      executor = ex;
      store.updateJob(id, { backend: ex.backend, fallback });
      recordPlan();
      await timed('prepare', () => ex.prepare(ctx)); // remote executors time health/upload inside
      const parallel = ex.maxParallel(spec.settings.jobs, planned.filter((p) => !p.skip).length);
      return timed('attempts', () =>
        runPolicy({
          planned,
          policy: spec.settings.policy,
          targets: spec.settings.targets,
          parallel,
          signal,
          stop: deps.stop,
          timeBudgetSec: spec.settings.timeBudgetSec ?? null,
          budgets: adaptive ? new AttemptBudgets() : null,
          repair:
            adaptive &&
            (ex.backend === 'local' || ex.fetchMesh) &&
            !input.format.startsWith('stl') &&
            spec.settings.elementOrder === 1
              ? repairAfter
              : undefined,
          secondChance: adaptive ? secondChanceOf : undefined,
          onSuperseded: (p: PlannedAttempt, by: PlannedAttempt) =>
            log('info', `Attempt ${p.spec.strategy}: stopped, ${by.spec.strategy} met the targets first`, p.spec.index),
          run: async (p, sig, observe) => {
            store.upsertAttempt(id, {
              index: p.spec.index,
              strategy: p.spec.strategy,
              status: 'running',
              score: null,
              error: null,
              seconds: null,
              argv: [],
              ...(p.spec.repair ? { repair: repairSummary(p.spec.repair) } : {}),
              ...(secondChances.has(p.spec.index) ? { secondChance: secondChances.get(p.spec.index) } : {}),
            });
            deps.emit({ type: 'progress', jobId: id, attempt: p.spec.index, percent: 0, phase: p.spec.strategy });
            const o = await ex.run(p.spec, ctx, {
              signal: sig,
              log: (level, text) => {
                observe(text);
                log(level, text, p.spec.index);
              },
              progress: (percent) =>
                deps.emit({ type: 'progress', jobId: id, attempt: p.spec.index, percent, phase: p.spec.strategy }),
              remote: ({ callId, status }) => {
                store.setAttemptRemote(id, p.spec.index, callId, status);
                store.updateJob(id, {
                  modalCallId: callId,
                  modalStatus: status,
                  modalStartedAt: new Date().toISOString(),
                });
              },
            });
            if (p.spec.repair) o.repair = repairSummary(p.spec.repair);
            if (secondChances.has(p.spec.index)) o.secondChance = secondChances.get(p.spec.index);
            const why = stopReason(sig);
            if (o.status === 'cancelled' && why) o.error = why;
            store.upsertAttempt(id, o);
            if (o.status === 'cancelled' && !signal.aborted && !why)
              store.setAttemptStatus(id, o.index, 'cancelled', 'stopped: an earlier attempt met the targets');
            const line = attemptLine(o);
            log(line.level, line.text, o.index);
            return o;
          },
        }),
      );
    };

    let result;
    const local = () => createLocalExecutor(gmsh.path, store);
    try {
      result = await runOn(backend === 'local' ? local() : deps.remote!.create());
    } catch (e) {
      // A transfer stopped by the cancel is the cancel, not a backend failure to fall back from.
      if (signal.aborted) throw e;
      if (!(e instanceof BackendUnavailableError)) throw e;
      deps.remote?.onJobDone?.(false);
      if (spec.backend !== 'auto') throw new ConfigError('modal-unavailable', e.message, e.hint);
      fallback = { from: 'modal', reason: e.message };
      log('warning', `Modal unavailable, running locally: ${e.message}`);
      await (executor as AttemptExecutor | null)?.dispose();
      backend = 'local';
      result = await runOn(local());
    }

    const { winner, stopped } = result;
    // Attempts the policy never had to start say so, instead of staying queued forever.
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
    if (signal.aborted) return finish('cancelled', { code: 'cancelled', message: 'The job was cancelled.' });
    if (stopped) {
      log(
        'warning',
        `Job ${stopped}; ${winner ? `keeping the best valid mesh so far: ${winner.strategy}` : 'no attempt had produced a valid mesh yet'}.`,
      );
      store.updateJob(id, { stopped: { reason: stopped } });
      if (!winner)
        return finish('cancelled', {
          code: 'cancelled',
          message: `No attempt had produced a valid mesh yet (${stopped}).`,
        });
    }
    if (!winner) {
      if (backend === 'modal') deps.remote?.onJobDone?.(false);
      return finish('failed', allAttemptsFailed(input.path, result.outcomes.values()));
    }
    if (!acceptable(winner, spec.settings.targets))
      log(
        'warning',
        `No attempt met the targets (no inverted element, SICN min >= ${spec.settings.targets.minSicn}); keeping the best valid mesh: ${winner.strategy}.`,
      );

    const dest = meshFileFor(outDir, input.path);
    const collected = await timed('collect', () => executor!.collect(winner, ctx, dest));
    // The job's per-attempt phases are its winner's (the critical path), not sums over parallel attempts.
    for (const [k, v] of Object.entries(winner.timings.phases)) phases[k] = v;
    const builtBy = (backend === 'modal' ? executor!.gmsh?.() : null) ?? {
      version: gmsh.version,
      build: gmsh.build ?? 'unknown',
    };
    let modal: { cost: JobCostSummary | null } | null = null;
    if (backend === 'modal') {
      const rates = deps.rates ?? DEFAULT_RATES;
      const workerSeconds = [...result.outcomes.values()].reduce((s, o) => s + o.timings.totalMs / 1000, 0);
      modal = {
        cost: executor!.cost?.(id) ?? {
          workerSeconds,
          usd: workerSeconds * rates.t4UsdPerSecond,
          ec2BaselineUsd: (workerSeconds / 3600) * rates.ec2UsdPerHour,
        },
      };
    }
    const mesh = recordWinner(
      store,
      id,
      winner,
      { path: dest, sha256: collected.sha256, bytes: collected.bytes, gmsh: builtBy },
      modal,
    );
    // Groups and solver files from the mesh as written (a Modal worker's mesh too: same .msh, same groups).
    try {
      const labels = new Map((groups ?? []).map((g) => [g.name, g.label]));
      const ex = await timed('export', () =>
        exportMesh(dest, spec.settings.exports ?? [], outDir, outputName(input.path), labels),
      );
      store.updateJob(id, { groups: ex.groups, exports: ex.exports });
      for (const f of ex.exports) log('info', `Exported ${f.format}: ${f.path} (${f.bytes} bytes)`);
    } catch (e) {
      return finish('failed', {
        code: 'export-failed',
        message: `The mesh ${dest} could not be exported: ${errorMessage(e)}`,
      });
    }
    if (backend === 'modal') deps.remote?.onJobDone?.(true);
    log('info', winnerLine(winner, mesh.path));
    cleanScratch(workDir);
    return finish('completed');
  } catch (e) {
    if (signal.aborted) return finish('cancelled', { code: 'cancelled', message: 'The job was cancelled.' });
    if (e instanceof InputRejectedError) return finish('rejected', e.toJSON()); // refused before Gmsh ran
    if (e instanceof UserError) return finish('failed', e.toJSON());
    return finish('failed', { code: 'internal', message: `Internal error: ${errorMessage(e)}` });
  } finally {
    await (executor as AttemptExecutor | null)?.dispose().catch(() => undefined);
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

const repairSummary = (r: RepairSpec) => ({
  from: r.from,
  surfaces: r.surfaces,
  badTets: r.badTets,
  worstSicn: r.worstSicn,
});

export function exitCodeOf(job: JobResult): number {
  switch (job.status) {
    case 'completed':
      return 0;
    case 'cancelled':
      return 130;
    case 'rejected':
      return 2;
    default: {
      const code = job.error?.code ?? '';
      if (code.startsWith('input-')) return 2;
      if (code === 'all-attempts-failed') return 3;
      if (code === 'internal') return 1;
      return 4;
    }
  }
}
