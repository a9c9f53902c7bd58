// Viewer and log benchmarks in the browser harness + Chromium (software GL, as on a headless workstation):
// - mesh: a real job of about a million tetrahedra (real Gmsh), then the time from the engine announcing its completion
//   to the first frame showing its mesh (goal 1.5 s): analysis, transfer as typed arrays, geometry, render.
// - log: lines pushed through the real transport (service events -> WebSocket batches -> store -> virtualized panel)
//   at 20,000 lines/s for a few seconds, measuring the lines that arrived and the longest frame gap (stalls).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { WorkbenchApi, WorkbenchEvent } from '../contract/api';
import type { LogLine } from '../contract/job';
import { projectRoot } from '../gmsh/locate';
import { analyzeMesh } from '../mesh/analyze';
import { startHarness } from '../web/server';
import { createWorkbenchService } from '../workbench/service';
import { MemorySecretStore } from '../workbench/secrets';

export interface ViewerBenchRow {
  name: string;
  value: number;
  unit: string;
  goal: string;
  met: boolean | null;
  note?: string;
}

export interface ViewerBenchOptions {
  /** CAD part to mesh (default: the t20_data sample beside the checkout). */
  part?: string;
  /** Gmsh -clscale for the big mesh (0.065 gives ~1M tets on t20_data). */
  sizeFactor?: number;
  strategy?: string;
  logRate?: number;
  logSeconds?: number;
  chromium?: string;
  log?: (s: string) => void;
}

/** What the frame-gap probe keeps on the page's global object (these functions run in Chromium, not in Node). */
interface FrameProbe {
  __gaps: number[];
  __stop: boolean;
  requestAnimationFrame(cb: (t: number) => void): number;
}

/** Headless Chromium with software WebGL2 (SwiftShader through ANGLE), no background traffic; the browser tests too. */
export const CHROME_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--enable-unsafe-swiftshader',
  '--use-gl=angle',
  '--use-angle=swiftshader',
];

