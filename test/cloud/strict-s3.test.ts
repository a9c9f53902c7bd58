// S3 as AWS behaves: the client against the strict front (AWS's region, signature and checksum rules) in front of
// a real s3rver. The bucket is in a region nobody configured.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PRESIGN_S, S3Error, S3Store } from '../../src/cloud/s3';
import { startStrictS3, type StrictS3Front } from '../../src/cloud/strict-s3';
import { repoRoot } from '../helpers/paths';
import { startFaultProxy } from './helpers/fault-proxy';
import { s3rverCreds, startS3rver } from './helpers/s3rver';

const tmp = mkdtempSync(join(tmpdir(), 'meshbench-strict-'));
const REGION = 'ap-southeast-2';
let srv: Awaited<ReturnType<typeof startS3rver>>;
let front: StrictS3Front;
const store = (over: Partial<ConstructorParameters<typeof S3Store>[0]> = {}) =>
  new S3Store({
    bucket: srv.bucket,
    region: 'us-east-1',
    endpoint: front.url,
    credentials: s3rverCreds,
    backoffMs: 10,
    ...over,
  });
/** A client as the SDK configures itself by default (no region discovery, default checksum mode). */
const rawClient = (region: string) =>
  new S3Client({ region, endpoint: front.url, forcePathStyle: true, credentials: s3rverCreds, maxAttempts: 1 });

beforeAll(async () => {
  srv = await startS3rver('meshbench-strict');
  front = await startStrictS3({
    target: srv.url,
    region: REGION,
    accounts: { S3RVER: 'S3RVER', EXPIRING: 'EXPIRING' },
  });
});
afterAll(async () => {
  await front?.close();
  await srv?.close();
});

describe('the strict front answers as AWS does', () => {
  it('refuses unsigned requests, bad signatures and wrong-region requests (301 + x-amz-bucket-region)', async () => {
    expect((await fetch(`${front.url}/${srv.bucket}/x`)).status).toBe(403);
    const wrongSecret = new S3Client({
      region: REGION,
      endpoint: front.url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'nope' },
      maxAttempts: 1,
    });
    const bad = await wrongSecret
      .send(new PutObjectCommand({ Bucket: srv.bucket, Key: 'k', Body: 'x' }))
      .catch((e) => e);
    expect(bad.name).toBe('SignatureDoesNotMatch');
    const wrong = await getSignedUrl(rawClient('us-east-1'), new GetObjectCommand({ Bucket: srv.bucket, Key: 'k' }), {
      expiresIn: 60,
    });
    const r = await fetch(wrong);
    expect(r.status).toBe(301);
    expect(r.headers.get('x-amz-bucket-region')).toBe(REGION);
  });

  it("enforces checksums: the SDK's default presigned PUT (CRC32 of an empty body) is refused with BadDigest", async () => {
    const url = await getSignedUrl(
      rawClient(REGION),
      new PutObjectCommand({ Bucket: srv.bucket, Key: 'jobs/d/0/a.msh' }),
      { expiresIn: 60 },
    );
    expect(url).toMatch(/x-amz-checksum-crc32=AAAAAA/);
    const r = await fetch(url, { method: 'PUT', body: 'a mesh' });
    expect(r.status).toBe(400);
    expect(await r.text()).toMatch(/BadDigest/);
  });
});

