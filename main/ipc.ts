// IPC handler table generated from the contract's method list: each handler checks the sender frame, validates the
// payload, then calls the one engine-side service. Pure (no electron import) so vitest can drive it.
import { WORKBENCH_METHODS, channelOf, type WorkbenchApi, type WorkbenchMethod } from '../src/contract/api';
import { validateArgs } from '../src/workbench/validate';
import { describeError, type WireError } from '../src/workbench/errors';

export interface IpcEventLike {
  senderFrame: { url: string; parent?: unknown | null } | null;
}

/** What a handler returns over IPC: errors are values (ipcMain.handle would otherwise wrap them with a stack trace). */
type IpcReply = { ok: true; value: unknown } | { ok: false; error: WireError };

export type Handler = (event: IpcEventLike, ...args: unknown[]) => Promise<IpcReply>;

export function buildHandlers(
  service: WorkbenchApi,
  isTrusted: (frame: IpcEventLike['senderFrame']) => boolean,
): Map<string, Handler> {
  const table = new Map<string, Handler>();
  for (const m of WORKBENCH_METHODS) {
    table.set(channelOf(m), async (event, ...args) => {
      if (!isTrusted(event.senderFrame)) {
        return {
          ok: false,
          error: { message: `refused ${m}: message from an untrusted frame`, code: 'untrusted-sender' },
        };
      }
      try {
        const valid = validateArgs(m as WorkbenchMethod, args);
        const fn = service[m] as (...a: unknown[]) => Promise<unknown>;
        return { ok: true, value: await fn.apply(service, valid as unknown[]) };
      } catch (e) {
        return { ok: false, error: describeError(e) };
      }
    });
  }
  return table;
}
