// The workbench's settings: every saved value is read through its schema (a value of the wrong shape reads as unset
// and the default applies, nothing breaks), and the Gmsh chosen in Settings is passed as a value to what runs Gmsh
// (preview, jobs, doctor), never planted in process.env.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/contract/job';
import { resolveOffloadConfig } from '../../src/cloud/config';
import { findGmsh } from '../../src/gmsh/locate';
import { createWorkbenchService, type WorkbenchService } from '../../src/workbench/service';
import { MemorySecretStore } from '../../src/workbench/secrets';
import { gmshAvailable } from '../helpers/cli';
import { demoPart, tmpHome } from '../helpers/paths';

const services: WorkbenchService[] = [];
afterAll(async () => {
  for (const s of services) await s.close();
});
function service(o: Partial<Parameters<typeof createWorkbenchService>[0]> = {}) {
  const s = createWorkbenchService({
    home: tmpHome('meshbench-wb-settings-'),
    secrets: new MemorySecretStore(),
    remote: null,
    ...o,
  });
  services.push(s);
  return s;
}

describe('saved settings are read through their schema', () => {
  it('values of the wrong shape read as unset: Settings shows the defaults, recent files and offload still work', async () => {
    const s = service({ env: {} });
    const store = s.manager.store;
    // As an older version, a hand edit or a damaged row might have left them.
    store.setSetting('modal', { url: 42 });
    store.setSetting('s3', { bucket: ['b'], endpoint: 7 });
    store.setSetting('compute', { backend: 'modal' });
    store.setSetting('ec2BaselineUsdPerHour', 'cheap');
    store.setSetting('desktop.recentFiles', 'not-a-list');
    store.setSetting('desktop.defaults', { sizeFactor: 'big' });
    store.setSetting('desktop.gmshPath', 17);
    store.db.prepare(`INSERT INTO settings (key, value) VALUES ('breaker.open', '{not json')`).run();
    const st = await s.getSettings();
    expect(st.modal.url).toBeNull();
    expect(st.s3).toMatchObject({ bucket: '', endpoint: null });
    expect(st.compute).toBe('local');
    expect(st.ec2BaselineUsdPerHour).toBeGreaterThan(0);
    expect(st.defaults).toEqual(DEFAULT_SETTINGS);
    expect(st.gmshPath).toBeNull();
    expect(await s.recentFiles()).toEqual([]);
    expect((await s.breaker()).open).toBe(false);
    expect(resolveOffloadConfig({ env: {}, settings: store }).missing).toEqual([
      'MESHBENCH_S3_BUCKET',
      'MESHBENCH_MODAL_URL',
    ]);
  });
});

describe.skipIf(!gmshAvailable() || !!process.env.MESHBENCH_GMSH)(
  'the Gmsh chosen in Settings is passed as a value',
  () => {
    it('preview, jobs and doctor run the chosen Gmsh, and process.env is never written', async () => {
      const dir = tmpHome('meshbench-chosen-gmsh-');
      const marker = join(dir, 'calls.log');
      // A wrapper that records each call, then runs the real Gmsh.
      const wrapper = join(dir, 'gmsh');
      writeFileSync(wrapper, `#!/bin/sh\necho "$@" >> '${marker}'\nexec '${findGmsh().path}' "$@"\n`);
      chmodSync(wrapper, 0o755);
      const envBefore = { ...process.env };
      const s = service({ pickGmsh: async () => wrapper });
      const st = await s.pickGmsh();
      expect(st.gmshPath).toBe(wrapper);
      expect(st.sources.gmsh).toEqual({ from: 'saved' });
      expect(process.env).toEqual(envBefore);
      expect((await s.appInfo()).gmsh?.path).toBe(wrapper);
      expect((await s.doctor()).checks.find((c) => c.name === 'gmsh')?.detail).toContain(`${wrapper} (chosen)`);

      const part = await s.importFile('bracket.step', readFileSync(demoPart('bracket.step')));
      await s.preview(part);
      const previewCalls = readFileSync(marker, 'utf8').split('\n').filter(Boolean).length;
      expect(previewCalls).toBeGreaterThan(1); // -info, then the preview's run
      const { id } = await s.submitJob({ inputPath: part, settings: DEFAULT_SETTINGS, backend: 'local' });
      const job = await s.manager.wait(id);
      expect(job.status).toBe('completed');
      expect(job.attempts.find((a) => a.status === 'completed')?.argv[0]).toBe(wrapper);
      expect(readFileSync(marker, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThan(previewCalls);
      expect(process.env).toEqual(envBefore);

      // Back to auto: the wrapper is no longer used.
      await s.saveSettings({ gmshPath: null });
      expect((await s.appInfo()).gmsh?.path).toBe(findGmsh().path);
      expect(process.env).toEqual(envBefore);
    });
  },
);
