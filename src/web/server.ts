// The browser harness: serves the built renderer and bridges the same WorkbenchApi over a loopback-only WebSocket.
// Guarded by a per-run random token (in the printed URL, checked on the WebSocket upgrade) and by an Origin check,
// so another local web page cannot drive the engine. Same validation as Electron's IPC edge (src/workbench/validate.ts).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_IMPORT_BYTES, type WorkbenchApi } from '../contract/api';
import { RENDERER_CSP } from '../contract/csp';
import { decodeMessage, encodeMessage, type RpcRequest, type RpcResponse } from './codec';
import { isWorkbenchMethod, validateArgs } from '../workbench/validate';
import { describeError } from '../workbench/errors';
import { eventBatcher } from '../workbench/event-batcher';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/** importFile's largest file plus its envelope (the JSON head with a 255-byte name, alignment). */
export const MAX_MESSAGE_BYTES = MAX_IMPORT_BYTES + 64 * 1024;

export interface HarnessOptions {
  api: WorkbenchApi;
  /** Built renderer folder (out/renderer). */
  rendererDir: string;
  port?: number;
  /** Fixed token (tests); random by default. */
  token?: string;
  /** Event batching interval. */
  batchMs?: number;
}

export interface Harness {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = resolve(opts.rendererDir);
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`no built renderer in ${root} (run \`npm run build\` first)`);
  }
  const server = createServer((req, res) => serveStatic(root, req, res));
  // The largest message the API needs is importFile's bytes; ws refuses a longer frame from its header (close 1009),
  // before buffering it.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let port = 0;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const remote = req.socket.remoteAddress ?? '';
    const okOrigin = !origin || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    const okRemote = remote === '127.0.0.1' || remote === '::ffff:127.0.0.1' || remote === '::1';
    if (url.pathname !== '/rpc' || !okRemote || !okOrigin || !tokenMatches(url.searchParams.get('token'), token)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, opts.api, opts.batchMs ?? 50));
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((ok) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

function tokenMatches(got: string | null, want: string): boolean {
  if (!got) return false;
  const a = Buffer.from(got);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

function attach(ws: WebSocket, api: WorkbenchApi, batchMs: number) {
  const batch = eventBatcher((events) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage({ events }));
  }, batchMs);
  const off = api.onEvent((events) => batch.push(events));
  // A frame ws refuses (too long, malformed) closes the socket with its code; without a listener the error would
  // end the harness.
  ws.on('error', () => undefined);
  ws.on('close', () => {
    off();
    batch.stop();
  });
  ws.on('message', async (data, isBinary) => {
    let req: RpcRequest;
    try {
      const raw = isBinary ? decodeMessage(toBytes(data)) : JSON.parse(String(data));
      req = raw as RpcRequest;
      if (typeof req?.id !== 'number') throw new Error('request without id');
    } catch (e) {
      // Malformed, or nested deeper than the parser's stack: refused in words, and the connection stays usable.
      const why = e instanceof RangeError ? 'nested too deep' : (e as Error).message;
      ws.send(
        encodeMessage({
          id: -1,
          error: { message: `bad request frame: ${why}`, code: 'invalid-request' },
        } satisfies RpcResponse),
      );
      return;
    }
    let reply: RpcResponse;
    try {
      if (!isWorkbenchMethod(req.method))
        throw Object.assign(new Error(`unknown operation ${String(req.method)}`), { code: 'invalid-request' });
      const args = validateArgs(req.method, req.params);
      const fn = api[req.method] as (...a: unknown[]) => Promise<unknown>;
      const result = await fn.apply(api, args as unknown[]);
      reply = { id: req.id, result: result ?? null };
    } catch (e) {
      reply = { id: req.id, error: describeError(e) };
    }
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage(reply));
  });
}

function toBytes(data: unknown): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data as Buffer[]));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data as Buffer;
}

function serveStatic(root: string, req: IncomingMessage, res: ServerResponse) {
  const headers = {
    'Content-Security-Policy': RENDERER_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  } catch {
    res.writeHead(400, headers).end();
    return;
  }
  if (pathname === '/') pathname = '/index.html';
  const file = normalize(join(root, pathname));
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
