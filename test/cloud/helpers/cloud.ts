// Test helpers around the local cloud: a JobManager wired to it, the emulator's runner processes.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobSpec, MeshSettings } from '../../../src/contract/job';
import { DEFAULT_SETTINGS } from '../../../src/contract/job';
import { createRemoteBackend } from '../../../src/compute/select';
import { JobManager } from '../../../src/jobs/manager';
import type { LocalCloud } from '../../../src/cloud/local-cloud';
import { repoRoot, tmpHome } from '../../helpers/paths';

export const runnerPath = join(repoRoot, 'out', 'engine', 'attempt-runner.cjs');

export function requireRunner() {
  if (!existsSync(runnerPath)) throw new Error(`${runnerPath} is missing: run \`npm run build:engine\` before these tests.`);
}

/** A JobManager on a fresh data folder whose offload path points at `env` (a local cloud's, possibly altered). */
export function managerFor(env: Record<string, string>, home = tmpHome('meshbench-cloud-')) {
  const full = { ...process.env, ...env };
  return new JobManager({ home, remote: (store) => createRemoteBackend(store, { env: full, executor: { unreachableGraceMs: 3000 } }) });
}

export const cloudEnv = (c: LocalCloud, over: Record<string, string> = {}) => ({ ...c.env, ...over });

export function spec(inputPath: string, backend: JobSpec['backend'], settings: Partial<MeshSettings> = {}): JobSpec {
  return { inputPath, backend, settings: { ...DEFAULT_SETTINGS, strategy: 'default', ...settings } };
}

/** Pids of the attempt runners the emulator (pid) started. */
export function runnerPids(emulatorPid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m && Number(m[2]) === emulatorPid && m[3].includes('attempt-runner.cjs'))
    .map((m) => Number(m[1]));
}

export async function until<T>(what: string, f: () => T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
