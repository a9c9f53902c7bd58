// The worker's HTTP contract (gpu-worker/README.md) as served by the emulator: auth, validation, 404s, logs by cursor,
// cancel, hostile bodies refused; plus a job cancelled from the desktop ending its remote call.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../src/cloud/local-cloud';
import { ModalClient, ModalError } from '../../src/cloud/modal-client';
import { ModalExecutor } from '../../src/compute/modal-executor';
import { modalUsable } from '../../src/compute/modal-usable';
import { keys, S3Store } from '../../src/cloud/s3';
import { resolveOffloadConfig } from '../../src/cloud/config';
import { tmpHome, demoPart, hardPart, repoRoot } from '../helpers/paths';
import {
  alive,
  cloudEnv,
  managerFor,
  spec,
  submitBody,
  until,
  untilAsync,
  workerPid,
  withCloudClients,
} from './helpers/cloud';

let cloud: LocalCloud;
let s3: S3Store;
let client: ModalClient;
withCloudClients((c) => ({ cloud, s3, client } = c));

const markers = mkdtempSync(join(tmpdir(), 'mb-worker-markers-'));
let nMarker = 0;
const marker = () => ({ path: join(markers, `MARKER-${++nMarker}`) });

/**
 * Declares (or, chunked, implies) a `total`-byte body, sends only its first `prefix` bytes and then waits without
 * sending more. A server that refuses while reading answers; one that waits for the whole body never does (the
 * answer is then 'no answer' after `waitMs`). Deterministic under load, unlike counting bytes pushed before a reply.
 */
function postPrefix(
  base: string,
  headers: Record<string, string>,
  total: number,
  prefix: number,
  chunked: boolean,
  waitMs = 15_000,
): Promise<{ status: number | string }> {
  return new Promise((ok) => {
    const u = new URL(`${base}/jobs`);
    let answered = false;
    const req = request({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: 'POST',
      headers: chunked ? headers : { ...headers, 'Content-Length': String(total) },
    });
    const timer = setTimeout(() => answer('no answer'), waitMs);
    const answer = (status: number | string) => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      ok({ status });
      req.destroy();
    };
    req.on('response', (r) => answer(r.statusCode ?? 0));
    req.on('error', (e) => answer(`error ${(e as NodeJS.ErrnoException).code}`));
    const chunk = Buffer.alloc(1 << 20, 32);
    for (let sent = 0; sent < prefix; sent += chunk.length) req.write(chunk);
  });
}

const auth = () => ({
  'Modal-Key': cloud.env.MODAL_KEY,
  'Modal-Secret': cloud.env.MODAL_SECRET,
  'Content-Type': 'application/json',
});

