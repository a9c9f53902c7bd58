// The offload path end to end on the local cloud: real s3rver, the real worker app under uvicorn (emulator),
// the real attempt runner and Gmsh, the real job runner and SQLite store.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud/local-cloud';
import type { AttemptExecutor } from '../../src/compute/executor';
import { compareJobs } from '../../src/jobs/compare';
import { join } from 'node:path';
import { demoPart, hardPart, repoRoot } from '../helpers/paths';
import { cloudEnv, managerFor, OFFLOAD_PHASES, requireRunner, spec } from './helpers/cloud';

let cloud: LocalCloud;
beforeAll(async () => {
  requireRunner();
  cloud = await startLocalCloud();
});
afterAll(async () => {
  await cloud?.stop();
});

describe('offload to the emulator', () => {
  it('meshes on modal with the same mesh sha256 as locally, every phase timed, and dedupes the second upload', async () => {
    const m = managerFor(cloudEnv(cloud));
    try {
      const part = demoPart('bracket.step');
      const local = await m.run(spec(part, 'local'));
      expect(local.status).toBe('completed');
      const remote = await m.run(spec(part, 'modal'));
      expect(remote.error).toBeNull();
      expect(remote.status).toBe('completed');
      expect(remote.backend).toBe('modal');
      expect(remote.mesh!.sha256).toBe(local.mesh!.sha256);
      expect(remote.quality!.sicn.avg).toBe(local.quality!.sicn.avg);
      for (const p of OFFLOAD_PHASES) expect(remote.timings.phases[p], p).toBeTypeOf('number');
      expect(remote.transfer.uploadedBytes).toBe(readFileSync(part).length);
      expect(remote.transfer.downloadedBytes).toBe(remote.mesh!.bytes);
      expect(remote.modal?.callId).toMatch(/^fc-/);
      expect(remote.attempts[0].modal?.status).toBe('completed');
      expect(remote.cost?.workerSeconds).toBeGreaterThan(0);
      // Billed as Modal bills: start-up + the call + 60 s idle, at the function's T4 + 1 core + 2 GiB rate.
      expect(remote.cost?.billedSeconds).toBeGreaterThanOrEqual(remote.cost!.workerSeconds + 60 - 0.001); // both rounded to ms
      expect(remote.cost?.gpu).toBe('T4');
      expect(remote.cost?.gpuUtilAvgPct).toBeNull(); // no GPU could be read here, and the job says so
      // The worker reported its Gmsh build; it is the local one, so the two meshes are compared by sha256.
      expect(remote.mesh!.gmsh).toEqual(local.mesh!.gmsh);
      expect(local.mesh!.gmsh!.build).toMatch(/\d{8}/);
      const c = compareJobs(local, remote);
      expect(c.parity).toMatchObject({ method: 'sha256', ok: true });
      expect(c.parity.why).toMatch(/compared by sha256, identical/);
      const logs = m.store
        .logLines(remote.id)
        .map((l) => l.text)
        .join('\n');
      expect(logs).toMatch(/Info +: Meshing 3D/); // Gmsh's own lines came back from the worker
      const again = await m.run(spec(part, 'modal'));
      expect(again.status).toBe('completed');
      expect(again.transfer.uploadedBytes).toBe(0);
      expect(again.mesh!.sha256).toBe(local.mesh!.sha256);
    } finally {
      await m.close();
    }
  });

  it('grows boundary layers on the worker as locally: the same layered mesh (sha256) and the same layer report', async () => {
    const m = managerFor(cloudEnv(cloud));
    try {
      const part = join(repoRoot, 'resources', 'cfd-parts', 'duct.step');
      const settings = {
        sizing: { sizeMax: 4 },
        layers: [{ target: 'face:1,3,4', count: 3, first: 0.1, growth: 1.3 }],
      };
      const local = await m.run(spec(part, 'local', settings));
      const remote = await m.run(spec(part, 'modal', settings));
      expect(remote.status, remote.error?.message).toBe('completed');
      expect(remote.backend).toBe('modal');
      expect(remote.mesh!.elements.prisms).toBeGreaterThan(0);
      expect(remote.mesh!.sha256).toBe(local.mesh!.sha256);
      expect(remote.layers).toEqual(local.layers);
      expect(remote.layers![0].measured.firstWithin20Pct).toBe(1);
    } finally {
      await m.close();
    }
  });

  it('repairs on Modal as it does locally: the same targeted repair, planned from the downloaded mesh, same bytes', async () => {
    const m = managerFor(cloudEnv(cloud));
    try {
      // At half size Delaunay leaves a sliver beside the thin wall (SICN < 0.1): the cascade repairs the faces it touches.
      const part = hardPart('thin-wall.step');
      const local = await m.run(spec(part, 'local', { sizeFactor: 0.5, repair: true }));
      const remote = await m.run(spec(part, 'modal', { sizeFactor: 0.5, repair: true }));
      expect(local.strategy).toBe('targeted-repair');
      expect(remote.status).toBe('completed');
      expect(remote.strategy).toBe('targeted-repair');
      expect(remote.targets?.met).toBe(true);
      const [missed, fix] = remote.attempts;
      expect(missed.quality!.sicn.min).toBeLessThan(0.1);
      expect(fix.modal?.status).toBe('completed'); // the repair itself ran on the worker
      expect(fix.repair).toEqual(local.attempts.find((a) => a.strategy === 'targeted-repair')!.repair);
      expect(remote.timings.phases.repairDownload).toBeTypeOf('number');
      expect(remote.transfer.downloadedBytes).toBe(missed.mesh!.bytes + remote.mesh!.bytes);
      expect(compareJobs(local, remote).parity).toMatchObject({ method: 'sha256', ok: true });
      const logs = m.store
        .logLines(remote.id)
        .map((l) => l.text)
        .join('\n');
      expect(logs).toMatch(/downloaded default's mesh \(\d+ bytes\) to plan its targeted repair/);
    } finally {
      await m.close();
    }
  });

  it('fans an exhaustive job out, one call per attempt, downloads only the winner and what a repair plans from, one repair decision at a time', async () => {
    // The download that a repair plans from is held for 1.5 s, so the other attempts of the fan-out end meanwhile.
    const slowDownload = (ex: AttemptExecutor) => {
      const fetchMesh = ex.fetchMesh!.bind(ex);
      ex.fetchMesh = async (...a) => {
        await new Promise((r) => setTimeout(r, 1500));
        return fetchMesh(...a);
      };
    };
    const m = managerFor(cloudEnv(cloud), undefined, slowDownload);
    try {
      const job = await m.run(spec(hardPart('small-fillet.step'), 'modal', { strategy: 'exhaustive', policy: 'best' }));
      expect(job.status).toBe('completed');
      const ran = job.attempts.filter((a) => a.modal?.callId);
      expect(ran.length).toBeGreaterThan(1);
      expect(new Set(ran.map((a) => a.modal!.callId)).size).toBe(ran.length);
      // A targeted repair is planned from its source's downloaded mesh. A plan may also decide against repairing after
      // the download, so there can be more downloads than repairs, but never two of one mesh and nothing else came back.
      const lines = m.store.logLines(job.id);
      const forRepair = lines
        .map((l) => ({
          at: l.attempt,
          m: /downloaded .*'s mesh \((\d+) bytes\) to plan its targeted repair/.exec(l.text),
        }))
        .filter((x) => x.m !== null)
        .map((x) => ({ at: x.at, bytes: Number(x.m![1]) }));
      const repairs = job.attempts.filter((a) => a.strategy === 'targeted-repair');
      const sources = repairs.map(
        (a) => job.attempts.find((b) => b.strategy === a.repair!.from && b.index < a.index)!.index,
      );
      expect(new Set(forRepair.map((d) => d.at)).size).toBe(forRepair.length);
      for (const src of sources) expect(forRepair.map((d) => d.at)).toContain(src);
      expect(job.transfer.downloadedBytes).toBe(job.mesh!.bytes + forRepair.reduce((a, d) => a + d.bytes, 0));
      // Repairs are decided one at a time, however many attempts end during a download: each round is planned once,
      // round 1 repairs an attempt of the plan and every later round refines the previous repair.
      const rounds = lines.map((l) => /^Targeted repair (\d+) of (.*?):/.exec(l.text)).filter((r) => r !== null);
      expect(rounds.length).toBeGreaterThan(0);
      expect(rounds.length).toBe(repairs.length);
      expect(new Set(rounds.map((r) => r[1])).size).toBe(rounds.length);
      expect(rounds.map((r) => Number(r[1]))).toEqual(rounds.map((_, i) => i + 1));
      for (const r of rounds.slice(1)) expect(r[2]).toBe('targeted-repair');
      // Once round 1 is planned, the other attempts' meshes are not downloaded for nothing.
      const declined = lines.map((l) => l.text).filter((t) => /^No targeted repair of/.test(t));
      expect(declined.filter((t) => /no repair round left/.test(t))).toEqual([]);
      expect(forRepair.length).toBe(rounds.length + declined.length);
    } finally {
      await m.close();
    }
  });

  it('a wrong Modal key: modal fails with exit 4 and a clear message, auto falls back to local', async () => {
    const m = managerFor(cloudEnv(cloud, { MODAL_KEY: 'wk-wrong', MODAL_SECRET: 'ws-wrong' }));
    try {
      const j = await m.run(spec(demoPart('bracket.step'), 'modal'));
      expect(j.status).toBe('failed');
      expect(j.error?.code).toBe('modal-unavailable');
      expect(j.error?.message).toMatch(/refused the credentials \(HTTP 401\): wrong or missing Modal key/);
      expect(j.error?.hint).toMatch(/MODAL_KEY/);
      const a = await m.run(spec(demoPart('bracket.step'), 'auto'));
      expect(a.status).toBe('completed');
      expect(a.backend).toBe('local');
      expect(a.fallback?.reason).toMatch(/401/);
    } finally {
      await m.close();
    }
  });

  it('Modal unreachable: auto completes locally with the reason, modal fails with exit 4', async () => {
    const m = managerFor(cloudEnv(cloud, { MESHBENCH_MODAL_URL: 'http://127.0.0.1:9' }));
    try {
      const a = await m.run(spec(demoPart('bracket.step'), 'auto'));
      expect(a.status).toBe('completed');
      expect(a.backend).toBe('local');
      expect(a.fallback).toEqual({
        from: 'modal',
        reason: expect.stringMatching(/Cannot reach the Modal endpoint http:\/\/127\.0\.0\.1:9/),
      });
      const j = await m.run(spec(demoPart('bracket.step'), 'modal'));
      expect(j.status).toBe('failed');
      expect(j.error?.message).toMatch(/Cannot reach the Modal endpoint/);
      expect(j.error?.hint).toMatch(/MESHBENCH_MODAL_URL/);
    } finally {
      await m.close();
    }
  });

  it('12 jobs offloaded at once all complete', async () => {
    const m = managerFor(cloudEnv(cloud));
    try {
      const parts = [demoPart('bracket.step'), hardPart('small-fillet.step'), hardPart('sliver-boss.step')];
      const t0 = Date.now();
      const jobs = await Promise.all(
        Array.from({ length: 12 }, (_, i) => m.run(spec(parts[i % 3], 'modal', { sizeFactor: 1 + (i % 4) * 0.1 }))),
      );
      const wall = Date.now() - t0;
      const bad = jobs
        .filter((j) => j.status !== 'completed')
        .map((j) => `${j.id}: ${j.status} ${j.error?.message} ${j.attempts.map((a) => a.error).join(' | ')}`);
      expect(bad).toEqual([]);
      expect(jobs.every((j) => j.backend === 'modal')).toBe(true);
      console.log(`12 offloaded jobs: ${wall} ms wall`);
    } finally {
      await m.close();
    }
  });
});
