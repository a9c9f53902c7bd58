// S3 storage for the offload path: content-addressed inputs, per-attempt outputs, presigned URLs for the worker,
// sha256 verification of every object moved, and retries that survive throttling, 5xx and dropped connections.
// One client configuration serves AWS and any S3-compatible endpoint (the endpoint only changes where requests go);
// the bucket's region is discovered once (HeadBucket, x-amz-bucket-region) and used for every call and presign.
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
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
import { tempPathFor } from '../util/atomic-write';
import { sha256File } from '../util/hash';

export interface S3Settings {
  bucket: string;
  region: string;
  /** Custom S3-compatible endpoint (MinIO, s3rver, R2...); null for AWS itself. */
  endpoint: string | null;
  /** Explicit keys; absent: the SDK's standard chain (env, profiles, SSO, IMDS). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };
  /** A named profile of ~/.aws/config (when no explicit keys). */
  profile?: string;
  /** Files at or above this size go up as multipart (default 16 MiB). */
  multipartThreshold?: number;
  /** Multipart part size (default 16 MiB; S3's minimum is 5 MiB). */
  partSize?: number;
  /** Tries per operation: the one retry layer (the SDK's own retries are off; default 4). */
  tries?: number;
  /** TCP connect timeout, ms (default 5000). */
  connectTimeoutMs?: number;
  /** A connection with no bytes moving for this long is given up (half-open, stalled body), ms (default 30000). */
  idleTimeoutMs?: number;
  /** Base delay of the exponential backoff, ms (default 200). */
  backoffMs?: number;
}

export type S3ErrorKind =
  | 'credentials'
  | 'bucket'
  | 'region'
  | 'checksum'
  | 'network'
  | 'integrity'
  | 'not-found'
  | 'server'
  | 'cancelled'
  | 'other';

/** AWS refuses presigned URLs valid for longer than a week. */
export const MAX_PRESIGN_S = 7 * 24 * 3600;

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

export type S3Event = {
  ok: boolean;
  op: string;
  key: string;
  bytes: number;
  ms: number;
  tries: number;
  detail: string;
};

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

/** Errors of the connection itself (Node's and undici's codes, the SDK's timeout). */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
  'TimeoutError',
]);

