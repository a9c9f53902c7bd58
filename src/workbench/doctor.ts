// The health report behind `meshbench doctor` and the desktop's Settings: Gmsh and its capabilities, the data
// folder, the job store, the circuit breaker and the offload configuration, each as a check an engineer can act on.
import type { DoctorReport } from '../contract/api';
import { resolveOffloadConfig } from '../cloud/config';
import { breakerState } from '../compute/breaker';
import { gmshInfo } from '../gmsh/info';
import { describeMemoryLimit } from '../gmsh/memory';
import { winRates } from '../jobs/policy/learned-order';
import type { JobManager } from '../jobs/manager';
import { healLine, storeHeals } from '../jobs/store/heal';
import { hasReserve } from '../jobs/store/reserve';
import { markStoreDamaged } from '../jobs/store/store';
import { errorMessage } from '../util/errors';
import { diskIsFull, freeBytes, isCorruption } from '../util/faults';

/** Gmsh, data folder, store health and the offload path's state. */
export async function doctorReport(m: JobManager): Promise<DoctorReport> {
  const checks: DoctorReport['checks'] = [];
  let gmsh = null;
  let gmshError = null;
  try {
    const loc = m.locateGmsh();
    gmsh = await gmshInfo(loc.path);
    const c = gmsh.capabilities;
    checks.push({
      name: 'gmsh',
      ok: true,
      detail: `Gmsh ${gmsh.version} at ${gmsh.path} (${loc.source}); OpenCASCADE ${c.openCascade ? 'yes' : 'no'}, HXT ${c.hxt ? 'yes' : 'no'}, Netgen ${c.netgen ? 'yes' : 'no'}, Mmg ${c.mmg ? 'yes' : 'no'}`,
    });
    if (!c.openCascade)
      checks.push({
        name: 'opencascade',
        ok: false,
        detail: 'This Gmsh has no OpenCASCADE: STEP, IGES and BREP parts cannot be read.',
      });
  } catch (e) {
    gmshError = errorMessage(e);
    checks.push({ name: 'gmsh', ok: false, detail: gmshError });
  }
  checks.push({ name: 'gmsh-memory', ...describeMemoryLimit() });
  let store: DoctorReport['store'];
  try {
    const { integrity, jobs } = m.store.health();
    store = { path: m.store.path, ok: integrity === 'ok', jobs, userVersion: m.store.userVersion };
    checks.push({
      name: 'store',
      ok: store.ok,
      detail: `${m.store.path}: ${jobs} jobs, schema v${store.userVersion}, integrity ${integrity}${store.ok ? '' : ' (MeshBench rebuilds it from the job folders when it next opens it)'}`,
    });
    if (!store.ok) markStoreDamaged(m.home, integrity);
  } catch (e) {
    store = { path: m.store.path, ok: false, jobs: 0, userVersion: 0, error: errorMessage(e) };
    checks.push({ name: 'store', ok: false, detail: errorMessage(e) });
    if (isCorruption(e)) markStoreDamaged(m.home, errorMessage(e));
  }
  // Heals are past events, not faults: the store they made is the one just checked.
  for (const h of storeHeals(m.store).slice(-3))
    checks.push({ name: 'store-heal', ok: true, detail: `${h.at}: ${healLine(h)}` });
  const free = freeBytes(m.home);
  const reserve = hasReserve(m.home);
  checks.push({
    name: 'disk',
    ok: !diskIsFull(m.home) && reserve,
    detail: `${free === null ? 'free space unknown' : `${(free / 2 ** 30).toFixed(2)} GB free`} on the disk holding ${m.home}; ${reserve ? "1 MiB kept for jobs' ends" : "no room kept for jobs' ends (made again once the disk has room)"}`,
  });
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
  let rates: DoctorReport['winRates'] = [];
  try {
    rates = winRates(m.store);
  } catch {
    /* the store check above already says what is wrong */
  }
  return { ok: checks.every((c) => c.ok), gmsh, gmshError, dataDir: m.home, store, breaker, checks, winRates: rates };
}
