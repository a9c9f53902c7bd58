// S3 storage for the offload path: content-addressed inputs, per-attempt outputs, presigned URLs for the worker,
// sha256 verification of every object moved, and retries that survive throttling, 5xx and dropped connections.
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sha256File } from '../util/hash';

export interface S3Settings {
  bucket: string;
  region: string;
  /** Custom S3-compatible endpoint (MinIO, s3rver, R2...); null for AWS itself. */
  endpoint: string | null;
  /** Explicit keys; absent: the SDK's standard chain (env, profiles, SSO, IMDS). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** A named profile of ~/.aws/config (when no explicit keys). */
  profile?: string;
  /** Files at or above this size go up as multipart (default 16 MiB). */
  multipartThreshold?: number;
  /** Multipart part size (default 16 MiB; S3's minimum is 5 MiB). */
  partSize?: number;
  /** Whole-operation tries on top of the SDK's own per-request retries (default 4). */
  tries?: number;
  /** Base delay of the exponential backoff, ms (default 200). */
  backoffMs?: number;
}

export type S3ErrorKind = 'credentials' | 'bucket' | 'network' | 'integrity' | 'not-found' | 'server' | 'other';

/** An S3 failure explained: what went wrong, on which bucket/endpoint, and what to fix. */
export class S3Error extends Error {
  constructor(
    readonly kind: S3ErrorKind,
    message: string,
    readonly hint: string,
    readonly tries = 1,
  ) {
    super(message);
    this.name = 'S3Error';
  }
}

export type S3Event = { ok: boolean; op: string; key: string; bytes: number; ms: number; tries: number; detail: string };

export interface TransferResult {
  key: string;
  bytes: number;
  sha256: string;
  /** Bytes actually sent over the wire (0 when the content-addressed object was already there). */
  uploadedBytes: number;
  tries: number;
  /** Downloads: milliseconds spent hashing and checking the bytes (overlapping the transfer). */
  verifyMs?: number;
}

const RETRYABLE_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE', 'TimeoutError', 'RequestTimeout', 'SlowDown', 'Throttling',
  'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'InternalError', 'ServiceUnavailable',
]);


/** S3 keys: inputs by content, outputs per job and attempt. */
export const keys = {
  input: (sha256: string, fileName: string) => `inputs/${sha256}/${safeName(fileName)}`,
  output: (jobId: string, attempt: number, fileName: string) => `jobs/${jobId}/${attempt}/${safeName(fileName)}`,
};

function safeName(name: string): string {
  const b = basename(name).replace(/[^A-Za-z0-9._-]+/g, '_');
  return b.length ? b : 'file';
}

const uploadsInFlight = new Map<string, Promise<TransferResult>>();

export class S3Store {
  readonly client: S3Client;
  readonly bucket: string;
  readonly where: string;
  private readonly tries: number;
  private readonly backoffMs: number;
  private readonly multipartThreshold: number;
  private readonly partSize: number;

  constructor(
    readonly settings: S3Settings,
    private readonly onEvent?: (e: S3Event) => void,
  ) {
    this.bucket = settings.bucket;
    this.where = `bucket "${settings.bucket}" at ${settings.endpoint ?? `AWS S3 (${settings.region})`}`;
    this.tries = settings.tries ?? 4;
    this.backoffMs = settings.backoffMs ?? 200;
    this.multipartThreshold = settings.multipartThreshold ?? 16 * 1024 * 1024;
    this.partSize = Math.max(5 * 1024 * 1024, settings.partSize ?? 16 * 1024 * 1024);
    const cfg: S3ClientConfig = {
      region: settings.region,
      // The SDK retries single requests (exponential backoff + jitter on throttling, 5xx, transient errors);
      // withRetry() below adds whole-operation retries for streamed bodies and cut downloads.
      maxAttempts: 3,
      retryMode: 'standard',
    };
    // A bucket in another region than AWS_REGION answers with a redirect; follow it instead of failing.
    if (!settings.endpoint) cfg.followRegionRedirects = true;
    if (settings.credentials) cfg.credentials = settings.credentials;
    else if (settings.profile) cfg.profile = settings.profile;
    if (settings.endpoint) {
      cfg.endpoint = settings.endpoint;
      cfg.forcePathStyle = true;
      // S3-compatible stores rarely speak the newer flexible (CRC) checksums; we verify sha256 ourselves.
      cfg.requestChecksumCalculation = 'WHEN_REQUIRED';
      cfg.responseChecksumValidation = 'WHEN_REQUIRED';
    }
    this.client = new S3Client(cfg);
  }

