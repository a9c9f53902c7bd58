// Faults on the offload path, for real: the worker process killed mid-job, the desktop side killed (-9) and the
// job resumed by call id, an expired call (404), a slow queue, and an S3 store that fails and drops connections.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud/local-cloud';
import { sha256File } from '../../src/util/hash';
import Database from 'better-sqlite3';
import { cliPath, tmpHome, demoPart, hardPart } from '../helpers/paths';
import { alive, cloudEnv, managerFor, requireRunner, spec, until, untilAsync, workerPid } from './helpers/cloud';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy';

let cloud: LocalCloud;
beforeAll(async () => {
  requireRunner();
  // No retries here: a worker killed mid-job must end the job as failed (the retried case is tested below).
  cloud = await startLocalCloud({ emulatorEnv: { MESHBENCH_EMU_RESULT_TTL_S: '4', MESHBENCH_EMU_RETRIES: '0' } });
});
afterAll(async () => {
  await cloud?.stop();
});

/** Starts `meshbench mesh --backend modal` as the desktop side; resolves with the job id once it is stored. */
const meshArgs = (part: string, sizeFactor: number, extra: string[]) => [
  'mesh',
  part,
  '--backend',
  'modal',
  '--strategy',
  'default',
  '--size-factor',
  String(sizeFactor),
  ...extra,
  '--json',
];

async function startDesktop(
  home: string,
  part: string,
  sizeFactor: number,
  extra: string[] = [],
): Promise<{ proc: ChildProcess; id: string }> {
  const proc = spawn(process.execPath, [cliPath, ...meshArgs(part, sizeFactor, extra)], {
    env: { ...process.env, ...cloud.env, MESHBENCH_HOME: home },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const id = await until(
    'the job in the store',
    () => peek<{ id: string }>(home, 'SELECT id FROM jobs LIMIT 1')?.id,
    30_000,
  );
  return { proc, id };
}

/** Reads the store the CLI writes, read-only (the CLI may still be creating it). */
function peek<T>(home: string, sql: string, ...args: unknown[]): T | undefined {
  const file = join(home, 'meshbench.sqlite');
  if (!existsSync(file)) return undefined;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).get(...args) as T | undefined;
    } finally {
      db.close();
    }
  } catch {
    return undefined; // not created or migrated yet
  }
}

const storeAttempt = (home: string, id: string) =>
  peek<{ modal_call_id: string | null; modal_status: string | null }>(
    home,
    'SELECT modal_call_id, modal_status FROM attempts WHERE job_id = ? ORDER BY idx LIMIT 1',
    id,
  );

