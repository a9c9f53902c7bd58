#!/usr/bin/env node
// Takes the user guide's screenshots (docs/images/) from the real app in the browser harness, at 1280×720 (an
// engineer's laptop): a local stand-in cloud (`meshbench cloud-local`), the harness (`npm run web`) on a fresh data
// folder wired to it, and Debian's Chromium driven headless by playwright-core. Every picture is a real run: real
// Gmsh, real job store, real offload through the emulator. The harness serves the e2e build (out/e2e), whose DOM
// says which job a viewer shows, so each picture is taken once its mesh is on screen.
//
//   npm run build && npx electron-vite build --mode e2e && node docs/capture-screenshots.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const images = join(repo, 'docs', 'images');
const demo = (name) => join(repo, 'resources', 'demo', name);
const part = demo('bracket.step');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

for (const f of ['out/e2e/renderer/index.html', 'out/engine/web-server.cjs', 'out/engine/cli.cjs'])
  if (!existsSync(join(repo, f))) {
    console.error(`capture: ${f} is missing; run \`npm run build && npx electron-vite build --mode e2e\` first`);
    process.exit(1);
  }

/** Starts a child and resolves with its first stdout line parsed as JSON. */
function startJson(args, env) {
  const proc = spawn(process.execPath, args, {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  return new Promise((ok, fail) => {
    createInterface({ input: proc.stdout }).once('line', (l) => ok({ proc, info: JSON.parse(l) }));
    proc.once('exit', (code) => fail(new Error(`${args.join(' ')} exited ${code}: ${err}`)));
  });
}

const stop = (proc) =>
  new Promise((r) => {
    if (proc.exitCode !== null) return r();
    proc.once('exit', r);
    proc.kill('SIGTERM');
  });

const home = mkdtempSync(join(tmpdir(), 'meshbench-guide-'));
mkdirSync(images, { recursive: true });
const cloud = await startJson([join(repo, 'bin', 'meshbench'), 'cloud-local'], { MESHBENCH_HOME: home });
const exportDir = join(home, 'exports');
mkdirSync(exportDir);
const web = await startJson(
  [
    join(repo, 'out', 'engine', 'web-server.cjs'),
    '--memory-secrets',
    '--renderer',
    join(repo, 'out', 'e2e', 'renderer'),
    '--export-dir',
    exportDir,
  ],
  {
    MESHBENCH_HOME: home,
    ...cloud.info.env,
  },
);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--enable-unsafe-swiftshader',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
  const shot = async (name) => {
    await page.waitForTimeout(400); // let the WebGL frame settle
    await page.screenshot({ path: join(images, `${name}.png`) });
    console.log(`capture: docs/images/${name}.png`);
  };
  const waitShown = (what) =>
    page.waitForFunction(
      (w) => document.querySelector('[data-testid="viewer-canvas"]')?.getAttribute('data-shown') === w,
      what,
      { timeout: 120_000 },
    );
  /** Runs the open part on the chosen backend; waits for the new job to complete and its mesh to be on screen. */
  const runOn = async (backend) => {
    const before = await page.locator('[data-testid="job-row"]').count();
    await page.getByTestId('compute-switch').selectOption(backend);
    await page.getByTestId('run-mesh').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="job-row"]').length > n, before, {
      timeout: 60_000,
    });
    const id = await page.locator('[data-testid="job-row"]').first().getAttribute('data-job-id');
    await page.waitForFunction(
      (j) => {
        const s = document.querySelector(`[data-testid="job-row"][data-job-id="${j}"]`)?.getAttribute('data-status');
        if (s === 'failed' || s === 'cancelled') throw new Error(`job ${j} ${s}`);
        return s === 'completed';
      },
      id,
      { timeout: 300_000 },
    );
    await waitShown(id);
    return id;
  };

  /** Where a face shows on the canvas, from the e2e build's viewer probe. */
  const facePoint = (tag) => page.evaluate((t) => window.__meshbenchViewers['viewer-canvas'].faceScreenPoint(t), tag);
  /** Where `prefer` shows, else the first face (by tag) that shows and is not `not`. */
  const visibleFace = async (prefer, not) => {
    for (const tag of [prefer, ...Array.from({ length: 60 }, (_, i) => i + 1)]) {
      if (tag === not) continue;
      const p = await facePoint(tag);
      if (p) return { ...p, tag };
    }
    throw new Error('capture: no face of the part shows in the view');
  };
  const open = async (file, name) => {
    await page.getByTestId('open-file').setInputFiles(file);
    await page.waitForFunction((n) => document.querySelector('[data-testid="part-name"]')?.textContent === n, name);
    await page.getByTestId('part-volumes').waitFor({ timeout: 60_000 });
    await waitShown('preview');
  };

  await page.goto(web.info.url);
  await page.getByTestId('start-screen').waitFor();
  await shot('01-workbench');

  // Open: the part is previewed at once (a Gmsh surface mesh, shaded like CAD, with its edges).
  await open(part, 'bracket.step');
  await page.getByTestId('strategy').focus();
  await shot('02-open-part');

  // Mesh locally: the job's row, its log and its quality histogram.
  const local = await runOn('local');
  await shot('03-meshed-local');

  // Quality colours, one band of the histogram isolated; then the ten worst marked.
  await page.getByTestId('histo-band-5').click();
  await shot('04-quality-sicn');
  await page.getByTestId('histo-band-5').click();
  await page.getByTestId('zoom-worst').click();
  await shot('13-worst');
  await page.getByTestId('worst-readout').getByRole('button', { name: 'clear worst' }).click();
  await page.getByTestId('color-by').selectOption('none');
  await page.getByTestId('fit').click();

  await page.getByTestId('tab-timings').click();
  await shot('05-timings');

  // Offload the same part to the stand-in (Modal emulator + S3-compatible store).
  const offloaded = await runOn('modal');
  await page.getByTestId('tab-log').click();
  await shot('06-offloaded-log');
  await page.getByTestId('tab-timings').click();
  await shot('07-offloaded-timings');
  await page.getByTestId('tab-log').click();

  // Compare the two runs: A = local (older), B = modal (newer).
  await page.getByTestId('mode-compare').click();
  await page.getByTestId('compare-a').selectOption(local);
  await page.getByTestId('compare-b').selectOption(offloaded);
  await page.getByTestId('parity-verdict').waitFor({ timeout: 60_000 });
  await shot('08-compare');
  await page.getByRole('button', { name: 'Workbench' }).click();

  // Export: the dialog.
  await page.locator(`[data-job-id="${local}"]`).click();
  await waitShown(local);
  await page.getByTestId('export-open').click();
  await page.getByTestId('export-format-vtu').check();
  await page.getByTestId('export-pick-folder').click();
  await page.getByTestId('export-go').click();
  await page.getByTestId('exported-inp').waitFor({ timeout: 60_000 });
  await shot('14-export');
  await page.keyboard.press('Escape');

  // A face group on the bracket: the face under the cursor lit, then picked and named.
  await page.getByTestId('compute-switch').selectOption('local');
  // (faces are picked on the job's mesh as on the part: its skin triangles know their CAD face)
  await page.keyboard.press('0'); // the iso view
  await page.waitForTimeout(300);
  const top = await visibleFace(4);
  await page.mouse.click(top.x, top.y);
  await page.getByTestId('group-name').fill('loaded');
  await page.getByTestId('make-group').click();
  await page.getByTestId('group-loaded').waitFor();
  const back = await visibleFace(1, top.tag);
  await page.mouse.move(back.x, back.y);
  await page.waitForFunction(() =>
    /under the cursor/.test(document.querySelector('[data-testid="hover-face"]')?.textContent ?? ''),
  );
  await shot('12-groups');

  // Sizes on the assembly: size max 12 and a local size of 1.5 on Body_3; the preview coloured by target size.
  await open(demo('assembly.step'), 'assembly.step');
  await page.getByTestId('sizes-section').locator('summary').click();
  await page.getByTestId('size-max').fill('12');
  await page.getByTestId('add-local-size').click();
  await page.getByTestId('local-target-0').fill('Body_3');
  await page.getByTestId('local-size-0').fill('1.5');
  await page.getByTestId('part-bodies-summary').click();
  await shot('10-sizes-preview');
  await runOn('local');
  await shot('11-assembly-meshed');
  // Refine here on a face of the mesh: half the element edge there, shown on the part at once.
  const face = await page.evaluate(() => {
    const s = window.__meshbenchViewers['viewer-canvas'];
    for (let t = 1; t < 40; t++) if (s.faceScreenPoint(t)) return t;
    return null;
  });
  const at = await facePoint(face);
  await page.mouse.click(at.x, at.y);
  await page.getByTestId('refine-here').click();
  await waitShown('preview');
  await shot('12-refine-here');
  await page.getByTestId('toast-close').click();

  await page.getByTestId('open-settings').click();
  await shot('09-settings');
} finally {
  await browser.close();
  await stop(web.proc);
  await stop(cloud.proc);
  rmSync(home, { recursive: true, force: true });
}
