// The harness bridge: loopback only, token and Origin checked on the upgrade, same API with typed arrays in binary frames.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startHarness, type Harness } from '../../src/web/server';
import { decodeMessage, encodeMessage } from '../../src/web/codec';
import { createWorkbenchService, type WorkbenchService } from '../../src/workbench/service';
import { MemorySecretStore } from '../../src/workbench/secrets';
import { tmpHome, demoPart } from '../helpers/paths';
import { RENDERER_CSP } from '../../src/contract/csp';

let home: string;
let service: WorkbenchService;
let h: Harness;

beforeAll(async () => {
  home = tmpHome('meshbench-harness-');
  const renderer = join(home, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(home, 'secret.txt'), 'outside');
  service = createWorkbenchService({ home, secrets: new MemorySecretStore() });
  h = await startHarness({ api: service, rendererDir: renderer });
});
afterAll(async () => {
  await h.close();
  await service.close();
  rmSync(home, { recursive: true, force: true });
});

function connect(query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((ok, fail) => {
    const ws = new WebSocket(`ws://127.0.0.1:${h.port}/rpc${query}`, { headers });
    ws.once('open', () => ok(ws));
    ws.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', fail);
  });
}

function call(
  ws: WebSocket,
  id: number,
  method: string,
  params: unknown[],
): Promise<{ id: number; result?: any; error?: { message: string } }> {
  return new Promise((ok) => {
    const on = (data: Buffer) => {
      const m = decodeMessage(new Uint8Array(data)) as { id?: number };
      if (m.id === id) {
        ws.off('message', on);
        ok(m as never);
      }
    };
    ws.on('message', on);
    ws.send(encodeMessage({ id, method, params }));
  });
}

describe('harness server', () => {
  it('listens on loopback and prints a tokenized address', () => {
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    expect((h.server.address() as { address: string }).address).toBe('127.0.0.1');
  });

  it('serves the renderer with a CSP and refuses paths outside it', async () => {
    const r = await fetch(`http://127.0.0.1:${h.port}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    const t = await fetch(`http://127.0.0.1:${h.port}/..%2Fsecret.txt`);
    expect(t.status).toBe(404);
  });

  it('refuses a WebSocket without the token, with a wrong token, or from another origin', async () => {
    await expect(connect('')).rejects.toThrow('HTTP 403');
    await expect(connect('?token=wrong')).rejects.toThrow('HTTP 403');
    await expect(connect(`?token=${h.token}`, { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('serves the WorkbenchApi with typed arrays and validated arguments', async () => {
    const ws = await connect(`?token=${h.token}`, { Origin: `http://127.0.0.1:${h.port}` });
    const jobs = await call(ws, 1, 'listJobs', []);
    expect(jobs.result).toEqual([]);
    // Only a file that came through the harness's import (the page's upload or drop) can be previewed.
    const refused = await call(ws, 6, 'preview', [demoPart('assembly.step')]);
    expect(refused.error?.message).toMatch(/reads only files you pick or drop/);
    const part = await call(ws, 7, 'importFile', [
      'assembly.step',
      new Uint8Array(readFileSync(demoPart('assembly.step'))),
    ]);
    const p = await call(ws, 2, 'preview', [part.result]);
    expect(p.error).toBeUndefined();
    expect(p.result.positions).toBeInstanceOf(Float32Array);
    expect(p.result.surfaceTags).toBeInstanceOf(Int32Array);
    expect(p.result.volumes).toBe(3);
    const bad = await call(ws, 3, 'getJob', [{ not: 'an id' }]);
    expect(bad.error?.message).toMatch(/getJob/);
    const unknown = await call(ws, 4, 'constructor', []);
    expect(unknown.error?.message).toMatch(/unknown operation/);
    const imported = await call(ws, 5, 'importFile', ['part.step', new Uint8Array([1, 2, 3])]);
    expect(imported.result).toMatch(/inbox.*part\.step$/);
    ws.close();
  });
});
