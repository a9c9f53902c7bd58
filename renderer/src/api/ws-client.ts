// The browser harness's WorkbenchApi: the same interface as Electron's preload, over the token-guarded loopback
// WebSocket (binary frames; typed arrays travel as raw bytes, see src/web/codec.ts).
import { WORKBENCH_METHODS, type WorkbenchApi, type WorkbenchEvent } from '../../../src/contract/api';
import { decodeMessage, encodeMessage, type RpcResponse } from '../../../src/web/codec';

class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function connectHarness(url: string): WorkbenchApi {
  let ws: WebSocket | null = null;
  let ready: Promise<WebSocket> | null = null;
  let nextId = 1;
  const pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  const listeners = new Set<(events: WorkbenchEvent[]) => void>();

  const open = (): Promise<WebSocket> => {
    if (ready) return ready;
    ready = new Promise((resolve, reject) => {
      const sock = new WebSocket(url);
      sock.binaryType = 'arraybuffer';
      sock.onopen = () => {
        ws = sock;
        resolve(sock);
      };
      sock.onerror = () =>
        reject(
          new ApiError(
            'Cannot reach the MeshBench engine (WebSocket refused). Is `npm run web` still running, and is the token in the address current?',
          ),
        );
      sock.onclose = () => {
        ws = null;
        ready = null;
        for (const p of pending.values()) p.fail(new ApiError('The connection to the MeshBench engine closed.'));
        pending.clear();
        // Reconnect lazily for events, so a restarted harness picks the page up again.
        if (listeners.size) setTimeout(() => void open().catch(() => undefined), 1000);
      };
      sock.onmessage = (ev) => {
        const msg = decodeMessage(ev.data as ArrayBuffer) as RpcResponse & { events?: WorkbenchEvent[] };
        if (msg.events) {
          for (const l of listeners) l(msg.events);
          return;
        }
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.error) p.fail(new ApiError(msg.error.message, msg.error.code, (msg.error as { hint?: string }).hint));
        else p.ok(msg.result);
      };
    });
    return ready;
  };

  const call = async (method: string, params: unknown[]) => {
    const sock = await open();
    const id = nextId++;
    return new Promise((ok, fail) => {
      pending.set(id, { ok, fail });
      sock.send(encodeMessage({ id, method, params }));
    });
  };

  const api: Record<string, unknown> = {};
  for (const m of WORKBENCH_METHODS) api[m] = (...args: unknown[]) => call(m, args);
  api.onEvent = (listener: (events: WorkbenchEvent[]) => void) => {
    listeners.add(listener);
    void open().catch(() => undefined);
    return () => listeners.delete(listener);
  };
  void ws;
  return api as unknown as WorkbenchApi;
}
