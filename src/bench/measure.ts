// Small timing helpers for `meshbench bench`: wall time of a child process, medians, interleaved pairs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobResult } from '../contract/job';

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Wall milliseconds of a command (argv, no shell) until it exits; rejects on a non-zero exit. */
export function timeCommand(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`${argv.join(' ')} exited with ${code}: ${stderr.slice(-400)}`));
    });
  });
}

/**
 * `meshbench mesh PART ...args --json` through the built CLI in a fresh data folder (no learned order, no cached model
 * from earlier runs), removed afterwards: the job and the wall milliseconds of the whole process. Rejects like
 * timeCommand on a non-zero exit.
 */
export async function meshFresh(cli: string, part: string, args: string[]): Promise<{ ms: number; job: JobResult }> {
  const home = mkdtempSync(join(tmpdir(), 'meshbench-bench-'));
  try {
    const r = await timeCommand([process.execPath, cli, 'mesh', part, ...args, '--json'], {
      ...process.env,
      MESHBENCH_HOME: home,
    });
    return { ms: r.ms, job: JSON.parse(r.stdout) as JobResult };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

export interface BenchRow {
  name: string;
  ours: number;
  peer: number;
  unit: string;
  /** How the ratio reads: ours/peer (lower is better) or peer/ours (higher is better). */
  ratio: number;
  ratioLabel: string;
  goal: string;
  met: boolean | null;
  note?: string;
}
