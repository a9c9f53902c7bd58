// Errors cross the IPC / WebSocket edge as {message, code, hint}: words an engineer can act on, no stack traces.
export interface WireError {
  message: string;
  code?: string;
  hint?: string;
}

export function describeError(e: unknown): WireError {
  if (e && typeof e === 'object') {
    const o = e as { message?: unknown; code?: unknown; hint?: unknown };
    const out: WireError = { message: typeof o.message === 'string' && o.message ? o.message : String(e) };
    if (typeof o.code === 'string') out.code = o.code;
    if (typeof o.hint === 'string') out.hint = o.hint;
    return out;
  }
  return { message: String(e) };
}

/** An expected failure with a code the UI may react to (e.g. `not-found`, `input-rejected`). */
export class WorkbenchError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'WorkbenchError';
  }
}
