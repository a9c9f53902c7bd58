// HTTP client of the worker app (its HTTP contract: gpu-worker/README.md): the deployed Modal app or the local emulator, same routes.
// Callers authenticate with Modal-Key / Modal-Secret (Modal's proxy auth). Polling long-polls (`?wait=`) and
// backs off when the server answers at once; logs are fetched by cursor alongside.

import { keysRefusedOver } from './key-transport';
import { randomUUID } from 'node:crypto';

/** A worker answer's JSON body, read field by field where it is used. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type WorkerJson = any;

export type ModalErrorKind = 'auth' | 'expired' | 'unreachable' | 'server' | 'bad-request' | 'cancelled';

export class ModalError extends Error {
  constructor(
    readonly kind: ModalErrorKind,
    message: string,
    readonly hint: string,
    readonly status?: number,
    /** The request never reached the server (connection refused, DNS): safe to resend even a submission. */
    readonly notSent = false,
  ) {
    super(message);
    this.name = 'ModalError';
  }
}

export interface WorkerHealth {
  service: string;
  version: string;
  backend: 'modal' | 'emulator' | string;
  /** The worker's Gmsh: meshes are byte-identical across two sides only when version and build both match. */
  gmsh: { version: string; build?: string; path?: string };
  /** The GPU the function asks for (null: CPU-only, or no GPU here). */
  gpu: string | null;
  /** The mesh function's size and limits, as deployed (absent from workers older than this field). */
  function?: {
    gpu: string | null;
    cpu: number;
    memoryMiB: number;
    attemptTimeoutS: number;
    timeoutS: number;
    retries: number;
    scaledownS: number;
  };
  runner?: { path: string; present: boolean };
}

export interface WorkerLogEntry {
  type: 'start' | 'log' | 'progress';
  level?: 'info' | 'warning' | 'error' | 'debug';
  text?: string;
  percent?: number;
  ts?: number;
}

export interface WorkerResult {
  /** The attempt runner's outcome; `mesh.path` is the S3 key of the uploaded mesh. */
  outcome: import('../contract/attempt').AttemptOutcome;
  /** Milliseconds measured on the worker: download, runner, mesh, read, quality, upload, total. */
  workerTimings: Record<string, number>;
  startedAt: number;
  finishedAt: number;
  host?: string;
  /** GPU use sampled during the attempt (nvidia-smi), or why there is none. */
  gpu?: {
    present: boolean;
    reason?: string;
    name?: string;
    samples?: number;
    utilAvgPct?: number;
    utilMaxPct?: number;
    memMaxMiB?: number;
  };
  /** The cores the attempt ran on. */
  cpus?: number[] | null;
}

export type CallState =
  | { status: 'queued' | 'running' }
  | { status: 'completed'; result: WorkerResult }
  | { status: 'failed'; error: { code: string; message: string } }
  | { status: 'cancelled' };

export interface ModalClientOptions {
  url: string;
  key: string | null;
  secret: string | null;
  /** Per-request timeout (ms) beyond the long-poll wait. Default 15 s. */
  requestTimeoutMs?: number;
  /** How long the endpoint may stay unreachable during a wait before giving up (ms). Default 30 s. */
  unreachableGraceMs?: number;
  /** Long-poll wait sent to the server (s). Default 10. */
  longPollS?: number;
  /** Called per HTTP outcome, for the circuit breaker. */
  onEvent?: (ok: boolean, detail: string) => void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

export class ModalClient {
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly graceMs: number;
  private readonly longPollS: number;

