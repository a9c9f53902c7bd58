// The IPC handler table: one handler per contract method, sender checked, payload validated, errors as values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { WORKBENCH_METHODS, channelOf } from '../../src/contract/api';
import { DEFAULT_SETTINGS } from '../../src/contract/job';
import { buildHandlers } from '../../main/ipc';
import { eventBatcher } from '../../src/workbench/event-batcher';
import { createWorkbenchService, type WorkbenchService } from '../../src/workbench/service';
import { MemorySecretStore } from '../../src/workbench/secrets';
import { argSchemas } from '../../src/workbench/validate';
import { z } from 'zod';
import { tmpHome, demoPart } from '../helpers/paths';

const trusted = { senderFrame: { url: 'file:///app/out/renderer/index.html', parent: null } };
const foreign = { senderFrame: { url: 'https://evil.example/', parent: null } };

let home: string;
let service: WorkbenchService;
let handlers: ReturnType<typeof buildHandlers>;
const secrets = new MemorySecretStore();

beforeAll(async () => {
  home = tmpHome('meshbench-ipc-');
  // The native dialog, as if the user picked these two (one since deleted).
  service = createWorkbenchService({
    home,
    secrets,
    pickFiles: async () => [demoPart('bracket.step'), '/nonexistent/part.step'],
  });
  handlers = buildHandlers(service, (f) => f?.url === trusted.senderFrame.url && !f.parent);
  await handlers.get(channelOf('pickFiles'))!(trusted);
});
afterAll(async () => {
  await service.close();
  rmSync(home, { recursive: true, force: true });
});

describe('argument schemas', () => {
  it('are checked against WorkbenchApi by the compiler: a schema of the wrong shape does not type-check', () => {
    // @ts-expect-error cancelJob takes a job id (string), not a number
    const wrong: typeof argSchemas = { ...argSchemas, cancelJob: z.tuple([z.number()]) };
    expect(Object.keys(wrong).sort()).toEqual([...WORKBENCH_METHODS].sort());
  });
});

describe('handler table', () => {
  it('has exactly one channel per contract method', () => {
    expect([...handlers.keys()].sort()).toEqual(WORKBENCH_METHODS.map(channelOf).sort());
  });

  it('refuses messages from an untrusted frame before touching the engine', async () => {
    const r = await handlers.get(channelOf('listJobs'))!(foreign);
    expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: 'untrusted-sender' }) });
  });

  it('validates payloads and says which argument is wrong', async () => {
    const bad = await handlers.get(channelOf('submitJob'))!(trusted, {
      inputPath: 42,
      settings: DEFAULT_SETTINGS,
      backend: 'local',
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/submitJob: .*inputPath/);
    const extra = await handlers.get(channelOf('submitJob'))!(trusted, {
      inputPath: '/x.step',
      settings: DEFAULT_SETTINGS,
      backend: 'cloud',
    });
    expect(extra.ok).toBe(false);
    const id = await handlers.get(channelOf('getJob'))!(trusted, '../../etc/passwd');
    expect(id.ok).toBe(false);
    const tooMany = await handlers.get(channelOf('listJobs'))!(trusted, 'surplus');
    expect(tooMany.ok).toBe(false);
  });

  it('serves a real preview of a sample part through the table', async () => {
    const r = await handlers.get(channelOf('preview'))!(trusted, demoPart('bracket.step'));
    expect(r.ok).toBe(true);
    if (r.ok) {
      const p = r.value as {
        volumes: number;
        surfaces: number;
        positions: Float32Array;
        indices: Uint32Array;
        ms: number;
      };
      expect(p.volumes).toBe(1);
      expect(p.surfaces).toBeGreaterThan(5);
      expect(p.positions).toBeInstanceOf(Float32Array);
      expect(p.indices.length % 3).toBe(0);
      expect(p.ms).toBeGreaterThan(0); // measured; its speed is a bench row, not a test
    }
  });

  it('returns expected failures as words, without stack traces', async () => {
    const r = await handlers.get(channelOf('preview'))!(trusted, '/nonexistent/part.step');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toContain('/nonexistent/part.step');
      expect(r.error.message).not.toMatch(/\n\s+at /);
    }
  });

  it('refuses a job whose export cannot be written as asked at once, in the words the CLI uses', async () => {
    const part = demoPart('bracket.step');
    const r = await handlers.get(channelOf('submitJob'))!(trusted, {
      inputPath: part,
      settings: { ...DEFAULT_SETTINGS, elementOrder: 2, exports: ['su2'] },
      backend: 'local',
    });
    expect(r).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'export-impossible',
        message: `${part}: nothing meshed: SU2 (.su2) takes linear elements only: export su2 from a linear mesh (--order 1).`,
      }),
    });
    const jobs = await handlers.get(channelOf('listJobs'))!(trusted);
    expect(jobs.ok && (jobs.value as unknown[]).length).toBe(0);
  });

  it('keeps secrets in the secret store and tells the renderer only that they exist', async () => {
    const r = await handlers.get(channelOf('saveSettings'))!(trusted, {
      s3: { bucket: 'b', region: 'eu-west-1', accessKeyId: 'AKIATEST', secretAccessKey: 'topsecret' },
      modal: { url: 'http://127.0.0.1:9', key: 'mk', secret: 'ms' },
    });
    expect(r.ok).toBe(true);
    const text = JSON.stringify(r.ok ? r.value : null);
    expect(text).not.toContain('topsecret');
    expect(text).not.toContain('AKIATEST');
    expect(r.ok && (r.value as { s3: { hasKeys: boolean } }).s3.hasKeys).toBe(true);
    expect(secrets.get('s3.secretAccessKey')).toBe('topsecret');
    expect(secrets.get('modal.secret')).toBe('ms');
    // Nor in the SQLite store in clear.
    const rows = service.manager.store.db.prepare('SELECT key, value FROM settings').all() as { value: string }[];
    expect(JSON.stringify(rows)).not.toMatch(/topsecret|AKIATEST|"ms"/);
  });
});

describe('event batching', () => {
  it('coalesces events into one send per interval', async () => {
    const sent: unknown[][] = [];
    const b = eventBatcher((e) => sent.push(e), 20);
    for (let i = 0; i < 1000; i++)
      b.push([{ type: 'progress', jobId: 'j', attempt: 0, percent: i / 10, phase: 'mesh' }]);
    await new Promise((r) => setTimeout(r, 60));
    expect(sent.length).toBe(1);
    expect(sent[0].length).toBe(1000);
    b.stop();
  });
});
