// The circuit breaker and the compute switch over a real job store (SQLite).
import { afterEach, describe, expect, it } from 'vitest';
import { resolveOffloadConfig } from '../../src/cloud/config';
import { breakerState, resetBreaker } from '../../src/compute/breaker';
import { modalUsable } from '../../src/compute/modal-usable';
import { JobStore } from '../../src/jobs/store/store';
import { tmpHome } from '../helpers/paths';

const stores: JobStore[] = [];
const open = () => {
  const s = new JobStore(tmpHome('meshbench-breaker-'));
  stores.push(s);
  return s;
};
afterEach(() => stores.splice(0).forEach((s) => s.close()));

const configured = resolveOffloadConfig({
  env: { MESHBENCH_S3_BUCKET: 'b', MESHBENCH_MODAL_URL: 'http://127.0.0.1:1', MODAL_KEY: 'k', MODAL_SECRET: 's' },
});

describe('circuit breaker', () => {
  it('stays closed below the minimum sample and under the thresholds', () => {
    const s = open();
    for (let i = 0; i < 5; i++) s.recordRemoteEvent('modal', false, 'boom'); // 100 % but only 5 calls
    expect(breakerState(s).open).toBe(false);
    for (let i = 0; i < 95; i++) s.recordRemoteEvent('modal', true, 'ok');
    const st = breakerState(s);
    expect(st.open).toBe(false);
    expect(st.modalErrorRate).toBeCloseTo(0.05, 5); // exactly 5 %: not above the trigger
  });

  it('opens past 5 % Modal errors, routes auto to local with the reason until reset; modal still goes to Modal', () => {
    const s = open();
    for (let i = 0; i < 18; i++) s.recordRemoteEvent('modal', true, `call ${i}`);
    s.recordRemoteEvent('modal', false, 'call fc-1: worker-crashed: killed');
    s.recordRemoteEvent('modal', false, 'call fc-2: expired');
    const st = breakerState(s);
    expect(st.open).toBe(true);
    expect(st.modalErrorRate).toBeCloseTo(0.1, 5);
    expect(st.reason).toMatch(/Modal error rate 10\.0 % over the last 20 calls \(trigger > 5\.0 %\)/);
    expect(st.since).toBeTruthy();
    const auto = modalUsable('auto', configured, () => st);
    expect(auto.unusable?.reason).toMatch(/circuit breaker is open/);
    expect(auto.unusable?.hint).toMatch(/meshbench doctor --reset-breaker/);
    expect(modalUsable('modal', configured, () => st).unusable).toBeUndefined();
    // Sticky: good events afterwards do not close it...
    for (let i = 0; i < 200; i++) s.recordRemoteEvent('modal', true, 'ok');
    expect(breakerState(s).open).toBe(true);
    // ...a reset does, and old failures no longer count.
    const r = resetBreaker(s);
    expect(r.open).toBe(false);
    expect(r.window).toBe(0);
    expect(modalUsable('auto', configured, () => r).unusable).toBeUndefined();
  });

  it('opens past 2 % S3 I/O failures', () => {
    const s = open();
    for (let i = 0; i < 48; i++) s.recordRemoteEvent('s3', true, 'upload');
    s.recordRemoteEvent('s3', false, 'upload inputs/x: S3 kept failing');
    s.recordRemoteEvent('s3', false, 'download jobs/y: sha256 mismatch');
    const st = breakerState(s);
    expect(st.open).toBe(true);
    expect(st.s3FailureRate).toBeCloseTo(0.04, 5);
    expect(st.reason).toMatch(
      /S3 I\/O failure rate 4\.0 % over the last 50 transfers \(trigger > 2\.0 %\); last: download jobs\/y: sha256 mismatch/,
    );
  });
});

describe('compute switch and configuration', () => {
  it('MESHBENCH_COMPUTE overrides the saved setting; USE_MODAL_COMPUTE maps onto it; bad values are named', () => {
    const s = open();
    s.setSetting('compute', 'auto');
    expect(resolveOffloadConfig({ env: {}, settings: s })).toMatchObject({ compute: 'auto', computeSource: 'setting' });
    expect(resolveOffloadConfig({ env: { MESHBENCH_COMPUTE: 'local' }, settings: s })).toMatchObject({
      compute: 'local',
      computeSource: 'env',
    });
    expect(resolveOffloadConfig({ env: { USE_MODAL_COMPUTE: 'true' } }).compute).toBe('modal');
    expect(() => resolveOffloadConfig({ env: { MESHBENCH_COMPUTE: 'cloud' } })).toThrow(
      /MESHBENCH_COMPUTE is "cloud"; expected local, modal or auto/,
    );
  });

  it('unconfigured offload: Modal is unusable, saying what to set', () => {
    const c = resolveOffloadConfig({ env: {} });
    expect(c.missing).toEqual(['MESHBENCH_S3_BUCKET', 'MESHBENCH_MODAL_URL']);
    const closed = { open: false, reason: null, modalErrorRate: 0, s3FailureRate: 0, window: 0, since: null };
    for (const requested of ['auto', 'modal'] as const) {
      const u = modalUsable(requested, c, () => closed).unusable;
      expect(u?.reason).toBe('Modal offload is not configured: MESHBENCH_S3_BUCKET, MESHBENCH_MODAL_URL missing.');
      expect(u?.hint).toMatch(/meshbench cloud-local/);
    }
    // Keys missing are missing too, even with a bucket and a URL.
    const noKeys = resolveOffloadConfig({
      env: { MESHBENCH_S3_BUCKET: 'b', MESHBENCH_MODAL_URL: 'https://m.example' },
    });
    expect(modalUsable('modal', noKeys, null).unusable?.reason).toMatch(/MODAL_KEY\/MODAL_SECRET missing/);
    expect(modalUsable('modal', configured, null).settings?.modal).toEqual({
      url: 'http://127.0.0.1:1',
      key: 'k',
      secret: 's',
    });
  });

  it('settings fill in what the environment leaves out', () => {
    const s = open();
    s.setSetting('s3', { bucket: 'saved-bucket', region: 'eu-west-1', endpoint: null });
    s.setSetting('modal', { url: 'https://ws--meshbench-web.modal.run/' });
    const c = resolveOffloadConfig({
      env: {},
      settings: s,
      secrets: {
        get: (n) =>
          (
            ({
              'modal.key': 'wk',
              'modal.secret': 'ws',
              'modal.keysFor': 'https://ws--meshbench-web.modal.run',
            }) as Record<string, string>
          )[n] ?? null,
      },
    });
    expect(c.s3).toMatchObject({ bucket: 'saved-bucket', region: 'eu-west-1', endpoint: null });
    expect(c.modal).toEqual({ url: 'https://ws--meshbench-web.modal.run', key: 'wk', secret: 'ws' });
    expect(c.missing).toEqual([]);
  });
});
