// (a) a single-strategy job through the whole CLI against the very same Gmsh argv run by hand, and
// (d) an exhaustive job with all cores against one core. Both run side by side, interleaved, in one session.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, timeCommand, type BenchRow } from './measure';

export interface JobBenchOptions {
  cli: string; // path of bin/meshbench
  part: string;
  repeats: number;
  log: (s: string) => void;
}

const cliArgv = (o: JobBenchOptions, args: string[]) => [process.execPath, o.cli, ...args];

/** Finds the size factor at which Gmsh takes about `targetMs` on this machine for `part`. */
async function calibrate(
  o: JobBenchOptions,
  home: string,
  targetMs: number,
): Promise<{ factor: number; argv: string[] }> {
  let factor = 0.3;
  for (let i = 0; i < 4; i++) {
    const r = await timeCommand(
      cliArgv(o, ['mesh', o.part, '--strategy', 'default', '--size-factor', String(factor), '--json']),
      { ...process.env, MESHBENCH_HOME: home },
    );
    const job = JSON.parse(r.stdout);
    const meshMs = job.timings.phases.mesh as number;
    o.log(`  calibrate: size factor ${factor} -> Gmsh ${Math.round(meshMs)} ms, ${job.mesh.elements.tetrahedra} tets`);
    if (Math.abs(meshMs - targetMs) / targetMs < 0.1) return { factor, argv: job.attempts[0].argv };
    // Gmsh time grows about as the element count, i.e. factor^-3.
    factor = Number((factor * Math.cbrt(meshMs / targetMs)).toFixed(3));
  }
  const r = await timeCommand(
    cliArgv(o, ['mesh', o.part, '--strategy', 'default', '--size-factor', String(factor), '--json']),
    { ...process.env, MESHBENCH_HOME: home },
  );
  return { factor, argv: JSON.parse(r.stdout).attempts[0].argv };
}

export async function benchJobVsGmsh(o: JobBenchOptions): Promise<BenchRow> {
  const home = mkdtempSync(join(tmpdir(), 'meshbench-bench-'));
  try {
    const env = { ...process.env, MESHBENCH_HOME: home };
    const { factor, argv } = await calibrate(o, home, 2000);
    // The same argv, writing to a scratch file instead of the job's folder.
    const out = join(home, 'by-hand.msh');
    const byHand = argv.map((a, i) => (argv[i - 1] === '-o' ? out : a));
    const ours: number[] = [];
    const peer: number[] = [];
    for (let i = 0; i < o.repeats; i++) {
      peer.push((await timeCommand(byHand)).ms);
      ours.push(
        (
          await timeCommand(
            cliArgv(o, ['mesh', o.part, '--strategy', 'default', '--size-factor', String(factor), '--json']),
            env,
          )
        ).ms,
      );
      o.log(`  run ${i + 1}: Gmsh by hand ${Math.round(peer[i])} ms, meshbench mesh ${Math.round(ours[i])} ms`);
    }
    // Paired design: each pair ran back to back under the same load, so the ratio is the median of the pairs' ratios.
    const [a, b] = [median(ours), median(peer)];
    const ratio = median(ours.map((x, i) => x / peer[i]));
    return {
      name: '(a) single-strategy job vs the same Gmsh argv by hand',
      ours: a,
      peer: b,
      unit: 'ms',
      ratio,
      ratioLabel: 'job / gmsh',
      goal: '<= 1.10',
      met: ratio <= 1.1,
      note: `bracket.step, size factor ${factor}, whole CLI process (start, store, inspect, hash, Gmsh, read, quality, result files); median of ${o.repeats} back-to-back pairs`,
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

export async function benchParallel(o: JobBenchOptions & { sizeFactor: number }): Promise<BenchRow> {
  const home = mkdtempSync(join(tmpdir(), 'meshbench-bench-'));
  const cores = cpus().length;
  try {
    const env = { ...process.env, MESHBENCH_HOME: home };
    const run = async (jobs: number) => {
      const r = await timeCommand(
        cliArgv(o, [
          'mesh',
          o.part,
          '--strategy',
          'exhaustive',
          '--policy',
          'best',
          '--size-factor',
          String(o.sizeFactor),
          '--jobs',
          String(jobs),
          '--json',
        ]),
        env,
      );
      return r.ms;
    };
    const one: number[] = [];
    const all: number[] = [];
    for (let i = 0; i < o.repeats; i++) {
      one.push(await run(1));
      all.push(await run(cores));
      o.log(`  run ${i + 1}: exhaustive --jobs 1 ${Math.round(one[i])} ms, --jobs ${cores} ${Math.round(all[i])} ms`);
    }
    const [a, b] = [median(all), median(one)];
    const ratio = median(one.map((x, i) => x / all[i])); // paired, as in (a)
    return {
      name: `(d) exhaustive policy, ${cores} cores vs 1`,
      ours: a,
      peer: b,
      unit: 'ms',
      ratio,
      ratioLabel: 'speed-up',
      goal: cores >= 2 ? '>= 1.7 on 2 cores' : 'n/a on 1 core',
      met: cores >= 2 ? ratio >= 1.7 : null,
      note: `${o.part.split(/[\\/]/).pop()}, size factor ${o.sizeFactor}`,
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
