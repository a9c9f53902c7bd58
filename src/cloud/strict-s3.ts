// A strict S3 front in front of s3rver: it answers the way AWS S3 does where s3rver is lenient, so the offload
// meets AWS's rules before its first real deployment. The bucket lives in a region of its own (nobody configured
// it); a request signed for another region gets AWS's 301 PermanentRedirect with x-amz-bucket-region; unsigned
// requests, unknown keys, bad SigV4 signatures, expired credentials and expired or over-long presigned URLs are
// refused; payload hashes and x-amz-checksum-* values are checked against the body (BadDigest, as S3 does).
// Everything else passes through to s3rver unchanged.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { crc32 } from 'node:zlib';

export interface StrictS3Options {
  /** The s3rver (or other S3-compatible server) behind the front. */
  target: string;
  /** The region every bucket lives in. */
  region: string;
  /** Access key id → secret key of the accounts the front accepts. */
  accounts: Record<string, string>;
  /** Port to listen on (default: any free port). */
  port?: number;
}

export interface StrictS3Front {
  url: string;
  region: string;
  /** Requests answered by the front itself (refusals), newest last. */
  refused: { method: string; path: string; status: number; code: string }[];
  /** Every request seen: method, path (without query), and whether it was presigned. */
  seen: { method: string; path: string; presigned: boolean }[];
  /** From now on, requests signed with this key are answered as AWS answers an expired session token. */
  expire(accessKeyId: string): void;
  close(): Promise<void>;
}

const MAX_EXPIRES_S = 604_800;

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const enc = (v: string) =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256Hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

interface Auth {
  presigned: boolean;
  accessKeyId: string;
  date: string; // yyyymmdd
  region: string;
  service: string;
  amzDate: string;
  signedHeaders: string[];
  signature: string;
  expires: number | null;
}

function parseAuth(req: IncomingMessage, query: [string, string][]): Auth | null | 'malformed' {
  const q = new Map(query);
  const header = req.headers.authorization;
  if (q.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
    const cred = (q.get('X-Amz-Credential') ?? '').split('/');
    if (cred.length !== 5) return 'malformed';
    return {
      presigned: true,
      accessKeyId: cred[0],
      date: cred[1],
      region: cred[2],
      service: cred[3],
      amzDate: q.get('X-Amz-Date') ?? '',
      signedHeaders: (q.get('X-Amz-SignedHeaders') ?? '').split(';'),
      signature: q.get('X-Amz-Signature') ?? '',
      expires: Number(q.get('X-Amz-Expires') ?? 'NaN'),
    };
  }
  if (!header) return null;
  const m = /^AWS4-HMAC-SHA256 Credential=([^,]+),\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]+)$/.exec(header);
  if (!m) return 'malformed';
  const cred = m[1].split('/');
  if (cred.length !== 5) return 'malformed';
  return {
    presigned: false,
    accessKeyId: cred[0],
    date: cred[1],
    region: cred[2],
    service: cred[3],
    amzDate: String(req.headers['x-amz-date'] ?? ''),
    signedHeaders: m[2].split(';'),
    signature: m[3],
    expires: null,
  };
}

