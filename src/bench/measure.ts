// Small timing helpers for `meshbench bench`: wall time of a child process, medians, interleaved pairs.
import { spawn } from 'node:child_process';

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
