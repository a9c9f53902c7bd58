// The S3 client against a real S3-compatible server (s3rver), and through a fault-injecting proxy.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Error, S3Store, keys } from '../../src/cloud/s3';
import { sha256File } from '../../src/util/hash';
import { demoPart, hardPart } from '../helpers/paths';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy';
import { s3rverCreds, startS3rver } from './helpers/s3rver';

const tmp = mkdtempSync(join(tmpdir(), 'meshbench-s3test-'));
let srv: Awaited<ReturnType<typeof startS3rver>>;
const store = (over: Partial<ConstructorParameters<typeof S3Store>[0]> = {}) =>
  new S3Store({
    bucket: srv.bucket,
    region: 'us-east-1',
    endpoint: srv.url,
    credentials: s3rverCreds,
    backoffMs: 20,
    ...over,
  });

beforeAll(async () => {
  srv = await startS3rver();
});
afterAll(async () => {
  await srv?.close();
});

describe('S3Store on s3rver', () => {
  it('uploads an input once: a second ensureInput of the same content sends 0 bytes', async () => {
    const part = demoPart('bracket.step');
    const sha = await sha256File(part);
    const s = store();
    const first = await s.ensureInput(part, sha, 't20_data.step');
    expect(first.key).toBe(`inputs/${sha}/t20_data.step`);
    expect(first.uploadedBytes).toBe(readFileSync(part).length);
    const second = await s.ensureInput(part, sha, 't20_data.step');
    expect(second.uploadedBytes).toBe(0);
    expect((await s.head(first.key))?.sha256).toBe(sha);
  });

  it('multipart-uploads a large file with progress and downloads it verified', async () => {
    const big = join(tmp, 'big.bin');
    writeFileSync(big, randomBytes(12 * 1024 * 1024 + 123));
    const s = store({ multipartThreshold: 6 * 1024 * 1024, partSize: 5 * 1024 * 1024 });
    const progress: number[] = [];
    const r = await s.putFile(keys.output('job1', 0, 'big.bin'), big, undefined, (sent) => progress.push(sent));
    expect(r.uploadedBytes).toBe(12 * 1024 * 1024 + 123);
    expect(progress.length).toBeGreaterThanOrEqual(3); // one event per part at least
    expect(progress.at(-1)).toBe(r.bytes);
    const back = join(tmp, 'big.back');
    const d = await s.getFile(r.key, back);
    expect(d.sha256).toBe(createHash('sha256').update(readFileSync(big)).digest('hex'));
  });

  it('detects a sha256 mismatch and leaves no file behind', async () => {
    const s = store();
    const f = join(tmp, 'a.txt');
    writeFileSync(f, 'original content');
    const r = await s.putFile('jobs/x/0/a.txt', f);
    // Someone replaces the object behind our back, keeping the old sha256 in its metadata.
    await s.client.send(
      new PutObjectCommand({
        Bucket: srv.bucket,
        Key: r.key,
        Body: 'tampered content',
        Metadata: { sha256: r.sha256 },
      }),
    );
    const dest = join(tmp, 'a.back');
    const err = await s.getFile(r.key, dest).catch((e) => e);
    expect(err).toBeInstanceOf(S3Error);
    expect(err.kind).toBe('integrity');
    expect(err.message).toMatch(/sha256 mismatch for jobs\/x\/0\/a.txt/);
    expect(existsSync(dest)).toBe(false);
  });

  it('presigned GET/PUT work without credentials', async () => {
    const s = store();
    const put = await s.presignPut('jobs/p/0/hello.txt');
    expect((await fetch(put, { method: 'PUT', body: 'hello' })).status).toBe(200);
    const get = await s.presignGet('jobs/p/0/hello.txt');
    expect(await (await fetch(get)).text()).toBe('hello');
  });

  it('names the bucket and what to fix: bad credentials, missing bucket, no network', async () => {
    // s3rver checks the access key id (it does not verify v4 signatures): an unknown key is refused like on AWS.
    const bad = await store({ credentials: { accessKeyId: 'AKIAWRONGKEY', secretAccessKey: 'wrong' } })
      .checkBucket()
      .catch((e) => e);
    expect(bad).toBeInstanceOf(S3Error);
    expect(bad.kind).toBe('credentials');
    expect(bad.message).toContain(srv.bucket);
    expect(bad.hint).toMatch(/AWS_ACCESS_KEY_ID/);

    const missing = await store({ bucket: 'no-such-bucket' })
      .checkBucket()
      .catch((e) => e);
    expect(missing.kind).toBe('bucket');
    expect(missing.message).toMatch(/"no-such-bucket" does not exist at http:\/\/127\.0\.0\.1/);

    const down = await store({ endpoint: 'http://127.0.0.1:9' })
      .checkBucket()
      .catch((e) => e);
    expect(down.kind).toBe('network');
    expect(down.message).toMatch(/Cannot reach bucket "meshbench-test" at http:\/\/127\.0\.0\.1:9/);
  });
});

describe('S3Store through a faulty network', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(srv.url);
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('retries 500s, SlowDown and dropped connections, then succeeds', async () => {
    const part = hardPart('small-fillet.step');
    const copy = join(tmp, 'wrench-copy.stp');
    copyFileSync(part, copy);
    const sha = await sha256File(copy);
    // Every request fails the first time it is seen in a different way.
    const seen = new Map<string, number>();
    proxy.plan = (_n, req) => {
      const k = `${req.method} ${req.url}`;
      const c = (seen.get(k) ?? 0) + 1;
      seen.set(k, c);
      if (c === 1) return req.method === 'HEAD' ? '503' : req.method === 'PUT' ? 'drop' : '500';
      if (c === 2 && req.method === 'GET') return 'cut';
      return 'pass';
    };
    const s = store({ endpoint: proxy.url });
    const up = await s.ensureInput(copy, sha, 'wrench.stp');
    expect(up.uploadedBytes).toBe(readFileSync(copy).length);
    const dest = join(tmp, 'wrench.back');
    const down = await s.getFile(up.key, dest, sha);
    expect(down.sha256).toBe(sha);
    const faults = proxy.log.filter((l) => l.fault !== 'pass').map((l) => l.fault);
    expect(faults).toEqual(expect.arrayContaining(['503', 'drop', '500', 'cut']));
  });

  it('gives up with a clear error when the store keeps failing', async () => {
    proxy.plan = () => 'pass';
    const events: boolean[] = [];
    const s = new S3Store(
      {
        bucket: srv.bucket,
        region: 'us-east-1',
        endpoint: proxy.url,
        credentials: s3rverCreds,
        backoffMs: 10,
        tries: 2,
      },
      (e) => events.push(e.ok),
    );
    await s.checkBucket(); // the bucket's region is found once, before the store starts failing
    proxy.plan = () => '500';
    const f = join(tmp, 'b.txt');
    writeFileSync(f, 'payload');
    const err = await s.putFile('jobs/y/0/b.txt', f).catch((e) => e);
    expect(err).toBeInstanceOf(S3Error);
    expect(err.kind).toBe('server');
    expect(err.message).toMatch(/S3 kept failing for upload jobs\/y\/0\/b.txt on bucket "meshbench-test".*HTTP 500/);
    expect(events).toContain(false);
  });
});
