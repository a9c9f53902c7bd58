// A loopback HTTP server that records every request it gets (path and headers), answering with `handler`.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listener {
  url: string;
  port: number;
  seen: { path: string; headers: IncomingHttpHeaders }[];
  /** Every header value it was sent, as one string (to search for a key). */
  text(): string;
  close(): Promise<void>;
}

export async function listener(
  handler: (path: string, res: ServerResponse) => void = (_p, res) => res.end(),
  host = '127.0.0.1',
): Promise<Listener> {
  const seen: Listener['seen'] = [];
  const srv: Server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    handler(req.url ?? '', res);
  });
  await new Promise<void>((r) => srv.listen(0, host, r));
  const port = (srv.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    text: () => JSON.stringify(seen.map((s) => s.headers)),
    close: () => new Promise<void>((r) => srv.close(() => r())),
  };
}
