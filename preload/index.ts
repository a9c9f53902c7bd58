// Preload: exposes one `window.workbench` object, one method per WorkbenchApi operation, built from the contract's
// method list. No raw ipcRenderer leaves this file; events arrive through onEvent only.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  WORKBENCH_METHODS,
  EVENT_CHANNEL,
  channelOf,
  type WorkbenchApi,
  type WorkbenchEvent,
} from '../src/contract/api';

type Reply = { ok: true; value: unknown } | { ok: false; error: { message: string; code?: string; hint?: string } };

export function buildBridge(ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): WorkbenchApi {
  const api: Record<string, unknown> = {};
  for (const m of WORKBENCH_METHODS) {
    api[m] = async (...args: unknown[]) => {
      const r = (await ipc.invoke(channelOf(m), ...args)) as Reply;
      if (r.ok) return r.value;
      throw Object.assign(new Error(r.error.message), { code: r.error.code, hint: r.error.hint });
    };
  }
  api.onEvent = (listener: (events: WorkbenchEvent[]) => void) => {
    const wrapped = (_e: IpcRendererEvent, events: WorkbenchEvent[]) => listener(events);
    ipc.on(EVENT_CHANNEL, wrapped);
    return () => ipc.removeListener(EVENT_CHANNEL, wrapped);
  };
  return Object.freeze(api) as unknown as WorkbenchApi;
}

contextBridge.exposeInMainWorld('workbench', buildBridge(ipcRenderer));
