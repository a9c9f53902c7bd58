// The harness bridge: loopback only, token and Origin checked on the upgrade, same API with typed arrays in binary frames.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { MAX_MESSAGE_BYTES, startHarness, type Harness } from '../../src/web/server';
import { MAX_IMPORT_BYTES } from '../../src/contract/api';
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

  it('refuses a message longer than importFile needs from its frame header, before reading it', async () => {
    const ws = await connect(`?token=${h.token}`);
    const closed = new Promise<number>((ok) => ws.once('close', (code) => ok(code)));
    // A binary frame header (FIN, masked) declaring one byte more than the limit; no payload follows.
    const header = Buffer.alloc(14);
    header[0] = 0x82;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(MAX_MESSAGE_BYTES + 1), 2);
    (ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(header);
    const code = await Promise.race([closed, new Promise((ok) => setTimeout(() => ok('still open'), 5000))]);
    expect(code).toBe(1009); // "message too big", said before a byte of the payload arrived
    expect(MAX_MESSAGE_BYTES).toBeGreaterThan(MAX_IMPORT_BYTES); // the largest file still fits, with its envelope
    expect(MAX_MESSAGE_BYTES).toBeLessThan(MAX_IMPORT_BYTES + (1 << 20));
    const again = await connect(`?token=${h.token}`); // the harness lives on
    expect((await call(again, 1, 'listJobs', [])).result).toEqual([]);
    again.close();
  });

  it('answers JSON nested 100,000 deep with a refusal in words, and stays usable', async () => {
    const ws = await connect(`?token=${h.token}`);
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const replies: { id: number; error?: { message: string; code?: string } }[] = [];
    ws.on('message', (d: Buffer) => replies.push(decodeMessage(new Uint8Array(d)) as never));
    ws.send(`{"id":1,"method":"submitJob","params":[${deep}]}`); // text frame: parsed, then refused by the schema
    const json = new TextEncoder().encode(`{"id":2,"method":"listJobs","params":${deep}}`);
    const frame = new Uint8Array(4 + json.length); // binary frame: the codec's reviver runs out of stack
    new DataView(frame.buffer).setUint32(0, json.length, true);
    frame.set(json, 4);
    ws.send(frame);
    const after = await call(ws, 3, 'listJobs', []);
    expect(after.result).toEqual([]);
    expect(replies.find((r) => r.id === 1)?.error).toMatchObject({ code: 'invalid-request' });
    expect(replies.find((r) => r.id === -1)?.error).toEqual({
      message: 'bad request frame: nested too deep',
      code: 'invalid-request',
    });
    ws.close();
  });
});
