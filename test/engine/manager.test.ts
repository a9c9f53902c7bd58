// The JobManager API the desktop uses: background jobs, events, cancel, rerun, compare.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WorkbenchEvent } from '../../src/contract/api';
import { compareJobs } from '../../src/jobs/compare';
import { JobManager } from '../../src/jobs/manager';
import { settingsWith } from '../../src/jobs/spec/settings';
import { isAlive } from '../../src/util/proc';
import { repoRoot, tmpHome, demoPart, hardPart } from '../helpers/paths';

const m = new JobManager({ home: tmpHome(), remote: null });
afterAll(() => m.close());

describe('JobManager', () => {
  it('runs a job in the background and pushes status, progress, log and job events', async () => {
    const events: WorkbenchEvent[] = [];
    const off = m.onEvent((e) => events.push(e));
    const id = m.submit({ inputPath: demoPart('bracket.step'), settings: settingsWith({}), backend: 'local' });
    expect(m.get(id)?.status).toMatch(/queued|running/);
    const job = await m.wait(id);
    off();
    expect(job.status).toBe('completed');
    expect(events.some((e) => e.type === 'status' && e.status === 'running')).toBe(true);
    expect(events.some((e) => e.type === 'progress' && e.percent > 0)).toBe(true);
    expect(events.filter((e) => e.type === 'log').length).toBeGreaterThan(10);
    expect(events.at(-1)).toMatchObject({ type: 'job', job: { id, status: 'completed' } });
    const log = m.log(id, 0, 100_000);
    expect(log.some((l) => l.attempt === 0 && /Meshing 3D/.test(l.text))).toBe(true);
    expect(log.at(-1)!.seq).toBe(log.length);
  });

  it('cancel stops a running job and its Gmsh processes', async () => {
    const id = m.submit({
      inputPath: join(repoRoot, 'resources/demo/bracket.step'),
      settings: settingsWith({ sizeFactor: 0.1, strategy: 'default' }),
      backend: 'local',
    });
    let pid: number | null = null;
    for (let i = 0; i < 100 && pid === null; i++) {
      await new Promise((r) => setTimeout(r, 100));
      pid = (m.store.attemptRows(id)[0]?.gmsh_pid as number | null) ?? null;
    }
    expect(pid).not.toBeNull();
    m.cancel(id);
    const job = await m.wait(id);
    expect(job.status).toBe('cancelled');
    expect(job.attempts[0].status).toBe('cancelled');
    expect(isAlive(pid!)).toBe(false);
  });

  it('delete refuses an active job, then removes a finished one with its attempts, log lines and output folder', async () => {
    const id = m.submit({
      inputPath: join(repoRoot, 'resources/demo/bracket.step'),
      settings: settingsWith({ sizeFactor: 0.1, strategy: 'default' }),
      backend: 'local',
    });
    for (let i = 0; i < 100 && !m.store.attemptRows(id).length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(() => m.delete(id)).toThrow(/is (queued|running): cancel or stop it first/);
    m.cancel(id);
    const job = await m.wait(id);
    expect(job.outDir).toBe(join(m.home, 'jobs', id));
    expect(existsSync(job.outDir!)).toBe(true);
    expect(m.store.attemptRows(id).length).toBeGreaterThan(0);
    m.store.appendLog(id, 'info', 'a line still waiting to be flushed');
    expect(m.log(id).length).toBeGreaterThan(0);
    expect(m.delete(id)).toEqual({ removedFolder: job.outDir });
    expect(m.get(id)).toBeNull();
    expect(m.store.attemptRows(id)).toEqual([]);
    expect(m.log(id)).toEqual([]);
    expect(existsSync(job.outDir!)).toBe(false);
    expect(m.list().some((j) => j.id === id)).toBe(false);
  });

  it('rerun repeats a job with the same settings; compare finds them at parity', async () => {
    // Gmsh's Delaunay with -nt 1 is deterministic (HXT is not, even on one thread).
    const a = await m.run({
      inputPath: hardPart('sliver-boss.step'),
      settings: settingsWith({ strategy: 'default' }),
      backend: 'local',
    });
    const b = await m.wait(m.rerun(a.id));
    expect(b.id).not.toBe(a.id);
    expect(b.mesh!.sha256).toBe(a.mesh!.sha256);
    const c = compareJobs(a, b);
    expect(c.parity.ok).toBe(true);
    expect(c.rows.find((r) => r.metric === 'sicn.min')!.diffPct).toBe(0);

    const d = await m.run({
      inputPath: hardPart('sliver-boss.step'),
      settings: settingsWith({ strategy: 'finer-size' }),
      backend: 'local',
    });
    const cd = compareJobs(a, d);
    const tets = cd.rows.find((r) => r.metric === 'tetrahedra')!;
    expect(tets.diffPct).toBeCloseTo(
      ((d.mesh!.elements.tetrahedra - a.mesh!.elements.tetrahedra) / a.mesh!.elements.tetrahedra) * 100,
      9,
    );
  });

  it("compare adds the curved elements' scaled Jacobian for quadratic jobs, and a linear job has none", async () => {
    const quad = await m.run({
      inputPath: demoPart('bracket.step'),
      settings: settingsWith({ strategy: 'default', elementOrder: 2 }),
      backend: 'local',
    });
    const lin = await m.run({
      inputPath: demoPart('bracket.step'),
      settings: settingsWith({ strategy: 'default' }),
      backend: 'local',
    });
    const c = compareJobs(quad, quad);
    expect(c.rows.find((r) => r.metric === 'scaledJacobian.min')!.a).toBe(quad.quality!.scaledJacobian!.min);
    expect(c.parity.ok).toBe(true);
    expect(compareJobs(lin, lin).rows.some((r) => r.metric.startsWith('scaledJacobian'))).toBe(false);
    // a linear and a quadratic mesh of the same part: the row is there, with nothing on the linear side
    const mixed = compareJobs(lin, quad).rows.find((r) => r.metric === 'scaledJacobian.min')!;
    expect(mixed.a).toBeNull();
    expect(mixed.b).toBe(quad.quality!.scaledJacobian!.min);
    expect(compareJobs(lin, quad).parity.ok).toBe(false);
  });

  // The request's shape is checked at the edge (test/desktop/codec.test.ts); what it means, here, for every shell.
  it('refuses at submit a request that could only fail after meshing, storing nothing', () => {
    const before = m.list().length;
    expect(() =>
      m.submit({
        inputPath: 'x.step',
        settings: settingsWith({ elementOrder: 2, exports: ['su2'] }),
        backend: 'local',
      }),
    ).toThrow(/x\.step: nothing meshed: .*su2/i);
    expect(m.list()).toHaveLength(before);
  });
});