export async function benchViewer(o: ViewerBenchOptions = {}): Promise<ViewerBenchRow[]> {
  const say = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const root = projectRoot(__dirname) ?? process.cwd();
  const part = resolve(
    o.part ?? join(process.env.MESHBENCH_SAMPLES ?? join(root, '..', 'shared', 'samples'), 't20_data.step'),
  );
  const home = mkdtempSync(join(tmpdir(), 'meshbench-viewer-bench-'));
  const service = createWorkbenchService({ home, secrets: new MemorySecretStore() });

  // Completion as the engine announces it, and a side door for synthetic log batches on the real transport.
  const completedAt = new Map<string, number>();
  const injected = new Set<(e: WorkbenchEvent[]) => void>();
  service.onEvent((events) => {
    for (const e of events)
      if (e.type === 'job' && e.job.status === 'completed' && !completedAt.has(e.job.id))
        completedAt.set(e.job.id, Date.now());
  });
  const serverMesh = new Map<string, number>();
  const api: WorkbenchApi = {
    ...service,
    async jobMeshSkin(id) {
      const t = performance.now();
      const r = await service.jobMeshSkin(id);
      serverMesh.set(id, performance.now() - t);
      return r;
    },
    onEvent(l) {
      const off = service.onEvent(l);
      injected.add(l);
      return () => {
        off();
        injected.delete(l);
      };
    },
  };
  const harness = await startHarness({ api, rendererDir: join(root, 'out', 'renderer') });
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'meshbench-viewer-bench-chrome-'));
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: o.chromium ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: CHROME_ARGS,
  });
  const rows: ViewerBenchRow[] = [];
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(harness.url);
    await page.getByTestId('open-file').setInputFiles(part);
    await page.getByTestId('part-volumes').waitFor({ timeout: 60_000 });
    await page.getByTestId('strategy').fill(o.strategy ?? 'hxt');
    await page.getByTestId('size-factor').fill(String(o.sizeFactor ?? 0.065));
    say(`meshing ${part} at size factor ${o.sizeFactor ?? 0.065} (${o.strategy ?? 'hxt'}) ...`);
    const t0 = Date.now();
    await page.getByTestId('run-mesh').click();
    await page
      .getByTestId('job-status')
      .filter({ hasText: /^(completed|failed)$/ })
      .waitFor({ timeout: 900_000 });
    const jobId = (await page.locator('[data-testid="job-row"].active').getAttribute('data-job-id'))!;
    const job = await service.getJob(jobId);
    if (job.status !== 'completed') throw new Error(`the benchmark job failed: ${job.error?.message}`);
    const tets = job.mesh?.elements.tetrahedra ?? 0;
    say(`job ${jobId}: ${tets.toLocaleString()} tets in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // The renderer's User Timing entries (renderer/src/timing.ts): `meshbench:<what>:<job id>`, in page time.
    await page.waitForFunction((n) => performance.getEntriesByName(n).length > 0, `meshbench:shown:${jobId}`, {
      timeout: 120_000,
      polling: 50,
    });
    await page.getByTestId('mesh-details-loading').waitFor({ state: 'detached', timeout: 120_000 });
    const t = await page.evaluate((id) => {
      const at: Record<string, number> = { timeOrigin: performance.timeOrigin };
      for (const e of performance.getEntries())
        if (e.name.startsWith('meshbench:') && e.name.endsWith(`:${id}`))
          at[e.name.split(':')[1]] = e.entryType === 'measure' ? e.duration : e.startTime;
      return at;
    }, jobId);
    const m = { wall: t.timeOrigin + t.shown, shown: t.shown, completed: t.completed };
    const engineToFrame = m.wall - completedAt.get(jobId)!;
    rows.push({
      name: `first frame after job completion (${(tets / 1e6).toFixed(2)}M tets)`,
      value: Math.round(engineToFrame),
      unit: 'ms',
      goal: '≤ 1500 ms',
      met: engineToFrame <= 1500 && tets >= 900_000,
      note: `engine completion → frame; renderer's completion event → frame ${Math.round(m.shown - m.completed)} ms`,
    });
    const skinReq = (t['mesh-skin'] ?? 0) - (t['mesh-request'] ?? 0);
    const fullReq = (t['mesh-full'] ?? 0) - (t['mesh-request'] ?? 0);
    say(`job phases: ${JSON.stringify(job.timings.phases)}`);
    say(
      `renderer: skin reply after ${Math.round(skinReq)} ms (engine analysis wait ${Math.round(serverMesh.get(jobId) ?? -1)} ms), full payload after ${Math.round(fullReq)} ms; skin geometry ${Math.round(t.geometry ?? 0)} ms (of which the first draw call ${Math.round(t['first-render'] ?? 0)} ms)`,
    );
    const rel = (k: string) => Math.round((t[k] ?? NaN) - m.completed);
    say(
      `renderer timeline after the completion event (ms): skin request ${rel('mesh-request')}, skin reply ${rel('mesh-skin')}, geometry start ${rel('geometry-start')}, first frame ${Math.round(m.shown - m.completed)}`,
    );
    rows.push({
      name: 'full payload (tets + per-tet metrics) in the renderer after the completion event',
      value: Math.round((t['mesh-full'] ?? 0) - m.completed),
      unit: 'ms',
      goal: 'colouring and cuts ready soon after',
      met: null,
    });
    await page.screenshot({ path: join(root, 'test-artifacts', 'bench-1m-mesh.png') }).catch(() => undefined);
    // The engine's share: reading the .msh, the quality kernel and the skin, off-thread (what jobMesh waits for).
    const ta = performance.now();
    const an = await analyzeMesh(job.mesh!.path, { payload: true });
    rows.push({
      name: 'engine mesh analysis for the viewer (read + quality + skin)',
      value: Math.round(performance.now() - ta),
      unit: 'ms',
      goal: 'part of the 1.5 s',
      met: null,
      note: `read ${Math.round(an.ms.read)} ms, quality ${Math.round(an.ms.quality)} ms, skin ${Math.round(an.ms.skin)} ms (in the worker)`,
    });

    // Log throughput on the real transport: batches every 50 ms at the requested rate, into the job's log panel.
    const rate = o.logRate ?? 20_000;
    const seconds = o.logSeconds ?? 5;
    const startLines = Number(await page.getByTestId('log-panel').getAttribute('data-lines'));
    await page.evaluate(() => {
      const w = globalThis as unknown as FrameProbe;
      w.__gaps = [];
      w.__stop = false;
      let last = performance.now();
      const tick = (t: number) => {
        w.__gaps.push(t - last);
        last = t;
        if (!w.__stop) w.requestAnimationFrame(tick);
      };
      w.requestAnimationFrame(tick);
    });
    const lastSeq = (await service.jobLog(jobId, 0, 1_000_000)).at(-1)?.seq ?? 0;
    let seq = lastSeq;
    const perBatch = Math.round(rate / 20);
    const tl0 = Date.now();
    for (let b = 0; b < seconds * 20; b++) {
      const lines: LogLine[] = [];
      for (let i = 0; i < perBatch; i++) {
        seq++;
        lines.push({
          seq,
          ts: Date.now(),
          level: i % 97 === 0 ? 'warning' : 'info',
          attempt: 0,
          text: `Info    : [ ${i % 100}%] Meshing surface ${i % 40} (synthetic benchmark line ${seq})`,
        });
      }
      for (const l of injected) l([{ type: 'log', jobId, lines }]);
      const due = tl0 + (b + 1) * 50;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    }
    const want = startLines + seconds * 20 * perBatch;
    const panel = page.getByTestId('log-panel');
    for (const until = Date.now() + 60_000; Number(await panel.getAttribute('data-lines')) < want;) {
      if (Date.now() > until)
        throw new Error(`the log panel showed ${await panel.getAttribute('data-lines')} of ${want} lines after 60 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const elapsed = (Date.now() - tl0) / 1000;
    const gaps = await page.evaluate(() => {
      const w = globalThis as unknown as FrameProbe;
      w.__stop = true;
      return w.__gaps.slice(1);
    });
    gaps.sort((a, b) => a - b);
    const p95 = gaps[Math.floor(gaps.length * 0.95)] ?? 0;
    const max = gaps.at(-1) ?? 0;
    const throughput = (seconds * 20 * perBatch) / elapsed;
    rows.push({
      name: 'log lines shown per second',
      value: Math.round(throughput),
      unit: 'lines/s',
      goal: `≥ ${rate.toLocaleString()} lines/s`,
      met: throughput >= rate * 0.95,
      note: `${(seconds * 20 * perBatch).toLocaleString()} lines in ${elapsed.toFixed(2)} s through WebSocket + store + virtualized panel`,
    });
    rows.push({
      name: 'longest frame gap while logging',
      value: Math.round(max),
      unit: 'ms',
      goal: '< 250 ms (no visible stall)',
      met: max < 250,
      note: `p95 ${Math.round(p95)} ms over ${gaps.length} frames`,
    });
    await page.screenshot({ path: join(root, 'test-artifacts', 'bench-log.png') }).catch(() => undefined);
  } finally {
    await ctx.close();
    rmSync(userDataDir, { recursive: true, force: true });
    await harness.close();
    await service.close();
    rmSync(home, { recursive: true, force: true });
  }
  return rows;
}

// Run directly (npm run bench:viewer bundles this file alone). Checked by file name, not require.main: bundled into
// another entry (the CLI), require.main would be that bundle and the benchmark must not start by itself.
if (/viewer-bench\.(c?js|ts)$/.test(process.argv[1] ?? '')) {
  const num = (k: string) => {
    const i = process.argv.indexOf(`--${k}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  benchViewer({ sizeFactor: num('size-factor'), logRate: num('log-rate'), logSeconds: num('log-seconds') }).then(
    (rows) => {
      for (const r of rows)
        process.stdout.write(
          `${r.met ? 'ok  ' : r.met === false ? 'MISS' : '    '} ${r.name}: ${r.value} ${r.unit} (goal ${r.goal})${r.note ? ` — ${r.note}` : ''}\n`,
        );
      process.stdout.write(`${JSON.stringify(rows)}\n`);
    },
    (e) => {
      process.stderr.write(`viewer bench: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
