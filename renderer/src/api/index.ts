// One WorkbenchApi for the UI: Electron's preload bridge when present, else the harness WebSocket
// (address and token from the page URL that `npm run web` printed).
import type { WorkbenchApi } from '../../../src/contract/api';
import { connectHarness } from './ws-client';

declare global {
  interface Window {
    workbench?: WorkbenchApi;
  }
}

let api: WorkbenchApi | null = null;

export function getApi(): WorkbenchApi {
  if (api) return api;
  if (window.workbench) return (api = window.workbench);
  const token = new URLSearchParams(location.search).get('token') ?? '';
  api = connectHarness(`ws://${location.host}/rpc?token=${encodeURIComponent(token)}`);
  return api;
}

export const isDesktop = () => !!window.workbench;

/** The words of an error, with its hint when it has one. */
export function errorText(e: unknown): string {
  const o = e as { message?: string; hint?: string };
  const msg = (o?.message ?? String(e)).replace(/^Error invoking remote method '[^']+': (Error: )?/, '');
  return o?.hint ? `${msg} ${o.hint}` : msg;
}