describe('S3Store through the strict front', () => {
  it("discovers the bucket's region once and signs every call and presigned URL for it", async () => {
    const s = store();
    const f = join(tmp, 'in.step');
    writeFileSync(f, 'ISO-10303-21;\nEND-ISO-10303-21;\n');
    const before = front.refused.length;
    const up = await s.putFile('inputs/abc/in.step', f);
    expect(s.region).toBe(REGION);
    // One wrong-region answer (the discovery), none after.
    expect(front.refused.slice(before).map((x) => x.status)).toEqual([301]);
    const get = await s.presignGet(up.key);
    expect(get).toContain(`%2F${REGION}%2Fs3%2F`);
    expect((await fetch(get)).status).toBe(200);
    // The worker's upload: a presigned PUT with no checksum in it, any body accepted.
    const put = await s.presignPut('jobs/j/0/mesh.msh');
    expect(put).not.toMatch(/x-amz-checksum|x-amz-sdk-checksum/i);
    expect((await fetch(put, { method: 'PUT', body: "the worker's mesh" })).status).toBe(200);
    const back = join(tmp, 'in.back');
    expect((await s.getFile(up.key, back)).sha256).toBe(up.sha256);
    expect(front.refused.slice(before)).toHaveLength(1);
  });

  it('says so for a wrong region, a refused checksum and expired credentials', async () => {
    const s = store();
    await s.checkBucket();
    const wrongRegion = await rawClient('us-east-1')
      .send(new GetObjectCommand({ Bucket: srv.bucket, Key: 'inputs/abc/in.step' }))
      .catch((e) => e);
    const e1 = s.explain('download', 'inputs/abc/in.step', wrongRegion, 1);
    expect(e1.kind).toBe('region');
    expect(e1.message).toContain(`is in region ${REGION}`);
    expect(e1.hint).toContain(`AWS_REGION=${REGION}`);

    const url = await getSignedUrl(
      rawClient(REGION),
      new PutObjectCommand({ Bucket: srv.bucket, Key: 'k2', ChecksumCRC32: 'AAAAAA==' }),
      { expiresIn: 60 },
    );
    const badDigest = await rawClient(REGION)
      .send(new PutObjectCommand({ Bucket: srv.bucket, Key: 'k2', Body: 'abc', ChecksumCRC32: 'AAAAAA==' }))
      .catch((e) => e);
    expect(url).toContain('x-amz-checksum-crc32');
    const e2 = s.explain('upload', 'k2', badDigest, 1);
    expect(e2.kind).toBe('checksum');
    expect(e2.message).toMatch(/refused the checksum of upload k2.*BadDigest/);

    const exp = store({ credentials: { accessKeyId: 'EXPIRING', secretAccessKey: 'EXPIRING' } });
    front.expire('EXPIRING');
    const e3 = await exp.checkBucket().catch((e) => e);
    expect(e3).toBeInstanceOf(S3Error);
    expect(e3.kind).toBe('credentials');
    expect(e3.message).toMatch(/credentials .* have expired \(ExpiredToken\)/);
  });

  it('modal:deploy asks the bucket for its region, so the worker is allowed the region presigned URLs point to', async () => {
    const { discoverRegion } = await import(join(repoRoot, 'scripts', 'modal-deploy.mjs'));
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    try {
      expect(await discoverRegion(srv.bucket, 'us-east-1', front.url)).toBe(REGION);
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });

  it('a presigned URL never outlives 7 days nor the credentials that signed it', async () => {
    expect(await store().presignTtl(30 * 24 * 3600)).toBe(MAX_PRESIGN_S);
    const url = await store().presignGet('inputs/abc/in.step', 30 * 24 * 3600);
    expect(url).toContain(`X-Amz-Expires=${MAX_PRESIGN_S}`);
    expect((await fetch(url)).status).toBe(200); // the front refuses anything longer, as AWS does
    const inAnHour = new Date(Date.now() + 3600_000);
    const session = store({ credentials: { ...s3rverCreds, sessionToken: 'tok', expiration: inAnHour } });
    const ttl = await session.presignTtl(6 * 3600);
    expect(ttl).toBeLessThanOrEqual(3600);
    expect(ttl).toBeGreaterThan(3500);
    const dying = store({ credentials: { ...s3rverCreds, expiration: new Date(Date.now() + 10_000) } });
    const e = await dying.presignTtl(600).catch((x) => x);
    expect(e.kind).toBe('credentials');
    expect(e.message).toMatch(/expire in \d+ s/);
  });
});

describe('timeouts, cancel and one retry layer', () => {
  let blackhole: Server;
  const held: import('node:net').Socket[] = [];
  let url = '';
  beforeAll(async () => {
    // Accepts connections and never answers: a half-open connection.
    blackhole = createServer((sock) => void held.push(sock));
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(blackhole.address() as { port: number }).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        held.forEach((sock) => sock.destroy());
        blackhole.close(() => r());
      }),
  );

  it('a connection that never answers ends in a clear network failure, not a hang', async () => {
    const t0 = Date.now();
    const e = await store({ endpoint: url, idleTimeoutMs: 700, tries: 2 })
      .checkBucket()
      .catch((x) => x);
    expect(e).toBeInstanceOf(S3Error);
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(
      /Cannot reach bucket "meshbench-strict" at http:\/\/127\.0\.0\.1:\d+ for check bucket \(after 2 tries\)/,
    );
    expect(Date.now() - t0).toBeLessThan(8000);
  });

  it("the job's cancel signal stops a transfer at once", async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 200);
    const e = await store({ endpoint: url, idleTimeoutMs: 60_000 })
      .head('inputs/x/y', ac.signal)
      .catch((x) => x);
    expect(e.kind).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('the SDK does not retry on its own: tries=2 sends exactly 2 requests to a failing store', async () => {
    const proxy = await startFaultProxy(srv.url, () => '500');
    try {
      const e = await new S3Store({
        bucket: srv.bucket,
        region: 'us-east-1',
        endpoint: proxy.url,
        credentials: s3rverCreds,
        backoffMs: 5,
        tries: 2,
      })
        .checkBucket()
        .catch((x) => x);
      expect(e.kind).toBe('server');
      expect(proxy.log).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });
});