describe('worker HTTP contract (emulator)', () => {
  it('answers 401 like Modal proxy auth without the right Modal-Key/Modal-Secret', async () => {
    expect((await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/health`)).status).toBe(401);
    const r = await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/health`, {
      headers: { 'Modal-Key': cloud.env.MODAL_KEY, 'Modal-Secret': 'nope' },
    });
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
    const r = await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/jobs`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ spec: { jobId: 'x' } }),
    });
    expect(r.status).toBe(400);
    expect((await r.json()).error.message).toMatch(/spec\.index: field required/i);
    const s = await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/jobs/fc-nope`, { headers: auth() });
    expect(s.status).toBe(404);
    expect((await s.json()).error.code).toBe('expired');
    expect(
      (await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/jobs/fc-nope/logs?after=0`, { headers: auth() })).status,
    ).toBe(404);
    expect(
      (await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/jobs/fc-nope`, { method: 'DELETE', headers: auth() })).status,
    ).toBe(404);
  });

  it('runs an attempt: 202 while running, logs by cursor, 200 with the result and worker timings', async () => {
    const callId = await client.submit(await submitBody(s3, demoPart('bracket.step'), 'contract-1'));
    const first = await client.status(callId, 0);
    expect(['queued', 'running', 'completed']).toContain(first.status);
    const final = await client.wait(callId);
    expect(final.status).toBe('completed');
    if (final.status !== 'completed') return;
    expect(final.result.outcome.status).toBe('completed');
    expect(final.result.outcome.mesh?.path).toBe(keys.output('contract-1', 0, 'mesh.msh'));
    for (const k of ['download', 'mesh', 'quality', 'upload', 'total'])
      expect(final.result.workerTimings[k], k).toBeTypeOf('number');
    const a = await client.logs(callId, 0);
    expect(a.lines.some((l) => /Meshing 3D/.test(l.text ?? ''))).toBe(true);
    const b = await client.logs(callId, a.next);
    expect(b.lines).toEqual([]);
    expect(b.next).toBe(a.next);
    // The uploaded mesh is what the runner reported.
    expect((await s3.head(keys.output('contract-1', 0, 'mesh.msh')))?.bytes).toBe(final.result.outcome.mesh?.bytes);
  });

  it('cancel (DELETE) ends the call and its runner process', async () => {
    const callId = await client.submit(await submitBody(s3, hardPart('sliver-boss.step'), 'contract-2', 0.15));
    const pid = await untilAsync('the runner to start', () => workerPid(cloud, callId), 30_000);
    expect(await client.cancel(callId)).toBe(true);
    const s = await client.wait(callId);
    expect(s.status).toBe('cancelled');
    await until('the runner gone', () => !alive(pid), 10_000);
  });

  it('refuses hostile bodies with 400 and the reason, before anything runs (no preview route either)', async () => {
    const good = await submitBody(s3, demoPart('bracket.step'), 'hostile-1');
    const post = (body: unknown) =>
      fetch(`${cloud.env.MESHBENCH_MODAL_URL}/jobs`, {
        method: 'POST',
        headers: auth(),
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const m = marker();
    const cases: [string, (b: any) => void, RegExp][] = [
      ['a file:// input', (b) => (b.input.url = `file://${m.path}`), /input\.url: must be an http\(s\) URL/],
      [
        'an input on another host than the store',
        (b) => (b.input.url = 'http://127.0.0.1:9/other/part.step'),
        /input\.url: .* is not the configured object store/,
      ],
      [
        'an output on another host than the store',
        (b) => (b.outputs.mesh.url = 'https://example.com/steal'),
        /outputs\.mesh\.url/,
      ],
      [
        'an input URL that two parsers read differently (a backslash before user info)',
        (b) => (b.input.url = `http://127.0.0.1:1\\@${new URL(cloud.env.MESHBENCH_S3_ENDPOINT).host}/x`),
        /input\.url: must be a plain http\(s\) URL/,
      ],
      [
        'an output URL with user info',
        (b) => (b.outputs.mesh.url = `http://u:p@${new URL(cloud.env.MESHBENCH_S3_ENDPOINT).host}/x`),
        /outputs\.mesh\.url: must not carry a user name or password/,
      ],
      ['a path in the input name', (b) => (b.input.name = '../../etc/cron.d/x'), /input\.name: not a plain file name/],
      [
        'a strategy that is not a name',
        (b) => (b.spec.strategy = '../../bin/sh'),
        /spec\.strategy: not a valid strategy name/,
      ],
      ['an index that is not a number', (b) => (b.spec.index = `0; touch ${m.path}`), /spec\.index/],
      ['a size factor out of range', (b) => (b.spec.sizeFactor = -1), /spec\.sizeFactor/],
      ['a timeout out of range', (b) => (b.spec.timeoutSec = 1e12), /spec\.timeoutSec/],
      ['an unknown input format', (b) => (b.spec.inputFormat = 'geo'), /spec\.inputFormat/],
      ['a sha256 that is not one', (b) => (b.input.sha256 = 'abc'), /input\.sha256/],
      ['an object key with odd characters', (b) => (b.outputs.result.key = 'jobs/x/../../y z'), /outputs\.result\.key/],
      ['an unknown top-level field', (b) => (b.command = `touch ${m.path}`), /command/],
      [
        'a group name that is not a name',
        (b) => (b.spec.groups = [{ name: 'a;b', label: 'x', dim: 2, tags: [1], physical: 1 }]),
        /spec\.groups/,
      ],
    ];
    for (const [what, mutate, reason] of cases) {
      const b = structuredClone(good);
      mutate(b);
      const r = await post(b);
      expect(r.status, what).toBe(400);
      expect((await r.json()).error.message, what).toMatch(reason);
    }
    expect((await post('x'.repeat(2 << 20))).status).toBe(413);
    expect((await post('[1, 2]')).status).toBe(400);
    const deep = await post('['.repeat(100_000) + ']'.repeat(100_000)); // deeper than Python's parser can go
    expect(deep.status).toBe(400);
    expect((await deep.json()).error.message).toMatch(/not JSON \(or nested too deep\)/);
    expect((await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/jobs/fc%20x%3Bid`, { headers: auth() })).status).toBe(400);
    expect((await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/jobs/fc-x/logs?after=-5`, { headers: auth() })).status).toBe(
      400,
    );
    // The preview route is gone: nothing called it.
    expect(
      (await fetch(`${cloud.env.MESHBENCH_MODAL_URL}/preview`, { method: 'POST', headers: auth(), body: '{}' })).status,
    ).toBe(404);
    expect(existsSync(m.path)).toBe(false);
  });

  it('refuses an oversized body while reading it: 4 MiB of a 300 MiB POST get the 413, the rest never sent', async () => {
    for (const chunked of [false, true]) {
      // Reading to the end before judging would wait for 296 MiB that never come: no answer, and the test fails.
      const r = await postPrefix(cloud.env.MESHBENCH_MODAL_URL, auth(), 300 << 20, 4 << 20, chunked);
      expect(r.status, `chunked: ${chunked}`).toBe(413);
    }
  });

  it('the downloader reads the URL the check read: a URL two parsers disagree on is refused, not retried', () => {
    const s3host = new URL(cloud.env.MESHBENCH_S3_ENDPOINT).host;
    const out = execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        `import json, sys, worker_body
try:
    worker_body.download(sys.argv[1], "/dev/null", "0" * 64)
except worker_body.WorkerError as e:
    print(json.dumps({"code": e.code, "infra": e.infra, "message": str(e)}))`,
        `http://127.0.0.1:1\\@${s3host}/x`,
      ],
      { cwd: join(repoRoot, 'gpu-worker'), env: { ...process.env, MESHBENCH_STORE_ORIGINS: `http://${s3host}` } },
    );
    const e = JSON.parse(out.toString());
    expect(e).toMatchObject({ code: 'bad-request', infra: false });
    expect(e.message).toMatch(/input URL refused: must be a plain http\(s\) URL/);
  });

  it('a Gmsh script sent as the input is refused by the runner on the worker; the command never runs', async () => {
    const m = marker();
    const part = join(tmpHome('meshbench-hostile-'), 'z.Step');
    writeFileSync(part, `ISO-10303-21;\nHEADER;\nSystemCall "touch ${m.path}";\n`);
    const body = await submitBody(s3, part, 'hostile-2');
    const final = await client.wait(await client.submit(body));
    expect(final.status).toBe('completed'); // the worker ran and reported: the attempt itself failed
    if (final.status !== 'completed') return;
    expect(final.result.outcome.status).toBe('failed');
    expect(final.result.outcome.error).toMatch(/this file is a Gmsh script, not a STEP file/);
    expect(final.result.outcome.argv).toEqual([]);
    expect(existsSync(m.path)).toBe(false);
  });

  it('the client believes a mesh only at the key it presigned', async () => {
    // Submitted with another mesh key than the executor presigns for this attempt: the worker reports that key.
    const jobId = 'keycheck-1';
    const body = await submitBody(s3, demoPart('bracket.step'), jobId);
    const callId = await client.submit(body);
    const ex = new ModalExecutor(modalUsable('modal', resolveOffloadConfig({ env: cloud.env }), null).settings!);
    try {
      const logs: string[] = [];
      const job = {
        jobId,
        log: (_l: string, t: string) => logs.push(t),
        phase: () => undefined,
        transfer: () => undefined,
      } as never;
      const ctx = {
        signal: new AbortController().signal,
        log: () => undefined,
        progress: () => undefined,
        remote: () => undefined,
      };
      const o = await ex.attach(callId, body.spec as never, job, ctx);
      expect(o.status).toBe('failed');
      expect(o.error).toMatch(/reported its mesh at jobs\/keycheck-1\/0\/mesh\.msh, not at .*attempt-0-default\.msh/);
    } finally {
      await ex.dispose();
    }
  });
});

describe('cancelling an offloaded job', () => {
  it('cancels the remote call and leaves no worker process behind', async () => {
    const m = managerFor(cloudEnv(cloud));
    try {
      const id = m.submit(spec(hardPart('sliver-boss.step'), 'modal', { sizeFactor: 0.15 }));
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
