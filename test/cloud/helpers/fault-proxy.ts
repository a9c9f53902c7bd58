// A small HTTP proxy on loopback that injects faults in front of a real server (s3rver): 500/503 answers,
// connections dropped before an answer, and bodies cut halfway. `plan` decides per request.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * `lost`: the request reaches the server, its answer never reaches the client. `stall`: the connection is accepted
 * and the request read, and nothing ever comes back (a half-open connection).
 */
type Fault = 'pass' | '500' | '503' | 'drop' | 'cut' | 'lost' | 'stall';

export interface FaultProxy {
  url: string;
  /** Requests seen, with the fault applied to each. */
  log: { method: string; path: string; fault: Fault }[];
  plan: (n: number, req: IncomingMessage) => Fault;
  /** The server behind the proxy (settable, so a proxy can exist before the server it fronts). */
  target: URL;
  /** Cuts every open connection (in-flight requests included). */
  cutAll(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, plan: FaultProxy['plan'] = () => 'pass'): Promise<FaultProxy> {
  const proxy: FaultProxy = {
    url: '',
    log: [],
    plan,
    target: new URL(target),
    cutAll: () => {},
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const n = proxy.log.length;
    const fault = proxy.plan(n, req);
    proxy.log.push({ method: req.method ?? '', path: req.url ?? '', fault });
    if (fault === 'drop') {
      req.resume();
      req.socket.destroy();
      return;
    }
    if (fault === 'stall') {
      req.resume();
      return;
    }
    if (fault === '500' || fault === '503') {
      req.resume();
      req.on('end', () => {
        const code = fault === '500' ? 'InternalError' : 'SlowDown';
        const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected fault</Message></Error>`;
        res.writeHead(Number(fault), { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      });
      return;
    }
    const up = request(
      { host: proxy.target.hostname, port: proxy.target.port, method: req.method, path: req.url, headers: req.headers },
      (ur) => {
        if (fault === 'lost') {
          ur.resume();
          ur.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        if (fault === 'cut') {
          // Send about half the body, then kill the connection.
          const len = Number(ur.headers['content-length'] ?? 0);
          let sent = 0;
          ur.on('data', (c: Buffer) => {
            if (sent >= len / 2) return;
            res.write(c.subarray(0, Math.max(1, Math.min(c.length, Math.floor(len / 2) - sent))));
            sent += c.length;
            if (sent >= len / 2) res.socket?.destroy();
          });
          ur.on('end', () => res.socket?.destroy());
        } else ur.pipe(res);
      },
    );
    up.on('error', () => res.socket?.destroy());
    req.pipe(up);
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  proxy.cutAll = () => sockets.forEach((sock) => sock.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return proxy;
}
