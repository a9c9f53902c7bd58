import { Command, InvalidArgumentError, Option } from 'commander';
import {
  DEFAULT_SETTINGS as D,
  EXPORT_FORMATS,
  LENGTH_UNITS,
  MAX_WAIT_SEC,
  SIZE_FACTOR_RANGE,
  type Backend,
  type ExportFormat,
  type JobResult,
  type LayerRequest,
  type LocalSize,
  type MeshSettings,
  type SizingSettings,
  type UserGroup,
} from '../../contract/job';
import { parseGroupFlag } from '../../model/job-groups';
import { ALGORITHMS_2D, ALGORITHMS_3D, OPTIMIZERS, type AlgorithmChoice } from '../../contract/algorithms';
import { exitCodeOf } from '../exit-code';
import { settingsWith } from '../../jobs/spec/settings';
import type { RemoteBackend } from '../../compute/remote';
import { ConfigError, errorMessage } from '../../util/errors';
import { openManager } from '../manager';
import { jobDetails } from '../format';
import { fail, printJson, say } from '../io';

const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number.`);
  return n;
};
/** A watchdog or budget in seconds: positive, and at most a week (MAX_WAIT_SEC). */
const seconds = (name: string) => (v: string) => {
  const n = positive(name)(v);
  if (n > MAX_WAIT_SEC) throw new InvalidArgumentError(`${name} must be at most ${MAX_WAIT_SEC} seconds (a week).`);
  return n;
};
const sizeFactor = (v: string) => {
  const n = positive('--size-factor')(v);
  const { min, max } = SIZE_FACTOR_RANGE;
  if (n < min || n > max) throw new InvalidArgumentError(`--size-factor must be from ${min} to ${max}.`);
  return n;
};
const sicn = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < -1 || n > 1)
    throw new InvalidArgumentError('--min-sicn must be a number from -1 to 1.');
  return n;
};
const count = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number (0 = all cores).');
  return n;
};

/** `--size GROUP=h`, collected over repeats. */
const localSize = (v: string, prev: LocalSize[]): LocalSize[] => {
  const m = /^([^=]+)=(.+)$/.exec(v);
  const size = m ? Number(m[2]) : NaN;
  if (!m || !Number.isFinite(size) || size <= 0)
    throw new InvalidArgumentError('expected GROUP=SIZE, e.g. Face_3=0.5 or face:3,7=0.5');
  return [...prev, { target: m[1].trim(), size }];
};

/** `--layers GROUP=COUNT,FIRST,GROWTH`, collected over repeats (the numbers are checked when the job is planned). */
const layerFlag = (v: string, prev: LayerRequest[]): LayerRequest[] => {
  const m = /^([^=]+)=([^,]+),([^,]+),([^,]+)$/.exec(v);
  const [count, first, growth] = m ? [Number(m[2]), Number(m[3]), Number(m[4])] : [NaN, NaN, NaN];
  if (!m || ![count, first, growth].every(Number.isFinite))
    throw new InvalidArgumentError('expected GROUP=COUNT,FIRST,GROWTH, e.g. Face_3=5,0.1,1.2');
  return [...prev, { target: m[1].trim(), count, first, growth }];
};

/** The sizing flags, only those given (a job without them plans exactly as before). */
function sizingOf(o: Record<string, unknown>): { sizing?: SizingSettings } {
  const s: SizingSettings = {};
  if (o.sizeMin !== undefined) s.sizeMin = o.sizeMin as number;
  if (o.sizeMax !== undefined) s.sizeMax = o.sizeMax as number;
  if ((o.size as LocalSize[]).length) s.local = o.size as LocalSize[];
  if (o.growth !== undefined) s.growth = o.growth as number;
  if (o.curvature !== undefined) s.curvature = o.curvature as number;
  if (o.targetElements !== undefined) s.targetElements = o.targetElements as number;
  if (o.fragment === false) s.fragment = false;
  return Object.keys(s).length ? { sizing: s } : {};
}

/** --algorithm-2d, --algorithm-3d, --optimizer: only those given. */
function algorithmsOf(o: Record<string, unknown>): { algorithms?: AlgorithmChoice } {
  const a: AlgorithmChoice = {};
  if (o.algorithm2d !== undefined) a.algorithm2d = o.algorithm2d as AlgorithmChoice['algorithm2d'];
  if (o.algorithm3d !== undefined) a.algorithm3d = o.algorithm3d as AlgorithmChoice['algorithm3d'];
  if (o.optimizer !== undefined) a.optimizer = o.optimizer as AlgorithmChoice['optimizer'];
  return Object.keys(a).length ? { algorithms: a } : {};
}

const exportList = (v: string): ExportFormat[] => {
  const list = v
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = list.filter((f) => !EXPORT_FORMATS.includes(f as ExportFormat));
  if (!list.length || bad.length)
    throw new InvalidArgumentError(
      `unknown format ${bad.join(', ') || '(none)'}: choose from ${EXPORT_FORMATS.join(', ')}.`,
    );
  return [...new Set(list)] as ExportFormat[];
};
const groupFlag = (v: string): UserGroup => {
  try {
    return parseGroupFlag(v);
  } catch (e) {
    throw new InvalidArgumentError(errorMessage(e));
  }
};

/** --backend, else the offload configuration's switch: MESHBENCH_COMPUTE (or USE_MODAL_COMPUTE), the saved setting, local. */
function resolveCompute(flag: Backend | undefined, remote: RemoteBackend | null): Backend {
  if (flag) return flag;
  try {
    return remote?.config().compute ?? 'local';
  } catch (e) {
    fail(new ConfigError('invalid-compute', errorMessage(e), 'Use local, modal or auto.'));
  }
}

export function register(program: Command) {
  program
    .command('mesh')
    .description('mesh a CAD part (STEP, IGES, BREP, STL) into tetrahedra')
    .argument('<file>', 'the part')
    .addOption(
      new Option('--backend <name>', 'where to mesh (default: MESHBENCH_COMPUTE, else local)').choices([
        'local',
        'modal',
        'auto',
      ]),
    )
    .option(
      '--strategy <name>',
      'one catalogue attempt, or several comma-separated and run in that order (and only them: see --repair), or "exhaustive" for all',
    )
    .option('--repair', 'adaptive cascade: a targeted repair after a named --strategy too (on by default otherwise)')
    .option('--no-repair', 'adaptive cascade: no targeted repair')
    .addOption(
      new Option('--policy <name>', 'how the winner is chosen').choices(['first-acceptable', 'best']).default(D.policy),
    )
    .option('--size-factor <f>', 'element size factor (Gmsh -clscale)', sizeFactor, D.sizeFactor)
    .addOption(new Option('--order <n>', 'element order').choices(['1', '2']).default(String(D.elementOrder)))
    .option('--jobs <n>', 'parallel Gmsh processes (0 = CPU cores)', count, D.jobs)
    .option('--min-sicn <v>', 'target: minimum SICN of an acceptable mesh (-1..1)', sicn, D.targets.minSicn)
    .option(
      '--min-dihedral <deg>',
      'target: smallest dihedral angle of any tetrahedron, degrees (optional)',
      positive('--min-dihedral'),
    )
    .option(
      '--max-aspect <r>',
      'target: largest aspect ratio of any tetrahedron (optional, >= 1)',
      positive('--max-aspect'),
    )
    .option('--timeout <s>', 'watchdog per attempt, seconds', seconds('--timeout'), D.attemptTimeoutSec)
    .option(
      '--time-budget <s>',
      'bound on the whole job, seconds: then stop and keep the best valid mesh so far',
      seconds('--time-budget'),
    )
    .addOption(
      new Option(
        '--cascade <mode>',
        'adaptive: budgets, bounded waits, targeted repair, second chance; plain: the catalogue as it is',
      )
        .choices(['adaptive', 'plain'])
        .default(D.cascade),
    )
    .option(
      '--learned-order',
      "adaptive cascade: try this part's last winner (same sizes and targets) first, then by win rate; the kept mesh may then depend on earlier jobs",
    )
    .option('--size-min <h>', "smallest element size, in the part's units", positive('--size-min'))
    .option('--size-max <h>', "largest element size, in the part's units", positive('--size-max'))
    .option(
      '--size <group=h>',
      'local size on a face group or body (GROUP a group name, Body_<n>, Face_<n>, face:3,7 or body:1); repeatable',
      localSize,
      [],
    )
    .option(
      '--growth <r>',
      'size ratio between neighbouring elements away from a local size (> 1, default 1.3)',
      positive('--growth'),
    )
    .option('--curvature <n>', 'elements per 2π of curvature', count)
    .option(
      '--target-elements <n>',
      'aim for this many tetrahedra (size estimated from the volume, corrected once)',
      count,
    )
    .option(
      '--layers <group=count,first,growth>',
      "prism boundary layers on a face group (Face_<n>, Interface_<a>_<b>, face:3,7 or your group): COUNT layers, the first FIRST thick (the part's units), each GROWTH times the one before; repeatable",
      layerFlag,
      [],
    )
    .option('--no-fragment', 'keep touching bodies apart (separate meshes, e.g. for contact analyses)')
    .addOption(
      new Option('--algorithm-2d <name>', "Gmsh's surface algorithm on every attempt (over the attempt's own)").choices(
        ALGORITHMS_2D.map((a) => a.name),
      ),
    )
    .addOption(
      new Option('--algorithm-3d <name>', "Gmsh's volume algorithm on every attempt (over the attempt's own)").choices(
        ALGORITHMS_3D.map((a) => a.name),
      ),
    )
    .addOption(
      new Option('--optimizer <name>', "mesh optimiser after the 3D mesh (default: Gmsh's own)").choices(
        OPTIMIZERS.map((a) => a.name),
      ),
    )
    .option('--out <dir>', 'output folder (default: the data folder)')
    .option(
      '--export <formats>',
      `solver files to write beside the mesh, any of ${EXPORT_FORMATS.join(',')}`,
      exportList,
    )
    .option(
      '--group <NAME=face:3,7|body:1>',
      'a named group of CAD faces or bodies (repeatable; see meshbench faces PART)',
      (v: string, prev: UserGroup[] = []) => [...prev, groupFlag(v)],
    )
    .addOption(
      new Option('--units <unit>', 'length unit of the written mesh (the CAD is read in mm)').choices([
        ...LENGTH_UNITS,
      ]),
    )
    .option('--json', 'print the job as one JSON object on stdout')
    .action(async (file: string, o) => {
      const settings: MeshSettings = settingsWith({
        strategy: o.strategy ?? null,
        policy: o.policy,
        sizeFactor: o.sizeFactor,
        elementOrder: Number(o.order) as 1 | 2,
        jobs: o.jobs,
        targets: {
          minSicn: o.minSicn,
          ...(o.minDihedral != null ? { minDihedral: o.minDihedral } : {}),
          ...(o.maxAspect != null ? { maxAspect: o.maxAspect } : {}),
        },
        attemptTimeoutSec: o.timeout,
        timeBudgetSec: o.timeBudget ?? null,
        cascade: o.cascade,
        ...(o.learnedOrder ? { learnedOrder: true } : {}),
        ...(typeof o.repair === 'boolean' ? { repair: o.repair } : {}),
        ...sizingOf(o),
        ...((o.layers as LayerRequest[]).length ? { layers: o.layers as LayerRequest[] } : {}),
        ...algorithmsOf(o),
        ...(o.group ? { groups: o.group } : {}),
        ...(o.units ? { units: o.units } : {}),
        ...(o.export ? { exports: o.export } : {}),
      });
      const manager = openManager();
      let id: string;
      try {
        id = manager.submit({
          inputPath: file,
          settings,
          backend: resolveCompute(o.backend, manager.remote),
          outDir: o.out,
        });
      } catch (e) {
        await manager.close();
        fail(e);
      }
      // What submitting did before the job ran (another job's files moved out of --out): said whatever the mode.
      for (const l of manager.log(id)) say(l.text);
      const job = await followJob(manager, id, !o.json);
      if (o.json) printJson(job);
      else say(jobDetails(job));
      if (o.json && job.error)
        say(`meshbench: ${job.error.message}${job.error.hint ? `\n  hint: ${job.error.hint}` : ''}`);
      for (const e of job.exports ?? [])
        if (e.error !== undefined) say(`meshbench: ${e.format} not written: ${e.error}`);
      await manager.close();
      process.exitCode = exitCodeOf(job);
    });
}

/**
 * Waits for a job, with a progress bar on a terminal (stderr). The first Ctrl-C (or SIGTERM) stops the attempts and
 * keeps the best valid mesh so far; a second one cancels.
 */
export async function followJob(
  manager: ReturnType<typeof openManager>,
  id: string,
  verbose: boolean,
): Promise<JobResult> {
  const tty = process.stderr.isTTY;
  const bar = tty
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      new (require('cli-progress') as typeof import('cli-progress')).SingleBar({
        format: ' {bar} {percentage}% | {phase}',
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: true,
      })
    : null;
  bar?.start(100, 0, { phase: 'starting' });
  const pct = new Map<number, number>();
  const off = manager.onEvent((e) => {
    if (e.type === 'progress' && e.jobId === id && bar) {
      pct.set(e.attempt ?? -1, e.percent);
      bar.update(Math.max(...pct.values()), { phase: `attempt ${e.phase}` });
    } else if (e.type === 'log' && e.jobId === id && verbose && !tty) {
      for (const l of e.lines) if (l.attempt === null) say(l.text);
    }
  });
  let signals = 0;
  const onSig = () => {
    if (signals++ === 0) {
      say('\nmeshbench: stopping, keeping the best valid mesh so far (Ctrl-C again to cancel)…');
      manager.stop(id);
    } else {
      say('\nmeshbench: cancelling…');
      manager.cancel(id);
    }
  };
  process.on('SIGINT', onSig);
  process.on('SIGTERM', onSig);
  try {
    return await manager.wait(id);
  } finally {
    off();
    bar?.stop();
    process.off('SIGINT', onSig);
    process.off('SIGTERM', onSig);
  }
}
