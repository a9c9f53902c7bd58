import { spawn, spawnSync } from 'node:child_process';
import { cliPath } from './paths';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  json<T = any>(): T;
}

/** Runs bin/meshbench with its own MESHBENCH_HOME; never through a shell. */
export function cli(args: string[], home: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 180_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: { ...process.env, MESHBENCH_HOME: home, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0, json: () => JSON.parse(stdout) });
    });
  });
}

/**
 * One catalogue attempt run alone on a part (`--strategy`, a target every mesh meets, so no repair): the job's one
 * attempt, as `--json` reports it (completed, failed or skipped, with the reason).
 */
export async function attemptAlone(part: string, strategy: string, home: string, sizeFactor = 1) {
  const args = ['mesh', part, '--strategy', strategy, '--size-factor', String(sizeFactor), '--min-sicn', '0.001'];
  const r = await cli([...args, '--json'], home);
  const attempts = r.json().attempts;
  if (attempts.length !== 1) throw new Error(`${strategy}: ${attempts.length} attempts, expected one`);
  return attempts[0];
}

export function gmshAvailable(): boolean {
  return spawnSync('gmsh', ['-info'], { stdio: 'ignore' }).status === 0 || !!process.env.MESHBENCH_GMSH;
}
