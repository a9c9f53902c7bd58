// Test helpers around the local cloud: a JobManager wired to it, the emulator's runner processes.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobSpec, MeshSettings } from '../../../src/contract/job';
import { DEFAULT_SETTINGS } from '../../../src/contract/job';
import type { AttemptExecutor } from '../../../src/compute/executor';
import { offloadPath } from '../../../src/compute/offload-path';
import { JobManager } from '../../../src/jobs/manager';
import { startLocalCloud, type LocalCloud } from '../../../src/cloud/local-cloud';
import { resolveOffloadConfig } from '../../../src/cloud/config';
import { ModalClient } from '../../../src/cloud/modal-client';
import { keys, S3Store } from '../../../src/cloud/s3';
import { sha256File } from '../../../src/util/hash';
import { repoRoot, tmpHome } from '../../helpers/paths';

export const runnerPath = join(repoRoot, 'out', 'engine', 'attempt-runner.cjs');

export function requireRunner() {
  if (!existsSync(runnerPath))
    throw new Error(`${runnerPath} is missing: run \`npm run build:engine\` before these tests.`);
}

/** A JobManager on a fresh data folder whose offload path points at `env` (a local cloud's, possibly altered). */
export function managerFor(
  env: Record<string, string>,
  home = tmpHome('meshbench-cloud-'),
  alter: (ex: AttemptExecutor) => void = () => undefined,
) {
  const full = { ...process.env, ...env };
  return new JobManager({
    home,
    remote: (store) => {
      const b = offloadPath(store, { env: full, executor: { unreachableGraceMs: 3000 } });
      return {
        config: b.config,
        open: async (requested) => {
          const opened = await b.open(requested);
          if (opened.executor) alter(opened.executor);
          return opened;
        },
      };
    },
  });
}

export const cloudEnv = (c: LocalCloud, over: Record<string, string> = {}) => ({ ...c.env, ...over });

export function spec(inputPath: string, backend: JobSpec['backend'], settings: Partial<MeshSettings> = {}): JobSpec {
  return { inputPath, backend, settings: { ...DEFAULT_SETTINGS, strategy: 'default', ...settings } };
}

/** The pid of the worker process (the attempt runner) of a call, as the emulator reports it while it runs. */
export async function workerPid(c: LocalCloud, callId: string): Promise<number | null> {
  const r = await fetch(`${c.env.MESHBENCH_MODAL_URL}/jobs/${callId}`, {
    headers: { 'Modal-Key': c.env.MODAL_KEY, 'Modal-Secret': c.env.MODAL_SECRET },
  });
  if (r.status !== 202) return null;
  return ((await r.json()) as { workerPid?: number | null }).workerPid ?? null;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Node processes the emulator started (warm spares and runners), for "nothing left behind" checks. */
export function emulatorNodeChildren(emulatorPid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter(
      (m): m is RegExpExecArray =>
        !!m && Number(m[2]) === emulatorPid && /warm_runner\.js|attempt-runner\.cjs/.test(m[3]),
    )
    .map((m) => Number(m[1]));
}

/** Polls an async condition. */
export async function untilAsync<T>(
  what: string,
  f: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
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

export interface CloudClients {
  cloud: LocalCloud;
  s3: S3Store;
  client: ModalClient;
  close(): Promise<void>;
}

/** The local stand-in with an S3 store and a Modal client on it, as the desktop would configure them. */
async function openCloudClients(): Promise<CloudClients> {
  requireRunner();
  const cloud = await startLocalCloud();
  const s3 = new S3Store(resolveOffloadConfig({ env: cloud.env }).s3!);
  const client = new ModalClient({
    url: cloud.env.MESHBENCH_MODAL_URL,
    key: cloud.env.MODAL_KEY,
    secret: cloud.env.MODAL_SECRET,
  });
  return {
    cloud,
    s3,
    client,
    close: async () => {
      s3.client.destroy();
      await cloud.stop();
    },
  };
}

/** Opens the cloud clients before the file's tests (handing them to `use`) and closes them after. */
export function withCloudClients(use: (c: CloudClients) => void) {
  let clients: CloudClients | undefined;
  beforeAll(async () => {
    clients = await openCloudClients();
    use(clients);
  });
  afterAll(() => clients?.close());
}

/** The phases an offloaded job times, each of which its timings must carry. */
export const OFFLOAD_PHASES = [
  'hash',
  'upload',
  'submit',
  'queue',
  'workerDownload',
  'mesh',
  'quality',
  'workerUpload',
  'download',
  'verify',
] as const;

/** A raw submit body for one default attempt of `part`: the input uploaded and presigned, both outputs presigned. */
export async function submitBody(store: S3Store, part: string, jobId: string, sizeFactor = 1, timeoutSec = 120) {
  const sha = await sha256File(part);
  const name = part.split('/').pop()!;
  const up = await store.ensureInput(part, sha, name);
  const out = async (file: string) => ({
    url: await store.presignPut(keys.output(jobId, 0, file)),
    key: keys.output(jobId, 0, file),
  });
  return {
    spec: { jobId, index: 0, strategy: 'default', inputFormat: 'step', sizeFactor, elementOrder: 1, timeoutSec },
    input: { url: await store.presignGet(up.key), sha256: sha, name },
    outputs: { mesh: await out('mesh.msh'), result: await out('result.json') },
  };
}
