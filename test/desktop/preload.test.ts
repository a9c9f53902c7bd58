// The preload exposes exactly the contract's methods (plus onEvent) on window.workbench, and no raw ipcRenderer.
import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKBENCH_METHODS, EVENT_CHANNEL, channelOf } from '../../src/contract/api';
import { repoRoot } from '../helpers/paths';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (channel: string, ...args: unknown[]) => ({ ok: true, value: { channel, args } }));
const listeners = new Map<string, (...a: unknown[]) => void>();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke,
    on: (ch: string, f: (...a: unknown[]) => void) => listeners.set(ch, f),
    removeListener: (ch: string) => listeners.delete(ch),
    send: () => {
      throw new Error('raw send must not be used');
    },
  },
}));

describe('preload', async () => {
  await import('../../preload/index');
  const api = exposed.workbench as Record<string, unknown>;

  it('exposes one object, window.workbench', () => {
    expect(Object.keys(exposed)).toEqual(['workbench']);
  });

  it('has exactly the contract methods plus onEvent, all functions, nothing else', () => {
    expect(Object.keys(api).sort()).toEqual([...WORKBENCH_METHODS, 'onEvent'].sort());
    for (const k of Object.keys(api)) expect(typeof api[k]).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('calls the method channel with the arguments', async () => {
    const r = await (api.getJob as (id: string) => Promise<unknown>)('abc');
    expect(invoke).toHaveBeenCalledWith(channelOf('getJob'), 'abc');
    expect(r).toEqual({ channel: channelOf('getJob'), args: ['abc'] });
  });

  it('turns error replies into rejections with the message', async () => {
    invoke.mockResolvedValueOnce({ ok: false, error: { message: 'No job x', code: 'not-found' } } as never);
    await expect((api.getJob as (id: string) => Promise<unknown>)('x')).rejects.toThrow('No job x');
  });

  it('delivers event batches and unsubscribes', () => {
    const got: unknown[] = [];
    const off = (api.onEvent as (l: (e: unknown[]) => void) => () => void)((e) => got.push(...e));
    listeners.get(EVENT_CHANNEL)!({}, [{ type: 'status', jobId: 'j', status: 'running' }]);
    expect(got).toHaveLength(1);
    off();
    expect(listeners.has(EVENT_CHANNEL)).toBe(false);
  });

  it('no exposed value is the ipcRenderer or one of its raw functions', async () => {
    const { ipcRenderer } = await import('electron');
    const raw = new Set<unknown>([ipcRenderer, ...Object.values(ipcRenderer)]);
    for (const v of Object.values(api)) expect(raw.has(v)).toBe(false);
  });

  it('the source exposes only the bridge built from the contract', () => {
    const src = readFileSync(join(repoRoot, 'preload', 'index.ts'), 'utf8');
    const exposeCalls = [...src.matchAll(/exposeInMainWorld\((.*)\);/g)].map((m) => m[1]);
    expect(exposeCalls).toEqual(["'workbench', buildBridge(ipcRenderer)"]);
  });
});
