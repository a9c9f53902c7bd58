// Whether Modal can take a job is decided once (src/compute/modal-usable.ts) and every path that asks gets the
// same answer in the same words: a job asking for modal fails, auto runs locally saying why, resume is refused.
import { afterAll, describe, expect, it } from 'vitest';
import { offloadPath } from '../../src/compute/offload-path';
import { JobManager } from '../../src/jobs/manager';
import { resumeJobs } from '../../src/jobs/pipeline/resume';
import { settingsWith } from '../../src/jobs/spec/settings';
import { demoPart, tmpHome } from '../helpers/paths';

const NOT_CONFIGURED = 'Modal offload is not configured: MESHBENCH_S3_BUCKET, MESHBENCH_MODAL_URL missing.';
const CONFIGURED = {
  MESHBENCH_S3_BUCKET: 'b',
  MESHBENCH_MODAL_URL: 'http://127.0.0.1:1',
  MODAL_KEY: 'k',
  MODAL_SECRET: 's',
};
const managers: JobManager[] = [];
const managerWith = (env: NodeJS.ProcessEnv) => {
  const m = new JobManager({ home: tmpHome(), remote: (store) => offloadPath(store, { env }) });
  managers.push(m);
  return m;
};
afterAll(() => Promise.all(managers.map((m) => m.close())));
const quick = { inputPath: demoPart('bracket.step'), settings: settingsWith({ strategy: 'default', sizeFactor: 2 }) };

describe('Modal usable, decided once', () => {
  it('unconfigured: modal fails (exit-4 code) with the reason, auto meshes locally with it, resume is refused', async () => {
    const m = managerWith({});
    const modal = await m.run({ ...quick, backend: 'modal' });
    expect(modal.status).toBe('failed');
    expect(modal.error).toMatchObject({ code: 'modal-unavailable', message: NOT_CONFIGURED });
    expect(modal.error?.hint).toMatch(/meshbench cloud-local/);
    expect(modal.attempts).toEqual([]); // nothing ran
    const auto = await m.run({ ...quick, backend: 'auto' });
    expect(auto.status).toBe('completed');
    expect(auto.backend).toBe('local');
    expect(auto.fallback?.reason.startsWith(NOT_CONFIGURED)).toBe(true);
    await expect(resumeJobs({ store: m.store, home: m.home, remote: m.remote! })).rejects.toThrow(
      `Cannot resume: ${NOT_CONFIGURED}`,
    );
  });

  it('the circuit breaker open: auto meshes locally saying so; the CLI default follows the same configuration', async () => {
    const m = managerWith({ ...CONFIGURED, MESHBENCH_COMPUTE: 'auto' });
    for (let i = 0; i < 20; i++) m.store.recordRemoteEvent('modal', false, 'call fc-x: worker-crashed');
    const auto = await m.run({ ...quick, backend: 'auto' });
    expect(auto.backend).toBe('local');
    expect(auto.fallback?.reason).toMatch(/^The offload circuit breaker is open since .*: Modal error rate 100\.0 %/);
    expect(auto.fallback?.reason).toMatch(/meshbench doctor --reset-breaker/);
    // The compute switch and Modal's settings come from one reading of the configuration.
    expect(m.remote!.config()).toMatchObject({ compute: 'auto', computeSource: 'env', missing: [] });
  });
});
