#!/usr/bin/env node
// Takes the user guide's screenshots (docs/images/) from the real app in the browser harness: a local stand-in
// cloud (`meshbench cloud-local`), the harness (`npm run web`) on a fresh data folder wired to it, and Debian's
// Chromium driven headless by playwright-core. Every picture is a real run: real Gmsh, real job store, real
// offload through the emulator.
//
//   npm run build && node docs/capture-screenshots.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const images = join(repo, 'docs', 'images');
const part = join(repo, 'resources', 'demo', 'bracket.step');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

for (const f of ['out/renderer/index.html', 'out/engine/web-server.cjs', 'out/engine/cli.cjs'])
  if (!existsSync(join(repo, f))) {
    console.error(`capture: ${f} is missing; run \`npm run build\` first`);
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
const web = await startJson([join(repo, 'out', 'engine', 'web-server.cjs'), '--memory-secrets'], {
  MESHBENCH_HOME: home,
  ...cloud.info.env,
});
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
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
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

  await page.goto(web.info.url);
  await page.getByText('No jobs yet').waitFor();
  await shot('01-workbench');

  // Open: the part is previewed at once (a coarse Gmsh surface mesh).
  await page.getByTestId('open-file').setInputFiles(part);
  await page.getByTestId('part-volumes').waitFor({ timeout: 60_000 });
  await waitShown('preview');
  await shot('02-open-part');

  // Mesh locally.
  const local = await runOn('local');
  await shot('03-meshed-local');

  // Quality colours, worst elements only.
  await page.getByTestId('color-by').selectOption('sicn');
  await shot('04-quality-sicn');
  await page.getByTestId('color-by').selectOption({ index: 0 });

  await page.getByTestId('tab-timings').click();
  await shot('05-timings');

  // Offload the same part to the stand-in (Modal emulator + S3-compatible store).
  const offloaded = await runOn('modal');
  await page.getByTestId('tab-log').click();
  await shot('06-offloaded-log');
  await page.getByTestId('tab-timings').click();
  await shot('07-offloaded-timings');

  // Compare the two runs: A = local (older), B = modal (newer).
  await page.getByTestId('mode-compare').click();
  await page.getByTestId('compare-a').selectOption(local);
  await page.getByTestId('compare-b').selectOption(offloaded);
  await page.getByTestId('parity-verdict').waitFor({ timeout: 60_000 });
  await shot('08-compare');

  await page.getByTestId('open-settings').click();
  await shot('09-settings');
} finally {
  await browser.close();
  await stop(web.proc);
  await stop(cloud.proc);
  rmSync(home, { recursive: true, force: true });
}