/** What our one retry layer retries: the network, and S3's own "try again" answers. */
const RETRYABLE_CODES = new Set([
  ...NETWORK_CODES,
  'RequestTimeout',
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'InternalError',
  'ServiceUnavailable',
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

/**
 * The one client configuration, for AWS and S3-compatible endpoints alike. Checksums beyond what S3 requires stay
 * off everywhere: presigned PUTs would otherwise carry the CRC32 of an empty body, which S3-compatible stores
 * refuse, and the SDK's default changes between versions. Every object's sha256 is verified by MeshBench itself.
 * The SDK does not retry (maxAttempts 1): S3Store.withRetry is the one retry layer.
 */
function s3ClientConfig(settings: S3Settings, region: string): S3ClientConfig {
  const cfg: S3ClientConfig = {
    region,
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: settings.connectTimeoutMs ?? 5000,
      socketTimeout: settings.idleTimeoutMs ?? 30_000,
    },
  };
  if (settings.credentials) cfg.credentials = settings.credentials;
  else if (settings.profile) cfg.profile = settings.profile;
  if (settings.endpoint) {
    cfg.endpoint = settings.endpoint;
    // S3-compatible stores (MinIO, s3rver, SeaweedFS) address buckets by path; virtual hosts need DNS they lack.
    cfg.forcePathStyle = true;
  }
  return cfg;
}

export class S3Store {
  readonly bucket: string;
  readonly where: string;
  private readonly tries: number;
  private readonly backoffMs: number;
  private readonly multipartThreshold: number;
  private readonly partSize: number;
  private current: S3Client;
  private regionNow: string;
  private discovered: Promise<string> | null = null;

  constructor(
    readonly settings: S3Settings,
    private readonly onEvent?: (e: S3Event) => void,
  ) {
    this.bucket = settings.bucket;
    this.where = `bucket "${settings.bucket}" at ${settings.endpoint ?? 'AWS S3'}`;
    this.tries = settings.tries ?? 4;
    this.backoffMs = settings.backoffMs ?? 200;
    this.multipartThreshold = settings.multipartThreshold ?? 16 * 1024 * 1024;
    this.partSize = Math.max(5 * 1024 * 1024, settings.partSize ?? 16 * 1024 * 1024);
    this.regionNow = settings.region;
    this.current = new S3Client(s3ClientConfig(settings, settings.region));
  }

  /** The client for the bucket's region (after region discovery; the configured region before it). */
  get client(): S3Client {
    return this.current;
  }

  /** The region calls are signed for: the bucket's own once discovered. */
  get region(): string {
    return this.regionNow;
  }

  /**
   * Discovers the bucket's region once (HeadBucket: AWS names it in x-amz-bucket-region, on success and on its
   * 301/400 wrong-region answers) and switches the client to it, so calls and presigned URLs are signed for the
   * bucket's region whatever AWS_REGION says. Later calls reuse the answer.
   */
  bucketRegion(signal?: AbortSignal): Promise<string> {
    if (!this.discovered) {
      this.discovered = this.discover(signal);
      // A failed discovery (network down, cancelled) is not remembered: the next call tries again.
      this.discovered.catch(() => (this.discovered = null));
    }
    return this.discovered;
  }

  private async discover(signal?: AbortSignal): Promise<string> {
    const configured = this.settings.region;
    const found = await this.withRetry(
      'check bucket',
      '',
      Math.min(this.tries, 2),
      async () => {
        try {
          const out = await this.current.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: signal });
          return out.BucketRegion || configured;
        } catch (e) {
          const r = regionNamed(e);
          if (r && r !== configured) return r;
          throw await this.withBody(e, signal);
        }
      },
      signal,
    );
    if (found !== this.regionNow) {
      this.current.destroy();
      this.current = new S3Client(s3ClientConfig(this.settings, found));
      this.regionNow = found;
      this.onEvent?.({
        ok: true,
        op: 'region',
        key: '',
        bytes: 0,
        ms: 0,
        tries: 1,
        detail: `bucket is in ${found} (configured ${configured})`,
      });
      // The bucket answered the wrong-region probe; now check the credentials may use it, signed for its region.
      await this.withRetry(
        'check bucket',
        '',
        Math.min(this.tries, 2),
        async () => {
          await this.current.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: signal });
          return 0;
        },
        signal,
      );
    }
    return found;
  }

  /** Fails with a clear S3Error unless the bucket exists and the credentials may use it. */
  /**
   * HEAD answers carry no body, so a refused HeadBucket says only "400" or "403". A one-key listing gets the same
   * refusal with S3's error code (ExpiredToken, InvalidAccessKeyId...), which the message then names.
   */
  private async withBody(e: unknown, signal?: AbortSignal): Promise<unknown> {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 400 && status !== 403) return e;
    try {
      await this.current.send(new ListObjectsV2Command({ Bucket: this.bucket, MaxKeys: 1 }), { abortSignal: signal });
      return e;
    } catch (detailed) {
      return (detailed as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === status
        ? detailed
        : e;
    }
  }

  async checkBucket(signal?: AbortSignal): Promise<void> {
    await this.bucketRegion(signal);
  }

  async head(key: string, signal?: AbortSignal): Promise<{ bytes: number; sha256: string | null } | null> {
    await this.bucketRegion(signal);
    try {
      const r = await this.withRetry(
        'head',
        key,
        this.tries,
        () => this.current.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal }),
        signal,
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
    signal?: AbortSignal,
  ): Promise<TransferResult> {
    const key = keys.input(sha256, fileName);
    // Jobs of one process submitting the same file at once share a single upload.
    const flightKey = `${this.where}\n${key}`;
    const inFlight = uploadsInFlight.get(flightKey);
    if (inFlight) {
      await inFlight.catch(() => undefined);
    }
    const p = this.ensureInputOnce(key, path, sha256, onProgress, gate, signal);
    if (!inFlight) {
      uploadsInFlight.set(flightKey, p);
      p.finally(() => uploadsInFlight.delete(flightKey)).catch(() => undefined);
    }
    return p;
  }

  private async ensureInputOnce(
    key: string,
    path: string,
    sha256: string,
    onProgress?: (sent: number, total: number) => void,
    gate?: Promise<unknown>,
    signal?: AbortSignal,
  ): Promise<TransferResult> {
    let existing;
    try {
      existing = await this.head(key, signal);
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
    return this.putFile(key, path, sha256, onProgress, signal);
  }

  /** Uploads a file (multipart above the threshold) with its sha256 in the object's metadata, then verifies it. */
  async putFile(
    key: string,
    path: string,
    sha256?: string,
    onProgress?: (sent: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<TransferResult> {
    await this.bucketRegion(signal);
    const digest = sha256 ?? (await sha256File(path));
    const { size } = await stat(path);
    let tries = 0;
    const t0 = Date.now();
    try {
      await this.withRetry(
        'upload',
        key,
        this.tries,
        async () => {
          tries++;
          if (size >= this.multipartThreshold) {
            const up = new Upload({
              client: this.current,
              params: {
                Bucket: this.bucket,
                Key: key,
                Body: createReadStream(path),
                Metadata: { sha256: digest },
                ContentLength: size,
              },
              partSize: this.partSize,
              queueSize: 4,
              leavePartsOnError: false,
            });
            up.on('httpUploadProgress', (p) => onProgress?.(p.loaded ?? 0, size));
            const stop = () => void up.abort().catch(() => undefined);
            signal?.addEventListener('abort', stop, { once: true });
            try {
              await up.done();
            } finally {
              signal?.removeEventListener('abort', stop);
            }
          } else {
            // Small bodies go as a buffer: signed with their sha256 and cheap to resend on a retry.
            await this.current.send(
              new PutObjectCommand({
                Bucket: this.bucket,
                Key: key,
                Body: await readFile(path),
                ContentLength: size,
                Metadata: { sha256: digest },
              }),
              { abortSignal: signal },
            );
            onProgress?.(size, size);
          }
          return size;
        },
        signal,
      );
      // The store must now hold exactly what we hashed.
      const h = await this.head(key, signal);
      if (!h || h.bytes !== size || h.sha256 !== digest) {
        throw new S3Error(
          'integrity',
          `Upload of ${path} to ${this.where} (key ${key}) did not verify: stored ${h ? `${h.bytes} bytes, sha256 ${h.sha256}` : 'nothing'}, expected ${size} bytes, sha256 ${digest}.`,
          'Retry the job; if it keeps failing the store or a proxy in between alters objects.',
        );
      }
    } catch (e) {
      this.onEvent?.({
        ok: false,
        op: 'upload',
        key,
        bytes: size,
        ms: Date.now() - t0,
        tries,
        detail: (e as Error).message,
      });
      throw e;
    }
    this.onEvent?.({ ok: true, op: 'upload', key, bytes: size, ms: Date.now() - t0, tries, detail: '' });
    return { key, bytes: size, sha256: digest, uploadedBytes: size, tries };
  }

  /**
   * Downloads an object to `dest` (written beside it, renamed when complete) and checks its sha256 against
   * `expectedSha256`, else the object's own metadata. A mismatch is an S3Error of kind 'integrity', dest untouched.
   */
  async getFile(
    key: string,
    dest: string,
    expectedSha256?: string | null,
    signal?: AbortSignal,
  ): Promise<TransferResult> {
    const tmp = tempPathFor(dest);
    let tries = 0;
    const t0 = Date.now();
    try {
      await this.bucketRegion(signal);
      let hashMs = 0;
      const { bytes, sha256, meta } = await this.withRetry(
        'download',
        key,
        this.tries,
        async () => {
          tries++;
          hashMs = 0;
          const r = await this.current.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
            abortSignal: signal,
          });
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
          // The client's idle timeout also covers the body: a stalled, half-open download errors out.
          await pipeline(r.Body as Readable, tap, createWriteStream(tmp), { signal });
          if (r.ContentLength != null && n !== r.ContentLength) {
            throw Object.assign(new Error(`connection dropped after ${n} of ${r.ContentLength} bytes`), {
              code: 'ECONNRESET',
            });
          }
          return { bytes: n, sha256: h.digest('hex'), meta: r.Metadata?.sha256 ?? null };
        },
        signal,
      );
      const tv = performance.now();
      const expected = expectedSha256 ?? meta;
      if (!expected) {
        throw new S3Error(
          'integrity',
          `Object ${key} in ${this.where} carries no sha256 to verify against.`,
          'Upload it through MeshBench, which records the sha256.',
        );
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
      this.onEvent?.({
        ok: false,
        op: 'download',
        key,
        bytes: 0,
        ms: Date.now() - t0,
        tries,
        detail: (e as Error).message,
      });
      throw e;
    }
  }

  /** A presigned GET for the worker, signed for the bucket's region; see presignTtl for its lifetime. */
  async presignGet(key: string, expiresSec = 3600): Promise<string> {
    await this.bucketRegion();
    return getSignedUrl(this.current, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: await this.presignTtl(expiresSec),
    });
  }

  /** A presigned PUT for the worker: no checksum in it, so any body the worker sends is accepted as signed. */
  async presignPut(key: string, expiresSec = 3600): Promise<string> {
    await this.bucketRegion();
    return getSignedUrl(this.current, new PutObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: await this.presignTtl(expiresSec),
    });
  }

  /**
   * A presigned URL lives at most 7 days (AWS refuses longer) and never beyond the credentials that signed it
   * (a URL signed with a session token dies with the token). Credentials that expire within a minute are refused.
   */
  async presignTtl(wantedSec: number): Promise<number> {
    let ttl = Math.min(Math.max(1, Math.floor(wantedSec)), MAX_PRESIGN_S);
    let expiration: Date | undefined;
    try {
      expiration = (await this.current.config.credentials()).expiration;
    } catch (e) {
      throw this.explain('presign', '', e, 1);
    }
    if (expiration) {
      const left = Math.floor((expiration.getTime() - Date.now()) / 1000);
      if (left < 60) {
        throw new S3Error(
          'credentials',
          `The AWS credentials for ${this.where} expire${left <= 0 ? 'd' : ` in ${left} s`} (at ${expiration.toISOString()}).`,
          'Refresh them (e.g. `aws sso login`, or a new session token) and retry.',
        );
      }
      ttl = Math.min(ttl, left);
    }
    return ttl;
  }

  /** Runs `fn`, retrying retryable failures with exponential backoff and full jitter; maps errors to S3Error. */
  private async withRetry<T>(
    op: string,
    key: string,
    tries: number,
    fn: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    let last: unknown;
    let i = 1;
    for (; i <= tries; i++) {
      if (signal?.aborted) break;
      try {
        return await fn();
      } catch (e) {
        last = e;
        if (e instanceof S3Error || signal?.aborted || !isRetryable(e) || i === tries) break;
        const cap = this.backoffMs * 2 ** (i - 1);
        await sleep(cap / 2 + Math.random() * cap, signal);
      }
    }
    if (signal?.aborted) {
      throw new S3Error(
        'cancelled',
        `${op}${key ? ` ${key}` : ''} on ${this.where} was cancelled.`,
        'The job was cancelled.',
        Math.min(i, tries),
      );
    }
    if (last instanceof S3Error) throw last;
    throw this.explain(op, key, last, Math.min(i, tries));
  }

  /** Turns an SDK/network error into a message that names the bucket/endpoint and says what to fix. */
  explain(op: string, key: string, e: unknown, tries: number): S3Error {
    const err = e as {
      name?: string;
      code?: string;
      message?: string;
      Code?: string;
      $metadata?: { httpStatusCode?: number };
      cause?: { code?: string };
    };
    const status = err.$metadata?.httpStatusCode;
    const code = err.Code ?? err.code ?? err.cause?.code ?? err.name ?? '';
    const what = `${op}${key ? ` ${key}` : ''} on ${this.where}`;
    const after = tries > 1 ? ` (after ${tries} tries)` : '';
    const msg = err.message ?? '';
    if (
      ['ExpiredToken', 'TokenRefreshRequired', 'ExpiredTokenException', 'RequestExpired'].includes(code) ||
      /token has expired|credentials? (have |has )?expired/i.test(msg)
    ) {
      return new S3Error(
        'credentials',
        `The AWS credentials for ${what} have expired (${code}).`,
        'Refresh them (e.g. `aws sso login`, a new AWS_SESSION_TOKEN) and retry.',
        tries,
      );
    }
    const region = regionNamed(e);
    if (
      ['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException'].includes(code) ||
      status === 301 ||
      (region && region !== this.regionNow)
    ) {
      return new S3Error(
        'region',
        `The bucket "${this.bucket}" is in region ${region ?? '(not named in the answer)'}, but ${what} was signed for ${this.regionNow}.`,
        region
          ? `Set AWS_REGION=${region} (or the saved S3 region), or leave the region to MeshBench's discovery.`
          : "Set AWS_REGION to the bucket's region.",
        tries,
      );
    }
    if (
      ['BadDigest', 'InvalidDigest', 'XAmzContentSHA256Mismatch', 'InvalidChecksum'].includes(code) ||
      /checksum/i.test(`${code} ${msg}`)
    ) {
      return new S3Error(
        'checksum',
        `S3 refused the checksum of ${what}: ${code} ${msg}`.trim(),
        'The body or a checksum header was altered on the way, or the store does not accept this checksum; retry, and if it persists, check proxies between you and the store.',
        tries,
      );
    }
    if (
      [
        'InvalidAccessKeyId',
        'SignatureDoesNotMatch',
        'InvalidToken',
        'CredentialsProviderError',
        'AccessDenied',
      ].includes(code) ||
      status === 403 ||
      /credential/i.test(msg)
    ) {
      return new S3Error(
        'credentials',
        `S3 refused the credentials for ${what}: ${code || status} ${msg}`.trim(),
        'Check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) and that they may read and write this bucket.',
        tries,
      );
    }
    if (code === 'NoSuchBucket' || (op === 'check bucket' && status === 404)) {
      return new S3Error(
        'bucket',
        `The bucket "${this.bucket}" does not exist at ${this.settings.endpoint ?? `AWS S3 (${this.regionNow})`}.`,
        'Create it, or set MESHBENCH_S3_BUCKET to an existing bucket.',
        tries,
      );
    }
    if (status === 404 || code === 'NotFound' || code === 'NoSuchKey') {
      return new S3Error(
        'not-found',
        `No object ${key} in ${this.where}.`,
        'It may have expired or been deleted; re-run the job.',
        tries,
      );
    }
    if (isNetwork(e)) {
      return new S3Error(
        'network',
        `Cannot reach ${this.where} for ${op}${after}: ${code || err.message}.`,
        'Check the network and MESHBENCH_S3_ENDPOINT (for `meshbench cloud-local`, that it is still running).',
        tries,
      );
    }
    if (status && status >= 500) {
      return new S3Error(
        'server',
        `S3 kept failing for ${what}${after}: HTTP ${status} ${code}.`,
        'The store is having trouble; retry later or switch to --backend local.',
        tries,
      );
    }
    return new S3Error(
      'other',
      `S3 ${what} failed${after}: ${code} ${err.message ?? String(e)}`.trim(),
      'See the message above.',
      tries,
    );
  }
}