function cli(args: string[], home: string, env: Record<string, string> = cloud.env) {
  try {
    const stdout = execFileSync(process.execPath, [cliPath, ...args], {
      env: { ...process.env, ...env, MESHBENCH_HOME: home },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('faults on the local cloud', () => {
  it('the worker process killed mid-job ends in a clear failed state, not a hang', async () => {
    const m = managerFor(cloudEnv(cloud));
    try {
      const t0 = Date.now();
      const id = m.submit(spec(hardPart('sliver-boss.step'), 'modal', { sizeFactor: 0.15 }));
      // Wait until Gmsh's lines come back from the worker, then kill its runner (and so Gmsh) with SIGKILL.
      await until('Gmsh meshing on the worker', () => m.store.logLines(id).some((l) => /Meshing/.test(l.text)));
      const callId = m.store.attempts(id)[0].modal!.callId;
      const pid = await untilAsync('the worker pid', () => workerPid(cloud, callId));
      process.kill(pid, 'SIGKILL');
      const job = await m.wait(id);
      expect(job.status).toBe('failed');
      expect(job.error?.code).toBe('all-attempts-failed');
      expect(job.attempts[0].error).toMatch(
        /The Modal worker failed \(worker-crashed\): the attempt runner was killed by signal 9/,
      );
      expect(job.attempts[0].modal?.status).toBe('failed');
      expect(Date.now() - t0).toBeLessThan(60_000);
      expect(m.store.remoteEvents(10).some((e) => e.kind === 'modal' && !e.ok && /worker-crashed/.test(e.detail))).toBe(
        true,
      );
    } finally {
      await m.close();
    }
  });

  it('kill -9 of `meshbench mesh` while the worker meshes, then `meshbench resume`: the job completes like a fresh one', async () => {
    const home = tmpHome('meshbench-resume-');
    const extra = ['--export', 'inp,msh22', '--group', 'Top=face:1,2'];
    const { proc, id } = await startDesktop(home, hardPart('sliver-boss.step'), 0.2, extra);
    const callId = await until('the call id in the store', () => storeAttempt(home, id)?.modal_call_id, 30_000);
    await untilAsync('the worker meshing', () => workerPid(cloud, callId), 30_000);
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
    const r = cli(['resume', '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    const [job] = JSON.parse(r.stdout);
    expect(job.id).toBe(id);
    expect(job.status).toBe('completed');
    expect(job.backend).toBe('modal');
    expect(existsSync(job.mesh.path)).toBe(true);
    expect(await sha256File(job.mesh.path)).toBe(job.mesh.sha256);
    expect(job.attempts[0].modal.status).toBe('completed');
    // Nothing left to resume afterwards.
    const again = cli(['resume', '--json'], home);
    expect(JSON.parse(again.stdout)).toEqual([]);

    // The same job run through without a kill: the resumed one ends the same way (one finish for both), with the
    // same mesh, groups, exports and result files.
    const fresh = JSON.parse(cli([...meshArgs(hardPart('sliver-boss.step'), 0.2, extra)], tmpHome()).stdout);
    expect(fresh.status).toBe('completed');
    expect(job.mesh.sha256).toBe(fresh.mesh.sha256); // Delaunay: deterministic
    expect(job.groups.length).toBeGreaterThan(2);
    expect(job.groups.map((g: { name: string }) => g.name)).toContain('Top');
    expect(job.groups).toEqual(fresh.groups);
    const files = (j: { exports: { format: string; path: string; bytes: number; sha256: string }[] }) =>
      j.exports.map((e) => ({ format: e.format, file: basename(e.path), bytes: e.bytes, sha256: e.sha256 }));
    expect(files(job)).toHaveLength(2);
    expect(files(job)).toEqual(files(fresh));
    for (const e of job.exports) expect(await sha256File(e.path)).toBe(e.sha256);
    expect(job.winnerIndex).toBe(fresh.winnerIndex);
    const written = (j: { outDir: string }) => readdirSync(j.outDir).sort();
    expect(written(job)).toEqual(written(fresh));
    const result = JSON.parse(readFileSync(join(job.outDir, 'sliver-boss_result.json'), 'utf8'));
    expect(result).toMatchObject({ id, status: 'completed', groups: job.groups, exports: job.exports });
  });

  it('an expired call (404) becomes a clear failure on resume', async () => {
    const home = tmpHome('meshbench-expired-');
    const { proc, id } = await startDesktop(home, demoPart('bracket.step'), 1);
    const callId = await until('the call id in the store', () => storeAttempt(home, id)?.modal_call_id, 30_000);
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
    // Let the call finish and its result outlive the emulator's 4 s TTL.
    const h = { 'Modal-Key': cloud.env.MODAL_KEY, 'Modal-Secret': cloud.env.MODAL_SECRET };
    const t0 = Date.now();
    for (;;) {
      const s = await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/jobs/${callId}`, { headers: h });
      if (s.status === 404) break;
      if (Date.now() - t0 > 30_000) throw new Error('the call never expired');
      await new Promise((res) => setTimeout(res, 500));
    }
    const r = cli(['resume', '--json'], home);
    expect(r.code).toBe(4);
    const [job] = JSON.parse(r.stdout);
    expect(job.status).toBe('failed');
    expect(job.error.code).toBe('remote-expired');
    expect(job.error.message).toMatch(
      new RegExp(`The Modal call ${callId} is unknown to .* or its result has expired`),
    );
    expect(job.attempts[0].modal.status).toBe('expired');
  });
});

describe('a slow queue and a faulty S3 store', () => {
  let slow: LocalCloud;
  let proxy: FaultProxy;
  beforeAll(async () => {
    // The proxy first: the worker transfers only to the configured store, and here that is the proxy too.
    proxy = await startFaultProxy('http://127.0.0.1:1');
    slow = await startLocalCloud({
      emulatorEnv: {
        MESHBENCH_EMU_QUEUE_DELAY_MS: '1500',
        MESHBENCH_EMU_RETRIES: '1',
        MESHBENCH_STORE_ORIGINS: proxy.url,
      },
    });
    proxy.target = new URL(slow.env.MESHBENCH_S3_ENDPOINT);
  });
  afterAll(async () => {
    await proxy?.close();
    await slow?.stop();
  });

  it('a slow queue (cold start) is waited out and timed as the queue phase', async () => {
    const m = managerFor(cloudEnv(slow));
    try {
      const job = await m.run(spec(demoPart('bracket.step'), 'modal'));
      expect(job.status).toBe('completed');
      expect(job.timings.phases.queue).toBeGreaterThanOrEqual(1400);
    } finally {
      await m.close();
    }
  });

  it('with retries on (like modal.Retries), a worker killed once is re-run and the job completes', async () => {
    const m = managerFor(cloudEnv(slow));
    try {
      const id = m.submit(spec(hardPart('sliver-boss.step'), 'modal', { sizeFactor: 0.3 }));
      const callId = await until('the call id', () => m.store.attempts(id)[0]?.modal?.callId, 30_000);
      const pid = await untilAsync('the worker running', () => workerPid(slow, callId), 30_000);
      process.kill(pid, 'SIGKILL');
      const job = await m.wait(id);
      expect(job.status).toBe('completed');
      expect(job.backend).toBe('modal');
      expect(
        m.store
          .logLines(id)
          .some((l) => /killed by signal 9 .*retrying \(1\/1\)|killed by signal 9.*; retrying/.test(l.text)),
      ).toBe(true);
    } finally {
      await m.close();
    }
  });

  it('S3 answering 500/503 and dropping connections (desktop and worker side): retried, the job completes', async () => {
    // Every third request through the proxy fails, cycling through the fault kinds.
    const kinds = ['500', 'drop', '503'] as const;
    proxy.plan = (n) => (n % 3 === 1 ? kinds[Math.floor(n / 3) % 3] : 'pass');
    const m = managerFor(cloudEnv(slow, { MESHBENCH_S3_ENDPOINT: proxy.url }));
    try {
      const job = await m.run(spec(hardPart('small-fillet.step'), 'modal'));
      expect(job.error).toBeNull();
      expect(job.status).toBe('completed');
      expect(job.backend).toBe('modal');
      const faults = proxy.log.filter((l) => l.fault !== 'pass');
      expect(faults.length).toBeGreaterThanOrEqual(2);
      // The worker's presigned transfers went through the proxy too.
      expect(proxy.log.some((l) => l.path.includes('X-Amz-Signature'))).toBe(true);
    } finally {
      await m.close();
    }
  });

  it('a job cancelled while its upload hangs (half-open connection) ends cancelled at once, not failed nor run locally', async () => {
    proxy.plan = (_n, req) => (req.method === 'PUT' || req.method === 'POST' ? 'stall' : 'pass');
    const m = managerFor(cloudEnv(slow, { MESHBENCH_S3_ENDPOINT: proxy.url }));
    try {
      const id = m.submit(spec(hardPart('small-fillet.step'), 'auto'));
      await untilAsync('the upload to hang', async () => proxy.log.some((l) => l.fault === 'stall'), 30_000);
      const t0 = Date.now();
      m.cancel(id);
      const job = await m.wait(id);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(job.status).toBe('cancelled');
      expect(job.fallback ?? null).toBeNull();
      expect(job.backend).not.toBe('local');
    } finally {
      proxy.plan = () => 'pass';
      await m.close();
    }
  });

  it('S3 failing for good: auto falls back to local naming the bucket, modal exits 4', async () => {
    proxy.plan = () => '500';
    const m = managerFor(cloudEnv(slow, { MESHBENCH_S3_ENDPOINT: proxy.url }));
    try {
      const a = await m.run(spec(demoPart('bracket.step'), 'auto'));
      expect(a.status).toBe('completed');
      expect(a.backend).toBe('local');
      expect(a.fallback?.reason).toMatch(/bucket "meshbench" at http:\/\/127\.0\.0\.1:\d+/);
      const j = await m.run(spec(demoPart('bracket.step'), 'modal'));
      expect(j.status).toBe('failed');
      expect(j.error?.code).toBe('modal-unavailable');
      expect(j.error?.message).toMatch(/HTTP 500/);
    } finally {
      await m.close();
    }
  });
});

describe('the Modal endpoint failing', () => {
  let c: LocalCloud;
  let proxy: FaultProxy;
  beforeAll(async () => {
    c = await startLocalCloud();
    proxy = await startFaultProxy(c.env.MESHBENCH_MODAL_URL);
  });
  afterAll(async () => {
    await proxy?.close();
    await c?.stop();
  });

  it('5xx answers and dropped connections from the endpoint are retried; the job completes on Modal', async () => {
    // The first request of each kind fails once (submit: 500, status: dropped, logs: 503), whatever their order.
    const seen = new Set<string>();
    const firstFault = { POST: '500', status: 'drop', logs: '503' } as const;
    proxy.plan = (_n, req) => {
      const kind =
        req.method === 'POST'
          ? 'POST'
          : /\/logs/.test(req.url ?? '')
            ? 'logs'
            : /^\/jobs\//.test(req.url ?? '')
              ? 'status'
              : null;
      if (!kind || seen.has(kind)) return 'pass';
      seen.add(kind);
      return firstFault[kind];
    };
    const from = proxy.log.length;
    const m = managerFor(cloudEnv(c, { MESHBENCH_MODAL_URL: proxy.url }));
    try {
      const job = await m.run(spec(demoPart('bracket.step'), 'modal'));
      expect(job.error).toBeNull();
      expect(job.backend).toBe('modal');
      expect(
        proxy.log
          .slice(from)
          .filter((l) => l.fault !== 'pass')
          .map((l) => l.fault)
          .sort(),
      ).toEqual(['500', '503', 'drop']);
    } finally {
      await m.close();
    }
  });

  it('a submission whose answer is lost is sent again and runs once (idempotency key)', async () => {
    const calls = async () =>
      (
        await (
          await fetch(`${c.env.MESHBENCH_MODAL_URL}/health`, {
            headers: { 'Modal-Key': c.env.MODAL_KEY, 'Modal-Secret': c.env.MODAL_SECRET },
          })
        ).json()
      ).calls as number;
    const before = await calls();
    let posts = 0;
    // The first POST /jobs reaches the app, which spawns the call; its answer never comes back.
    proxy.plan = (_n, req) => (req.method === 'POST' && posts++ === 0 ? 'lost' : 'pass');
    const from = proxy.log.length;
    const m = managerFor(cloudEnv(c, { MESHBENCH_MODAL_URL: proxy.url }));
    try {
      const job = await m.run(spec(demoPart('bracket.step'), 'modal', { strategy: 'default' }));
      expect(job.error).toBeNull();
      expect(job.backend).toBe('modal');
      expect(
        proxy.log
          .slice(from)
          .filter((l) => l.method === 'POST')
          .map((l) => l.fault),
      ).toEqual(['lost', 'pass']);
      expect(await calls()).toBe(before + 1); // one call spawned, not two
    } finally {
      await m.close();
    }
  });

  it('the whole endpoint dying mid-job: auto finishes the job locally and says why', async () => {
    proxy.plan = () => 'pass';
    const m = managerFor(cloudEnv(c, { MESHBENCH_MODAL_URL: proxy.url }));
    let orphan: number | null = null;
    try {
      const id = m.submit(spec(hardPart('sliver-boss.step'), 'auto', { sizeFactor: 0.3 }));
      const callId = await until(
        'the call id',
        () => m.store.attempts(id).find((a) => a.modal?.callId)?.modal?.callId,
        30_000,
      );
      orphan = await untilAsync('the worker running', () => workerPid(c, callId), 30_000);
      proxy.plan = () => 'drop'; // from now on the endpoint is gone, in-flight requests included
      proxy.cutAll();
      const job = await m.wait(id);
      expect(job.status).toBe('completed');
      expect(job.backend).toBe('local');
      expect(job.fallback?.from).toBe('modal');
      expect(job.fallback?.reason).toMatch(/Cannot reach the Modal endpoint/);
      expect(m.store.remoteEvents(20).some((e) => e.kind === 'modal' && !e.ok)).toBe(true);
    } finally {
      await m.close();
      if (orphan && alive(orphan)) process.kill(-orphan, 'SIGKILL'); // the emulated worker would have run on
    }
  });
});