  /** Fails with a clear S3Error unless the bucket exists and the credentials may use it. */
  async checkBucket(): Promise<void> {
    await this.withRetry('check bucket', '', 2, async () => {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return 0;
    });
  }

  async head(key: string): Promise<{ bytes: number; sha256: string | null } | null> {
    try {
      const r = await this.withRetry('head', key, this.tries, () =>
        this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })),
      );
      return { bytes: r.ContentLength ?? 0, sha256: r.Metadata?.sha256 ?? null };
    } catch (e) {
      if (e instanceof S3Error && e.kind === 'not-found') return null;
      throw e;
    }
  }

  /**
   * Stages an input by content: HEAD first, and no upload when an object with the same sha256 is already there
   * (then uploadedBytes is 0). A same-key object with a different or missing sha256 is replaced.
   */
  async ensureInput(
    path: string,
    sha256: string,
    fileName: string,
    onProgress?: (sent: number, total: number) => void,
    /** Awaited after the HEAD and before any upload (e.g. the worker's health check): no bytes sent if it fails. */
    gate?: Promise<unknown>,
  ): Promise<TransferResult> {
    const key = keys.input(sha256, fileName);
    // Jobs of one process submitting the same file at once share a single upload.
    const flightKey = `${this.where}\n${key}`;
    const inFlight = uploadsInFlight.get(flightKey);
    if (inFlight) {
      await inFlight.catch(() => undefined);
    }
    const p = this.ensureInputOnce(key, path, sha256, onProgress, gate);
    if (!inFlight) {
      uploadsInFlight.set(flightKey, p);
      p.finally(() => uploadsInFlight.delete(flightKey)).catch(() => undefined);
    }
    return p;
  }

  private async ensureInputOnce(key: string, path: string, sha256: string, onProgress?: (sent: number, total: number) => void, gate?: Promise<unknown>): Promise<TransferResult> {
    let existing;
    try {
      existing = await this.head(key);
    } catch (e) {
      this.onEvent?.({ ok: false, op: 'head', key, bytes: 0, ms: 0, tries: this.tries, detail: (e as Error).message });
      throw e;
    }
    const { size } = await stat(path);
    await gate;
    if (existing && existing.sha256 === sha256 && existing.bytes === size) {
      this.onEvent?.({ ok: true, op: 'dedupe', key, bytes: 0, ms: 0, tries: 1, detail: 'already present' });
      return { key, bytes: size, sha256, uploadedBytes: 0, tries: 1 };
    }
    return this.putFile(key, path, sha256, onProgress);
  }

  /** Uploads a file (multipart above the threshold) with its sha256 in the object's metadata, then verifies it. */
  async putFile(
    key: string,
    path: string,
    sha256?: string,
    onProgress?: (sent: number, total: number) => void,
  ): Promise<TransferResult> {
    const digest = sha256 ?? (await sha256File(path));
    const { size } = await stat(path);
    let tries = 0;
    const t0 = Date.now();
    try {
      await this.withRetry('upload', key, this.tries, async () => {
        tries++;
        if (size >= this.multipartThreshold) {
          const up = new Upload({
            client: this.client,
            params: { Bucket: this.bucket, Key: key, Body: createReadStream(path), Metadata: { sha256: digest }, ContentLength: size },
            partSize: this.partSize,
            queueSize: 4,
            leavePartsOnError: false,
          });
          up.on('httpUploadProgress', (p) => onProgress?.(p.loaded ?? 0, size));
          await up.done();
        } else {
          // Small bodies go as a buffer, so the SDK itself can replay them on a retry.
          await this.client.send(
            new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: await readFile(path), ContentLength: size, Metadata: { sha256: digest } }),
          );
          onProgress?.(size, size);
        }
        return size;
      });
      // The store must now hold exactly what we hashed.
      const h = await this.head(key);
      if (!h || h.bytes !== size || h.sha256 !== digest) {
        throw new S3Error(
          'integrity',
          `Upload of ${path} to ${this.where} (key ${key}) did not verify: stored ${h ? `${h.bytes} bytes, sha256 ${h.sha256}` : 'nothing'}, expected ${size} bytes, sha256 ${digest}.`,
          'Retry the job; if it keeps failing the store or a proxy in between alters objects.',
        );
      }
    } catch (e) {
      this.onEvent?.({ ok: false, op: 'upload', key, bytes: size, ms: Date.now() - t0, tries, detail: (e as Error).message });
      throw e;
    }
    this.onEvent?.({ ok: true, op: 'upload', key, bytes: size, ms: Date.now() - t0, tries, detail: '' });
    return { key, bytes: size, sha256: digest, uploadedBytes: size, tries };
  }

  /**
   * Downloads an object to `dest` (written beside it, renamed when complete) and checks its sha256 against
   * `expectedSha256`, else the object's own metadata. A mismatch is an S3Error of kind 'integrity', dest untouched.
   */
  async getFile(key: string, dest: string, expectedSha256?: string | null): Promise<TransferResult> {
    const tmp = `${dest}.part-${process.pid}-${Date.now()}`;
    let tries = 0;
    const t0 = Date.now();
    try {
      let hashMs = 0;
      const { bytes, sha256, meta } = await this.withRetry('download', key, this.tries, async () => {
        tries++;
        hashMs = 0;
        const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
        const h = createHash('sha256');
        let n = 0;
        const tap = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            const t = performance.now();
            h.update(chunk);
            hashMs += performance.now() - t;
            n += chunk.length;
            cb(null, chunk);
          },
        });
        await pipeline(r.Body as Readable, tap, createWriteStream(tmp));
        if (r.ContentLength != null && n !== r.ContentLength) {
          throw Object.assign(new Error(`connection dropped after ${n} of ${r.ContentLength} bytes`), { code: 'ECONNRESET' });
        }
        return { bytes: n, sha256: h.digest('hex'), meta: r.Metadata?.sha256 ?? null };
      });
      const tv = performance.now();
      const expected = expectedSha256 ?? meta;
      if (!expected) {
        throw new S3Error('integrity', `Object ${key} in ${this.where} carries no sha256 to verify against.`, 'Upload it through MeshBench, which records the sha256.');
      }
      if (expected !== sha256) {
        throw new S3Error(
          'integrity',
          `sha256 mismatch for ${key} from ${this.where}: expected ${expected}, got ${sha256} (${bytes} bytes).`,
          'The object was altered or corrupted in transit or at rest; the download was discarded. Re-run the job.',
          tries,
        );
      }
      await rename(tmp, dest);
      const verifyMs = Math.round((hashMs + performance.now() - tv) * 10) / 10;
      this.onEvent?.({ ok: true, op: 'download', key, bytes, ms: Date.now() - t0, tries, detail: '' });
      return { key, bytes, sha256, uploadedBytes: 0, tries, verifyMs };
    } catch (e) {
      await rm(tmp, { force: true });
      this.onEvent?.({ ok: false, op: 'download', key, bytes: 0, ms: Date.now() - t0, tries, detail: (e as Error).message });
      throw e;
    }
  }

  presignGet(key: string, expiresSec = 3600): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: expiresSec });
  }

  presignPut(key: string, expiresSec = 3600): Promise<string> {
    return getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: expiresSec });
  }

  /** Runs `fn`, retrying retryable failures with exponential backoff and full jitter; maps errors to S3Error. */
  private async withRetry<T>(op: string, key: string, tries: number, fn: () => Promise<T>): Promise<T> {
    let last: unknown;
    for (let i = 1; i <= tries; i++) {
      try {
        return await fn();
      } catch (e) {
        last = e;
        if (e instanceof S3Error || !isRetryable(e) || i === tries) break;
        const cap = this.backoffMs * 2 ** (i - 1);
        await new Promise((r) => setTimeout(r, cap / 2 + Math.random() * cap));
      }
    }
    if (last instanceof S3Error) throw last;
    throw this.explain(op, key, last, tries);
  }

  /** Turns an SDK/network error into a message that names the bucket/endpoint and says what to fix. */
  explain(op: string, key: string, e: unknown, tries: number): S3Error {
    const err = e as { name?: string; code?: string; message?: string; Code?: string; $metadata?: { httpStatusCode?: number }; cause?: { code?: string } };
    const status = err.$metadata?.httpStatusCode;
    const code = err.Code ?? err.code ?? err.cause?.code ?? err.name ?? '';
    const what = `${op}${key ? ` ${key}` : ''} on ${this.where}`;
    const after = tries > 1 ? ` (after ${tries} tries)` : '';
    if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidToken', 'ExpiredToken', 'CredentialsProviderError', 'AccessDenied'].includes(code) || status === 403 || /credential/i.test(err.message ?? '')) {
      return new S3Error('credentials', `S3 refused the credentials for ${what}: ${code || status} ${err.message ?? ''}`.trim(),
        'Check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) and that they may read and write this bucket.', tries);
    }
    if (code === 'NoSuchBucket' || (op === 'check bucket' && status === 404)) {
      return new S3Error('bucket', `The bucket "${this.bucket}" does not exist at ${this.settings.endpoint ?? `AWS S3 (${this.settings.region})`}.`,
        'Create it, or set MESHBENCH_S3_BUCKET to an existing bucket.', tries);
    }
    if (status === 404 || code === 'NotFound' || code === 'NoSuchKey') {
      return new S3Error('not-found', `No object ${key} in ${this.where}.`, 'It may have expired or been deleted; re-run the job.', tries);
    }
    if (isNetwork(e)) {
      return new S3Error('network', `Cannot reach ${this.where} for ${op}${after}: ${code || err.message}.`,
        'Check the network and MESHBENCH_S3_ENDPOINT (for `meshbench cloud-local`, that it is still running).', tries);
    }
    if (status && status >= 500) {
      return new S3Error('server', `S3 kept failing for ${what}${after}: HTTP ${status} ${code}.`, 'The store is having trouble; retry later or switch to --backend local.', tries);
    }
    return new S3Error('other', `S3 ${what} failed${after}: ${code} ${err.message ?? String(e)}`.trim(), 'See the message above.', tries);
  }
}

function isNetwork(e: unknown): boolean {
  const err = e as { code?: string; name?: string; cause?: { code?: string }; message?: string };
  const c = err.code ?? err.cause?.code ?? err.name ?? '';
  return ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'TimeoutError', 'ERR_STREAM_PREMATURE_CLOSE'].includes(c)
    || /socket hang up|aborted|premature close/i.test(err.message ?? '');
}

function isRetryable(e: unknown): boolean {
  const err = e as { code?: string; name?: string; Code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = err.$metadata?.httpStatusCode;
  if (status === 429 || (status != null && status >= 500)) return true;
  if (RETRYABLE_CODES.has(err.Code ?? '') || RETRYABLE_CODES.has(err.code ?? '') || RETRYABLE_CODES.has(err.name ?? '')) return true;
  return isNetwork(e);
}
