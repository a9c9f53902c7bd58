// The stand-in enforces what Modal enforces where it changes behaviour: proxy auth always on, the function's CPU
// count, its attempt timeout, retries for infrastructure failures only, and long-polls that cannot take every
// thread of the web app. Real emulator, real runner, real Gmsh, behind the strict S3 front.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPython, startLocalCloud, type LocalCloud } from '../../src/cloud/local-cloud';
import { ModalClient, type WorkerResult } from '../../src/cloud/modal-client';
import { S3Store } from '../../src/cloud/s3';
import { resolveOffloadConfig } from '../../src/cloud/config';
import { repoRoot, demoPart, hardPart } from '../helpers/paths';
import { runnerPath, submitBody, untilAsync, workerPid, withCloudClients } from './helpers/cloud';

let cloud: LocalCloud;
let s3: S3Store;
let client: ModalClient;
withCloudClients((c) => ({ cloud, s3, client } = c));

describe('the worker stand-in enforces the function', () => {
  it('refuses to start without proxy-auth credentials', () => {
    const env = { ...process.env };
    delete env.MODAL_KEY;
    delete env.MODAL_SECRET;
    const r = spawnSync(
      defaultPython(),
      [join(repoRoot, 'gpu-worker', 'emulator.py'), '--port', '0', '--runner', runnerPath],
      { env, encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/MODAL_KEY and MODAL_SECRET must be set/);
  });

  it("reports Gmsh version and build and the function size; runs the attempt on the function's cores; says there is no GPU", async () => {
    const h = await client.health();
    expect(h.gmsh.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(h.gmsh.build).toMatch(/\d{8}/); // the build date is part of it
    expect(h.function).toMatchObject({
      gpu: 'T4',
      cpu: 1,
      memoryMiB: 2048,
      attemptTimeoutS: 600,
      retries: 2,
      scaledownS: 60,
    });
    const callId = await client.submit(await submitBody(s3, demoPart('bracket.step'), 'cores-1'));
    const s = await client.wait(callId);
    expect(s.status).toBe('completed');
    const r = (s as { result: WorkerResult }).result;
    expect(r.cpus).toHaveLength(1);
    expect(r.gpu).toEqual({ present: false, reason: 'no GPU (nvidia-smi not found)' });
  });

  it('a runner that crashes (SIGSEGV) is an answer, not retried (SIGKILL, from outside, is retried: faults.test)', async () => {
    const callId = await client.submit(await submitBody(s3, hardPart('sliver-boss.step'), 'crash-1', 0.15));
    const pid = await untilAsync('the runner', () => workerPid(cloud, callId), 30_000);
    process.kill(pid, 'SIGSEGV');
    const s = await client.wait(callId);
    expect(s.status).toBe('failed');
    expect((s as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'worker-crashed',
      message: expect.stringMatching(/killed by signal 11/),
    });
    const logs = await (
      await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/jobs/${callId}/logs`, {
        headers: { 'Modal-Key': cloud.env.MODAL_KEY, 'Modal-Secret': cloud.env.MODAL_SECRET },
      })
    ).json();
    expect(JSON.stringify(logs)).not.toMatch(/retrying/);
  });

  it('presigned URLs the store refuses fail the call at once, saying why: wrong region, expired', async () => {
    const base = await submitBody(s3, demoPart('bracket.step'), 'refused-1');
    // Signed for a region the bucket is not in (as before region discovery): the store answers 301.
    const raw = new S3Client({
      region: 'us-east-1',
      endpoint: cloud.env.MESHBENCH_S3_ENDPOINT,
      forcePathStyle: true,
      credentials: { accessKeyId: cloud.env.AWS_ACCESS_KEY_ID, secretAccessKey: cloud.env.AWS_SECRET_ACCESS_KEY },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const key = new URL(base.input.url).pathname.split('/').slice(2).join('/');
    const wrong = await getSignedUrl(
      raw,
      new GetObjectCommand({ Bucket: cloud.env.MESHBENCH_S3_BUCKET, Key: decodeURIComponent(key) }),
      { expiresIn: 600 },
    );
    raw.destroy();
    const s1 = await client.wait(await client.submit({ ...base, input: { ...base.input, url: wrong } }));
    expect(s1.status).toBe('failed');
    expect((s1 as { error: { message: string } }).error.message).toMatch(
      /signed for another region than the bucket's \(HTTP 301 PermanentRedirect\)/,
    );
    // A URL that has expired by the time the worker uses it.
    const short = await s3.presignGet(decodeURIComponent(key), 1);
    await new Promise((r) => setTimeout(r, 2100));
    const s2 = await client.wait(await client.submit({ ...base, input: { ...base.input, url: short } }));
    expect(s2.status).toBe('failed');
    expect((s2 as { error: { message: string } }).error.message).toMatch(
      /the presigned URL has expired \(HTTP 403 AccessDenied\)/,
    );
  });

  it('concurrent submissions with one idempotency key spawn one call', async () => {
    const body = { ...(await submitBody(s3, demoPart('bracket.step'), 'idem-1')), idempotencyKey: 'same-key-1' };
    const ids = await Promise.all(Array.from({ length: 6 }, () => client.submit(body)));
    expect(new Set(ids).size).toBe(1);
    expect((await client.wait(ids[0])).status).toBe('completed');
  });

  it('long-polls cannot take every thread: 30 waiting at once, health and logs still answer at once', async () => {
    const callId = await client.submit(await submitBody(s3, hardPart('sliver-boss.step'), 'poll-1', 0.15));
    const h = { 'Modal-Key': cloud.env.MODAL_KEY, 'Modal-Secret': cloud.env.MODAL_SECRET };
    const t0 = Date.now();
    const polls = Array.from({ length: 30 }, async () => {
      const t = Date.now();
      await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/jobs/${callId}?wait=8`, { headers: h });
      return Date.now() - t;
    });
    await new Promise((r) => setTimeout(r, 500));
    const th = Date.now();
    expect((await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/health`, { headers: h })).status).toBe(200);
    expect(Date.now() - th).toBeLessThan(3000);
    const waited = await Promise.all(polls);
    // Beyond the 16 long-poll slots, a status request answers without waiting.
    expect(waited.filter((ms) => ms < 1500).length).toBeGreaterThanOrEqual(30 - 16);
    await client.cancel(callId);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});

describe("the function's attempt timeout", () => {
  let short: LocalCloud;
  let s3s: S3Store;
  beforeAll(async () => {
    short = await startLocalCloud({ emulatorEnv: { MESHBENCH_ATTEMPT_TIMEOUT_S: '1' } });
    s3s = new S3Store(resolveOffloadConfig({ env: short.env }).s3!);
  });
  afterAll(async () => {
    s3s?.client.destroy();
    await short?.stop();
  });

  it('caps a longer spec timeout: the attempt is stopped and comes back failed, not retried', async () => {
    const c = new ModalClient({
      url: short.env.MESHBENCH_MODAL_URL,
      key: short.env.MODAL_KEY,
      secret: short.env.MODAL_SECRET,
    });
    const callId = await c.submit(await submitBody(s3s, hardPart('sliver-boss.step'), 'timeout-1', 0.1, 600));
    const s = await c.wait(callId);
    expect(s.status).toBe('completed'); // the call answered; the attempt in it failed
    const r = (s as { result: WorkerResult }).result;
    expect(r.outcome.status).toBe('failed');
    expect(r.outcome.error).toMatch(/time|1 s/i);
    const logs = JSON.stringify(
      await (
        await fetch(`${short.env.MESHBENCH_MODAL_URL}/jobs/${callId}/logs`, {
          headers: { 'Modal-Key': short.env.MODAL_KEY, 'Modal-Secret': short.env.MODAL_SECRET },
        })
      ).json(),
    );
    expect(logs).toMatch(/attempt timeout 600 s capped at the function's 1 s/);
    expect(logs).not.toMatch(/retrying/);
  });
});