/** The SigV4 signature of the request as received (the canonical request rebuilt from the wire). */
function signatureOf(
  req: IncomingMessage,
  path: string,
  query: [string, string][],
  auth: Auth,
  secret: string,
): string {
  const canonicalQuery = query
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [enc(k), enc(v)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = auth.signedHeaders
    .map(
      (h) =>
        `${h}:${String(req.headers[h] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const payload = auth.presigned ? 'UNSIGNED-PAYLOAD' : String(req.headers['x-amz-content-sha256'] ?? '');
  const canonical = [req.method, path, canonicalQuery, headers, auth.signedHeaders.join(';'), payload].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', auth.amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, auth.date), auth.region), auth.service), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

function amzTime(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

/** The x-amz-checksum-* values a request carries (headers, or query parameters of a presigned URL). */
function checksums(req: IncomingMessage, query: [string, string][]): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(req.headers))
    if (k.startsWith('x-amz-checksum-') && k !== 'x-amz-checksum-type' && typeof v === 'string')
      out.push([k.slice(15), v]);
  for (const [k, v] of query)
    if (k.toLowerCase().startsWith('x-amz-checksum-') && k.toLowerCase() !== 'x-amz-checksum-type')
      out.push([k.slice(15).toLowerCase(), v]);
  return out;
}

function checksumOf(algo: string, body: Buffer): string | null {
  if (algo === 'crc32') {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(crc32(body) >>> 0);
    return b.toString('base64');
  }
  if (algo === 'sha256' || algo === 'sha1') return createHash(algo).update(body).digest('base64');
  return null;
}

export async function startStrictS3(opts: StrictS3Options): Promise<StrictS3Front> {
  const t = new URL(opts.target);
  const expired = new Set<string>();
  const front: StrictS3Front = {
    url: '',
    region: opts.region,
    refused: [],
    seen: [],
    expire: (k) => void expired.add(k),
    close: async () => {},
  };

  const refuse = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    code: string,
    message: string,
    extra: Record<string, string> = {},
    xml = '',
  ) => {
    front.refused.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0], status, code });
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${xml}<RequestId>strict-front</RequestId></Error>`;
    const headers: Record<string, string | number> = { 'Content-Type': 'application/xml', ...extra };
    // HEAD answers carry no body (the SDK then names the error after the status code, as with AWS).
    if (req.method === 'HEAD') {
      res.writeHead(status, headers);
      res.end();
    } else {
      res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const [rawPath, rawQuery = ''] = (req.url ?? '/').split('?', 2);
    const query: [string, string][] = rawQuery
      ? rawQuery
          .split('&')
          .filter(Boolean)
          .map((p) => {
            const i = p.indexOf('=');
            const k = i < 0 ? p : p.slice(0, i);
            const v = i < 0 ? '' : p.slice(i + 1);
            return [decodeURIComponent(k), decodeURIComponent(v)];
          })
      : [];
    const auth = parseAuth(req, query);
    front.seen.push({
      method: req.method ?? '',
      path: rawPath,
      presigned: !!auth && auth !== 'malformed' && auth.presigned,
    });
    if (auth === null) return refuse(req, res, 403, 'AccessDenied', 'Anonymous access to this bucket is not allowed.');
    if (auth === 'malformed')
      return refuse(req, res, 400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
    const secret = opts.accounts[auth.accessKeyId];
    if (secret === undefined)
      return refuse(
        req,
        res,
        403,
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
      );
    if (expired.has(auth.accessKeyId)) return refuse(req, res, 400, 'ExpiredToken', 'The provided token has expired.');
    if (auth.region !== opts.region) {
      // What AWS answers a request signed for the wrong region: 301, the bucket's region in a header.
      const bucket = rawPath.split('/')[1] ?? '';
      return refuse(
        req,
        res,
        301,
        'PermanentRedirect',
        'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
        { 'x-amz-bucket-region': opts.region },
        `<Bucket>${bucket}</Bucket><Endpoint>s3.${opts.region}.amazonaws.com</Endpoint>`,
      );
    }
    if (auth.presigned) {
      if (!Number.isFinite(auth.expires) || (auth.expires as number) < 1 || (auth.expires as number) > MAX_EXPIRES_S) {
        return refuse(
          req,
          res,
          400,
          'AuthorizationQueryParametersError',
          `X-Amz-Expires must be less than a week (in seconds) that is; ${MAX_EXPIRES_S}`,
        );
      }
      if (Date.now() > amzTime(auth.amzDate) + (auth.expires as number) * 1000)
        return refuse(req, res, 403, 'AccessDenied', 'Request has expired');
    } else if (!req.headers['x-amz-content-sha256']) {
      return refuse(req, res, 400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    }
    const want = signatureOf(req, rawPath, query, auth, secret);
    if (want.length !== auth.signature.length || !timingSafeEqual(Buffer.from(want), Buffer.from(auth.signature))) {
      return refuse(
        req,
        res,
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      );
    }
    const declared = auth.presigned ? 'UNSIGNED-PAYLOAD' : String(req.headers['x-amz-content-sha256']);
    if (declared.startsWith('STREAMING-'))
      return refuse(req, res, 501, 'NotImplemented', 'aws-chunked bodies are not accepted by this front.');
    if (declared !== 'UNSIGNED-PAYLOAD' && declared !== sha256Hex(body)) {
      return refuse(
        req,
        res,
        400,
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }
    for (const [algo, value] of checksums(req, query)) {
      const got = checksumOf(algo, body);
      if (got === null)
        return refuse(req, res, 400, 'InvalidRequest', `Checksum algorithm ${algo} is not supported here.`);
      if (got !== value)
        return refuse(
          req,
          res,
          400,
          'BadDigest',
          `The ${algo.toUpperCase()} you specified did not match the calculated checksum.`,
        );
    }
    const up = request(
      { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers },
      (ur) => {
        const headers = { ...ur.headers };
        // AWS names the bucket's region on every HeadBucket answer.
        if (req.method === 'HEAD' && rawPath.split('/').filter(Boolean).length === 1)
          headers['x-amz-bucket-region'] = opts.region;
        res.writeHead(ur.statusCode ?? 502, headers);
        ur.pipe(res);
      },
    );
    up.on('error', () => res.socket?.destroy());
    up.end(body);
  };

  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(parts)));
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  front.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  front.close = () =>
    new Promise((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return front;
}