  constructor(private readonly opts: ModalClientOptions) {
    this.url = opts.url.replace(/\/+$/, '');
    this.timeoutMs = opts.requestTimeoutMs ?? 15_000;
    this.graceMs = opts.unreachableGraceMs ?? 30_000;
    this.longPollS = opts.longPollS ?? 10;
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    extraTimeoutMs = 0,
    signal?: AbortSignal,
  ): Promise<{ status: number; json: WorkerJson; text: string }> {
    const headers: Record<string, string> = {};
    if (this.opts.key) headers['Modal-Key'] = this.opts.key;
    if (this.opts.secret) headers['Modal-Secret'] = this.opts.secret;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const refused = headers['Modal-Key'] || headers['Modal-Secret'] ? keysRefusedOver(this.url, 'The Modal URL') : null;
    if (refused) throw new ModalError('auth', `${refused}.`, 'Use the https:// endpoint modal deploy printed.');
    // One controller per request, listeners removed after: polling loops make many requests on one signal.
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => ((timedOut = true), ctrl.abort()), this.timeoutMs + extraTimeoutMs);
    const onAbort = () => ctrl.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let res: Response;
    let text: string;
    try {
      // redirect 'manual': the keys in the headers never follow a redirect to another place.
      res = await fetch(`${this.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: ctrl.signal,
        redirect: 'manual',
      });
      text = await res.text();
    } catch (e) {
      if (signal?.aborted) throw new ModalError('cancelled', 'cancelled', '');
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = timedOut
        ? `no answer within ${Math.round((this.timeoutMs + extraTimeoutMs) / 1000)} s`
        : (cause?.code ?? cause?.message ?? (e as Error).message);
      throw new ModalError(
        'unreachable',
        `Cannot reach the Modal endpoint ${this.url}: ${why}.`,
        'Check MESHBENCH_MODAL_URL and the network (for `meshbench cloud-local`, that it is still running), or use --backend local.',
        undefined,
        ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(cause?.code ?? ''),
      );
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    let json: WorkerJson = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: callers fall back to the text */
    }
    if (res.status >= 300 && res.status < 400) {
      throw new ModalError(
        'bad-request',
        `The Modal endpoint ${this.url} answered a redirect (HTTP ${res.status}${res.headers.get('location') ? ` to ${res.headers.get('location')}` : ''}); MeshBench does not follow it with your keys.`,
        'Set MESHBENCH_MODAL_URL to the final https:// address of the endpoint.',
        res.status,
      );
    }
    if (res.status === 401 || res.status === 403) {
      throw new ModalError(
        'auth',
        `The Modal endpoint ${this.url} refused the credentials (HTTP ${res.status}): wrong or missing Modal key.`,
        'Set MODAL_KEY and MODAL_SECRET to a proxy auth token of the workspace serving this app (modal.com → Settings → Proxy Auth Tokens).',
        res.status,
      );
    }
    if (res.status >= 500 && res.status !== 501) {
      throw new ModalError(
        'server',
        `The Modal endpoint ${this.url} failed: HTTP ${res.status} ${json?.error?.message ?? text.slice(0, 200)}`.trim(),
        'Retry later; if it persists check the app in the Modal dashboard or use --backend local.',
        res.status,
      );
    }
    return { status: res.status, json, text };
  }

  /** Retries unreachable/5xx answers with exponential backoff + jitter for up to `graceMs`. */
  private async resilient<T>(
    what: string,
    fn: () => Promise<T>,
    signal?: AbortSignal,
    graceMs = this.graceMs,
  ): Promise<T> {
    const t0 = Date.now();
    let delay = 100;
    for (;;) {
      try {
        const r = await fn();
        this.opts.onEvent?.(true, what);
        return r;
      } catch (e) {
        const retryable = e instanceof ModalError && (e.kind === 'unreachable' || e.kind === 'server');
        if (!retryable || signal?.aborted || Date.now() - t0 + delay > graceMs) {
          if (e instanceof ModalError && e.kind !== 'cancelled' && e.kind !== 'expired')
            this.opts.onEvent?.(false, `${what}: ${e.message}`);
          throw e;
        }
        await sleep(delay / 2 + Math.random() * delay, signal);
        delay = Math.min(delay * 2, 3000);
      }
    }
  }

  async health(graceMs = 0): Promise<WorkerHealth> {
    return this.resilient(
      'health',
      async () => {
        const r = await this.request('GET', '/health');
        if (r.status !== 200 || !r.json)
          throw new ModalError(
            'server',
            `The Modal endpoint ${this.url} answered /health with HTTP ${r.status}.`,
            'Is MESHBENCH_MODAL_URL the MeshBench worker app?',
            r.status,
          );
        return r.json as WorkerHealth;
      },
      undefined,
      graceMs,
    );
  }

  async submit(payload: Record<string, unknown>): Promise<string> {
    // Every try carries the same idempotency key: the app answers a resent POST with the call it already spawned,
    // so a lost answer (dropped connection, 5xx after the spawn) is retried without running the attempt twice.
    const body = { ...payload, idempotencyKey: (payload.idempotencyKey as string | undefined) ?? randomUUID() };
    return this.resilient(
      'submit',
      async () => {
        const r = await this.request('POST', '/jobs', body);
        if (r.status === 400)
          throw new ModalError(
            'bad-request',
            `The worker rejected the job: ${r.json?.error?.message ?? r.text}`,
            'This is a MeshBench bug; please report it.',
            400,
          );
        if (r.status !== 202 || !r.json?.callId)
          throw new ModalError(
            'server',
            `Unexpected answer to POST /jobs: HTTP ${r.status} ${r.text.slice(0, 200)}`,
            'Is MESHBENCH_MODAL_URL the MeshBench worker app?',
            r.status,
          );
        return r.json.callId as string;
      },
      undefined,
      5000,
    );
  }

  /** One status request; waits server-side up to `waitS` for the call to finish. */
  async status(callId: string, waitS = 0, signal?: AbortSignal): Promise<CallState> {
    const r = await this.request(
      'GET',
      `/jobs/${encodeURIComponent(callId)}?wait=${waitS}`,
      undefined,
      waitS * 1000,
      signal,
    );
    if (r.status === 404) throw expired(callId, this.url);
    if (r.status === 202) return { status: r.json?.status === 'running' ? 'running' : 'queued' };
    if (r.status === 200 && r.json?.status) return r.json as CallState;
    throw new ModalError(
      'server',
      `Unexpected answer for call ${callId}: HTTP ${r.status} ${r.text.slice(0, 200)}`,
      'Is MESHBENCH_MODAL_URL the MeshBench worker app?',
      r.status,
    );
  }

  async logs(callId: string, after: number, signal?: AbortSignal): Promise<{ lines: WorkerLogEntry[]; next: number }> {
    const r = await this.request(
      'GET',
      `/jobs/${encodeURIComponent(callId)}/logs?after=${after}`,
      undefined,
      0,
      signal,
    );
    if (r.status === 404) throw expired(callId, this.url);
    return { lines: (r.json?.lines ?? []) as WorkerLogEntry[], next: (r.json?.next as number) ?? after };
  }

  async cancel(callId: string): Promise<boolean> {
    try {
      const r = await this.request('DELETE', `/jobs/${encodeURIComponent(callId)}`);
      return r.status === 200;
    } catch {
      return false; // best effort: the call may already be gone
    }
  }

  /**
   * Waits for a call to end, streaming its log entries to `onLogs` and state changes to `onState`.
   * Returns the terminal state; throws ModalError 'expired' (404), 'auth', or 'unreachable' after the grace period.
   */
  async wait(
    callId: string,
    hooks: {
      signal?: AbortSignal;
      onLogs?: (entries: WorkerLogEntry[]) => void;
      onState?: (s: 'queued' | 'running') => void;
      logCursor?: number;
    } = {},
  ): Promise<CallState> {
    const { signal } = hooks;
    let cursor = hooks.logCursor ?? 0;
    let done = false;
    let lastState: string | null = null;
    const quiet = new AbortController(); // wakes the log loop when the call ends
    const onAbort = () => quiet.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const logSleep = quiet.signal;
    const pullLogs = async () => {
      const r = await this.resilient('logs', () => this.logs(callId, cursor, signal), signal);
      cursor = r.next;
      if (r.lines.length) hooks.onLogs?.(r.lines);
      return r.lines.length;
    };
    // Logs alongside the long-poll, faster while lines flow, slower when quiet.
    const logLoop = (async () => {
      let delay = 150;
      while (!done && !signal?.aborted) {
        try {
          const n = await pullLogs();
          delay = n ? 150 : Math.min(delay * 1.5, 1500);
        } catch {
          delay = 1500; // the status loop reports lasting failures
        }
        await sleep(delay, logSleep);
      }
    })();
    try {
      let backoff = 50;
      for (;;) {
        if (signal?.aborted) return { status: 'cancelled' };
        const t = Date.now();
        const s = await this.resilient('status', () => this.status(callId, this.longPollS, signal), signal).catch(
          (e) => {
            if (e instanceof ModalError && e.kind === 'cancelled') return { status: 'cancelled' } as CallState;
            throw e;
          },
        );
        if (s.status === 'queued' || s.status === 'running') {
          if (s.status !== lastState) hooks.onState?.((lastState = s.status) as 'queued' | 'running');
          // A server without long-poll answers at once: back off instead of spinning.
          if (Date.now() - t < this.longPollS * 500) {
            await sleep(backoff, signal);
            backoff = Math.min(backoff * 2, 2000);
          }
          continue;
        }
        done = true;
        quiet.abort();
        await logLoop;
        await pullLogs().catch(() => 0); // the tail
        return s;
      }
    } finally {
      done = true;
      quiet.abort();
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

function expired(callId: string, url: string): ModalError {
  return new ModalError(
    'expired',
    `The Modal call ${callId} is unknown to ${url} or its result has expired.`,
    'Results are kept for a limited time; run the job again.',
    404,
  );
}
