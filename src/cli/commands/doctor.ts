import type { Command } from 'commander';
import type { DoctorReport } from '../../contract/api';
import { resolveOffloadConfig } from '../../cloud/config';
import { breakerState, resetBreaker } from '../../compute/breaker';
import { gmshInfo } from '../../gmsh/info';
import { findGmsh } from '../../gmsh/locate';
import type { JobManager } from '../../jobs/manager';
import { errorMessage } from '../../util/errors';
import { printJson, say } from '../io';
import { openManager } from '../manager';

/** Gmsh, data folder, store health and the offload path's state; shared with the desktop's Settings. */
export async function doctorReport(m: JobManager): Promise<DoctorReport> {
  const checks: DoctorReport['checks'] = [];
  let gmsh = null;
  let gmshError = null;
  try {
    const loc = findGmsh();
    gmsh = await gmshInfo(loc.path);
    const c = gmsh.capabilities;
    checks.push({ name: 'gmsh', ok: true, detail: `Gmsh ${gmsh.version} at ${gmsh.path} (${loc.source}); OpenCASCADE ${c.openCascade ? 'yes' : 'no'}, HXT ${c.hxt ? 'yes' : 'no'}, Netgen ${c.netgen ? 'yes' : 'no'}, Mmg ${c.mmg ? 'yes' : 'no'}` });
    if (!c.openCascade) checks.push({ name: 'opencascade', ok: false, detail: 'This Gmsh has no OpenCASCADE: STEP, IGES and BREP parts cannot be read.' });
  } catch (e) {
    gmshError = errorMessage(e);
    checks.push({ name: 'gmsh', ok: false, detail: gmshError });
  }
  let store: DoctorReport['store'];
  try {
    const integrity = m.store.db.pragma('quick_check', { simple: true });
    const jobs = (m.store.db.prepare('SELECT COUNT(*) n FROM jobs').get() as { n: number }).n;
    store = { path: m.store.path, ok: integrity === 'ok', jobs, userVersion: m.store.userVersion };
    checks.push({ name: 'store', ok: store.ok, detail: `${m.store.path}: ${jobs} jobs, schema v${store.userVersion}, integrity ${integrity}` });
  } catch (e) {
    store = { path: m.store.path, ok: false, jobs: 0, userVersion: 0, error: errorMessage(e) };
    checks.push({ name: 'store', ok: false, detail: errorMessage(e) });
  }
  const breaker = breakerState(m.store);
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  checks.push({
    name: 'breaker',
    ok: !breaker.open,
    detail: breaker.open
      ? `OPEN since ${breaker.since}: ${breaker.reason}. Jobs on auto run locally until reset (meshbench doctor --reset-breaker).`
      : `closed (Modal errors ${pct(breaker.modalErrorRate)}, S3 failures ${pct(breaker.s3FailureRate)} over ${breaker.window} recent remote events)`,
  });
  try {
    const c = resolveOffloadConfig({ settings: m.store });
    checks.push({
      name: 'compute',
      ok: true,
      detail: `${c.compute} (${c.computeSource === 'env' ? 'from MESHBENCH_COMPUTE' : c.computeSource === 'setting' ? 'saved setting' : 'default'}); Modal ${c.modal?.url ?? 'not configured'}, S3 bucket ${c.s3 ? `${c.s3.bucket}${c.s3.endpoint ? ` at ${c.s3.endpoint}` : ''}` : 'not configured'}${c.missing.length ? ` — offload needs ${c.missing.join(', ')}` : ''}`,
    });
  } catch (e) {
    checks.push({ name: 'compute', ok: false, detail: errorMessage(e) });
  }
  return { ok: checks.every((c) => c.ok), gmsh, gmshError, dataDir: m.home, store, breaker, checks };
}

export function register(program: Command) {
  program
    .command('doctor')
    .description('check Gmsh, the data folder, the job store and the offload path')
    .option('--json', 'print the report as JSON')
    .option('--reset-breaker', 'close the offload circuit breaker (after Modal/S3 are healthy again)')
    .action(async (o) => {
      const m = openManager();
      if (o.resetBreaker) {
        resetBreaker(m.store);
        say('Circuit breaker reset: jobs on auto offload to Modal again.');
      }
      const r = await doctorReport(m);
      await m.close();
      if (o.json) printJson(r);
      else {
        say(`Data folder: ${r.dataDir}`);
        for (const c of r.checks) say(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(12)} ${c.detail}`);
      }
      process.exitCode = r.ok ? 0 : 4;
    });
}
