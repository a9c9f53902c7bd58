// The page (Electron renderer or the harness's browser) cannot choose the Gmsh executable, the output folder, or a
// file the user did not pick. Each refusal is checked through the real IPC handler table (sender check, argument
// validation, service) and proven harmless: the would-be Gmsh is a script writing a marker that must not appear.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelOf, type Settings } from '../../src/contract/api';
import { DEFAULT_SETTINGS } from '../../src/contract/job';
import { buildHandlers } from '../../main/ipc';
import { createWorkbenchService, type WorkbenchService } from '../../src/workbench/service';
import { MemorySecretStore } from '../../src/workbench/secrets';
import { gmshAvailable } from '../helpers/cli';
import { repoRoot, tmpHome } from '../helpers/paths';

const trusted = { senderFrame: { url: 'file:///app/out/renderer/index.html', parent: null } };
const dir = mkdtempSync(join(tmpdir(), 'mb-api-guard-'));
const marker = join(dir, 'MARKER');
const fakeGmsh = join(dir, 'gmsh');
const picked = join(dir, 'picked.step');
const notPicked = join(dir, 'not-picked.step');
const bracket = readFileSync(join(repoRoot, 'resources/demo/bracket.step'));

let home: string;
let service: WorkbenchService;
let call: (
  method: string,
  ...args: unknown[]
) => Promise<{ ok: boolean; value?: any; error?: { code?: string; message: string } }>;

beforeAll(async () => {
  writeFileSync(fakeGmsh, `#!/bin/sh\ntouch '${marker}'\n`);
  chmodSync(fakeGmsh, 0o755);
  writeFileSync(picked, bracket);
  writeFileSync(notPicked, bracket);
  home = tmpHome('meshbench-api-guard-');
  service = createWorkbenchService({ home, secrets: new MemorySecretStore(), pickFiles: async () => [picked] });
  const handlers = buildHandlers(service, (f) => f?.url === trusted.senderFrame.url && !f.parent);
  call = (m, ...args) => handlers.get(channelOf(m as never))!(trusted, ...args) as never;
  expect((await call('pickFiles')).value).toEqual([picked]);
});
afterAll(async () => {
  await service.close();
  rmSync(home, { recursive: true, force: true });
});

describe.skipIf(!gmshAvailable())('the page cannot choose what the engine runs or reads', () => {
  it('refuses a Gmsh path from the page; the harness has no dialog, so pickGmsh changes nothing', async () => {
    const r = await call('saveSettings', { gmshPath: fakeGmsh });
    expect(r.ok).toBe(false);
    expect(r.error?.message).toMatch(/saveSettings: .*gmshPath/);
    const s = await call('pickGmsh');
    expect((s.value as Settings).gmshPath).toBeNull();
    // A picked part still previews with the real Gmsh: the fake one never ran.
    const p = await call('preview', picked);
    expect(p.ok, p.error?.message).toBe(true);
    expect(p.value.volumes).toBeGreaterThan(0);
    expect(existsSync(marker)).toBe(false);
    // Clearing the saved path (back to auto) is all the page may do.
    expect((await call('saveSettings', { gmshPath: null })).ok).toBe(true);
  });

  it('refuses an output folder chosen by the page', async () => {
    const out = join(dir, 'elsewhere');
    const r = await call('submitJob', { inputPath: picked, settings: DEFAULT_SETTINGS, backend: 'local', outDir: out });
    expect(r.ok).toBe(false);
    expect(r.error?.message).toMatch(/submitJob/);
    expect(existsSync(out)).toBe(false);
    expect((await call('listJobs')).value).toHaveLength(0);
  });

  it('refuses to preview or mesh a file the user did not pick or drop', async () => {
    for (const path of [notPicked, '/etc/passwd']) {
      const p = await call('preview', path);
      expect(p.ok).toBe(false);
      expect(p.error?.code).toBe('not-picked');
      const j = await call('submitJob', { inputPath: path, settings: DEFAULT_SETTINGS, backend: 'local' });
      expect(j.error?.code).toBe('not-picked');
    }
    expect((await call('listJobs')).value).toHaveLength(0);
    // An upload/drop (importFile) is a pick: its stored path is accepted.
    const stored = (await call('importFile', 'dropped.step', new Uint8Array(bracket))).value as string;
    expect((await call('preview', stored)).ok).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });
});
