// The worker's HTTP contract (DESIGN §4) as served by the emulator: auth, validation, 404s, logs by cursor,
// cancel, and the preview route; plus a job cancelled from the desktop ending its remote call.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud/local-cloud';
import { ModalClient, ModalError } from '../../src/cloud/modal-client';
import { keys, S3Store } from '../../src/cloud/s3';
import { sha256File } from '../../src/util/hash';
import { resolveOffloadConfig } from '../../src/cloud/config';
import { sample, tmpHome } from '../helpers/paths';
import { alive, cloudEnv, managerFor, requireRunner, spec, until, untilAsync, workerPid } from './helpers/cloud';

let cloud: LocalCloud;
let s3: S3Store;
let client: ModalClient;
beforeAll(async () => {
  requireRunner();
  cloud = await startLocalCloud();
  s3 = new S3Store(resolveOffloadConfig({ env: cloud.env }).s3!);
  client = new ModalClient({ url: cloud.env.MESHBENCH_MODAL_URL, key: cloud.env.MODAL_KEY, secret: cloud.env.MODAL_SECRET });
});
afterAll(async () => {
  s3?.client.destroy();
  await cloud?.stop();
});

const auth = () => ({ 'Modal-Key': cloud.env.MODAL_KEY, 'Modal-Secret': cloud.env.MODAL_SECRET, 'Content-Type': 'application/json' });

async function payload(part: string, jobId: string, sizeFactor = 1) {
  const sha = await sha256File(part);
  const name = part.split('/').pop()!;
  const up = await s3.ensureInput(part, sha, name);
  return {
    spec: { jobId, index: 0, strategy: 'default', inputFormat: 'step', sizeFactor, elementOrder: 1, timeoutSec: 120 },
    input: { url: await s3.presignGet(up.key), sha256: sha, name },
    outputs: {
      mesh: { url: await s3.presignPut(keys.output(jobId, 0, 'mesh.msh')), key: keys.output(jobId, 0, 'mesh.msh') },
      result: { url: await s3.presignPut(keys.output(jobId, 0, 'result.json')), key: keys.output(jobId, 0, 'result.json') },
    },
  };
}

describe('worker HTTP contract (emulator)', () => {
  it('answers 401 like Modal proxy auth without the right Modal-Key/Modal-Secret', async () => {
    expect((await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/health`)).status).toBe(401);
    const r = await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/health`, { headers: { 'Modal-Key': cloud.env.MODAL_KEY, 'Modal-Secret': 'nope' } });
    expect(r.status).toBe(401);
    const bad = new ModalClient({ url: cloud.env.MESHBENCH_MODAL_URL, key: 'wk-x', secret: 'ws-y' });
    const e = await bad.health().catch((x) => x);
    expect(e).toBeInstanceOf(ModalError);
    expect(e.kind).toBe('auth');
  });

  it('health names the Gmsh version and the runner', async () => {
    const h = await client.health();
    expect(h.service).toBe('meshbench-gpu-worker');
    expect(h.gmsh.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(h.runner?.present).toBe(true);
  });

  it('rejects malformed submissions with 400 and the reason; unknown calls are 404', async () => {
    const r = await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/jobs`, { method: 'POST', headers: auth(), body: JSON.stringify({ spec: { jobId: 'x' } }) });
    expect(r.status).toBe(400);
    expect((await r.json()).error.message).toMatch(/spec\.index is missing/);
    const s = await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/jobs/fc-nope`, { headers: auth() });
    expect(s.status).toBe(404);
    expect((await s.json()).error.code).toBe('expired');
    expect((await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/jobs/fc-nope/logs?after=0`, { headers: auth() })).status).toBe(404);
    expect((await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/jobs/fc-nope`, { method: 'DELETE', headers: auth() })).status).toBe(404);
  });

  it('runs an attempt: 202 while running, logs by cursor, 200 with the result and worker timings', async () => {
    const callId = await client.submit(await payload(sample('t20_data.step'), 'contract-1'));
    const first = await client.status(callId, 0);
    expect(['queued', 'running', 'completed']).toContain(first.status);
    const final = await client.wait(callId);
    expect(final.status).toBe('completed');
    if (final.status !== 'completed') return;
    expect(final.result.outcome.status).toBe('completed');
    expect(final.result.outcome.mesh?.path).toBe(keys.output('contract-1', 0, 'mesh.msh'));
    for (const k of ['download', 'mesh', 'quality', 'upload', 'total']) expect(final.result.workerTimings[k], k).toBeTypeOf('number');
    const a = await client.logs(callId, 0);
    expect(a.lines.some((l) => /Meshing 3D/.test(l.text ?? ''))).toBe(true);
    const b = await client.logs(callId, a.next);
    expect(b.lines).toEqual([]);
    expect(b.next).toBe(a.next);
    // The uploaded mesh is what the runner reported.
    expect((await s3.head(keys.output('contract-1', 0, 'mesh.msh')))?.bytes).toBe(final.result.outcome.mesh?.bytes);
  });

  it('cancel (DELETE) ends the call and its runner process', async () => {
    const callId = await client.submit(await payload(sample('Angled.step'), 'contract-2', 0.15));
    const pid = await untilAsync('the runner to start', () => workerPid(cloud, callId), 30_000);
    expect(await client.cancel(callId)).toBe(true);
    const s = await client.wait(callId);
    expect(s.status).toBe('cancelled');
    await until('the runner gone', () => !alive(pid), 10_000);
  });

  it('preview: a coarse surface mesh of the part, uploaded and verifiable', async () => {
    const part = sample('wrenchnut.stp');
    const sha = await sha256File(part);
    const up = await s3.ensureInput(part, sha, 'wrenchnut.stp');
    const key = keys.output('preview', 0, 'preview.msh');
    const r = await client.preview({ input: { url: await s3.presignGet(up.key), sha256: sha, name: 'wrenchnut.stp' }, output: { url: await s3.presignPut(key), key } });
    expect(r.mesh.key).toBe(key);
    expect(r.argv).toContain('-2');
    const dest = join(tmpHome('meshbench-preview-'), 'preview.msh');
    const got = await s3.getFile(key, dest, r.mesh.sha256);
    expect(got.bytes).toBe(r.mesh.bytes);
    expect(readFileSync(dest, 'utf8').startsWith('$MeshFormat')).toBe(true);
  });
});

describe('cancelling an offloaded job', () => {
  it('cancels the remote call and leaves no worker process behind', async () => {
    const m = managerFor(cloudEnv(cloud));
    try {
      const id = m.submit(spec(sample('Angled.step'), 'modal', { sizeFactor: 0.15 }));
      const callId = await until('the call id', () => m.store.attempts(id)[0]?.modal?.callId, 30_000);
      const pid = await untilAsync('the runner to start', () => workerPid(cloud, callId), 30_000);
      m.cancel(id);
      const job = await m.wait(id);
      expect(job.status).toBe('cancelled');
      expect(job.attempts[0].status).toBe('cancelled');
      await until('the runner gone', () => !alive(pid), 10_000);
    } finally {
      await m.close();
    }
  });
});