/** The bucket's region as AWS names it in a wrong-region answer (x-amz-bucket-region, or the message's "expecting"). */
function regionNamed(e: unknown): string | null {
  const err = e as { $response?: { headers?: Record<string, string> }; message?: string; Region?: string };
  const h = err.$response?.headers?.['x-amz-bucket-region'];
  if (h) return h;
  if (typeof err.Region === 'string' && err.Region) return err.Region;
  const m = /expecting '([a-z0-9-]+)'/.exec(err.message ?? '');
  return m ? m[1] : null;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((res) => {
    if (signal?.aborted) return res();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      res();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function isNetwork(e: unknown): boolean {
  const err = e as { code?: string; name?: string; cause?: { code?: string }; message?: string };
  const c = err.code ?? err.cause?.code ?? err.name ?? '';
  return NETWORK_CODES.has(c) || /socket hang up|aborted|premature close/i.test(err.message ?? '');
}

function isRetryable(e: unknown): boolean {
  const err = e as {
    code?: string;
    name?: string;
    Code?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  const status = err.$metadata?.httpStatusCode;
  if (status === 429 || (status != null && status >= 500)) return true;
  if (RETRYABLE_CODES.has(err.Code ?? '') || RETRYABLE_CODES.has(err.code ?? '') || RETRYABLE_CODES.has(err.name ?? ''))
    return true;
  return isNetwork(e);
}
