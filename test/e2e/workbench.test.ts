// The workbench in Chromium against the real harness, real Gmsh and the real job store: open a part through
// `open-file`, run it, watch the log fill, see the mesh (pixels), clip it, colour it by quality, compare two runs.
// Screenshots go to test-artifacts/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  artifacts,
  canvasStats,
  hasChromium,
  startLocalCloud,
  type Chrome,
  openWorkbench,
  type Session,
  waitShown,
  waitStatus,
  withWorkbench,
} from './harness';
import { repoRoot, sample, hasSamples, needsSamples } from '../helpers/paths';
import { RENDERER_CSP_META } from '../../src/contract/csp';

if (!hasChromium) console.warn('SKIPPED browser e2e: /usr/bin/chromium is not installed (apt-get install chromium).');

describe.skipIf(!hasChromium)('workbench in Chromium (harness)', () => {
  let chrome: Chrome;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: join(artifacts, `e2e-${name}.png`) });
  const status = () => page.getByTestId('job-status').textContent();
  const selectedJobId = () => page.locator('[data-testid="job-row"].active').getAttribute('data-job-id');
  // The skin shows first; colouring and cuts need the full payload (tets, metrics) that follows it.
  const settle = () => page.waitForTimeout(300);

  withWorkbench((s) => ({ chrome, page } = s));

  let firstJob = '';
  // The chain meshes one part: the wrenchnut sample when the samples are there, else a part the repository's own
  // .geo scripts make (its fillet and boss give a spread of element quality, so SICN colouring has something to show).
  // Only the part-specific expectations differ.
  const chainPart = hasSamples
    ? { file: sample('wrenchnut.stp'), volumes: '2' }
    : { file: join(repoRoot, 'resources', 'hard-parts', 'sliver-boss.step'), volumes: '1' };

  it('the build carries a CSP in the renderer and a preload that exposes only window.workbench', () => {
    const html = readFileSync(join(repoRoot, 'out', 'renderer', 'index.html'), 'utf8');
    expect(html).toContain(`http-equiv="Content-Security-Policy" content="${RENDERER_CSP_META}"`);
    const preload = readFileSync(join(repoRoot, 'out', 'preload', 'index.js'), 'utf8');
    expect([...preload.matchAll(/exposeInMainWorld\(\s*"([^"]+)"/g)].map((m) => m[1])).toEqual(['workbench']);
    // The bridge object is exposed, never the ipcRenderer itself.
    expect(preload).not.toMatch(/exposeInMainWorld\([^,]+,\s*(electron\.)?ipcRenderer\s*\)/);
    expect(existsSync(join(repoRoot, 'out', 'main', 'index.js'))).toBe(true);
  });

  it(`opens a part (${basename(chainPart.file)}) through open-file and previews it at once, with size, bbox, volumes and surfaces`, async () => {
    const t0 = Date.now();
    await page.getByTestId('open-file').setInputFiles(chainPart.file);
    await page.getByTestId('part-volumes').waitFor({ timeout: 30_000 });
    const wall = Date.now() - t0;
    expect(await page.getByTestId('part-volumes').textContent()).toBe(chainPart.volumes);
    expect(Number(await page.getByTestId('part-surfaces').textContent())).toBeGreaterThan(10);
    expect(await page.getByTestId('part-size').textContent()).toMatch(/^[\d.]+ × [\d.]+ × [\d.]+ mm$/);
    await waitShown(page, 'preview');
    await settle();
    const s = await canvasStats(page);
    expect(s.foreground / (s.width * s.height)).toBeGreaterThan(0.02);
    console.log(`preview: ${wall} ms from file input to part info (upload + Gmsh surface mesh + render)`);
    await shot('01-preview');
  });

  it('runs it: the log fills while it runs and the mesh appears in the viewer', async () => {
    await page.getByTestId('run-mesh').click();
    await page.getByTestId('job-status').waitFor();
    const seen = new Set<string>([(await status()) ?? '']);
    const lineCounts: number[] = [];
    // Poll while it runs: statuses and the log's growth.
    for (let i = 0; i < 600; i++) {
      seen.add((await status()) ?? '');
      lineCounts.push(Number(await page.getByTestId('log-panel').getAttribute('data-lines')));
      if (['completed', 'failed', 'cancelled'].includes((await status()) ?? '')) break;
      await page.waitForTimeout(100);
    }
    await waitStatus(page, 'completed');
    firstJob = (await selectedJobId())!;
    expect(firstJob).toBeTruthy();
    expect(seen.has('running') || seen.has('queued')).toBe(true);
    const lines = Number(await page.getByTestId('log-panel').getAttribute('data-lines'));
    expect(lines).toBeGreaterThan(50);
    // The log panel shows real Gmsh lines (virtualized: only a window of rows is in the DOM).
    const rows = await page.locator('.log-line').count();
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(lines + 1);
    await expect
      .poll(() =>
        page
          .locator('.log-line')
          .allTextContents()
          .then((t) => t.join('\n')),
      )
      .toMatch(/Info|Winner|tetra/i);
    await waitShown(page, firstJob);
    await settle();
    const s = await canvasStats(page);
    expect(s.foreground / (s.width * s.height)).toBeGreaterThan(0.02);
    console.log(
      `log lines seen while polling: ${lineCounts.filter((n, i, a) => i === 0 || n !== a[i - 1]).join(' → ')}`,
    );
    await shot('02-mesh');
  });

  it('filters and searches the log', async () => {
    await page.getByTestId('log-search').fill('Winner');
    await expect.poll(() => page.locator('.log-line').count()).toBeGreaterThan(0);
    const texts = await page.locator('.log-line').allTextContents();
    expect(texts.every((t) => /winner/i.test(t))).toBe(true);
    await page.getByTestId('log-search').fill('');
  });

  it('clips it on x, with the crossed elements shown whole', async () => {
    const before = await canvasStats(page);
    await page.getByTestId('clip-axis').selectOption('x');
    await page.getByTestId('clip-pos').fill('0.5');
    await settle();
    const clipped = await canvasStats(page);
    expect(clipped.hash).not.toBe(before.hash);
    expect(clipped.foreground).toBeLessThan(before.foreground);
    // Half the part stays (about 1 % of the canvas in the iso view, Z up).
    expect(clipped.foreground / (clipped.width * clipped.height)).toBeGreaterThan(0.005);
    await shot('03-clip-x-whole-elements');
    await page.getByTestId('whole-elements').uncheck();
    await settle();
    const sliced = await canvasStats(page);
    expect(sliced.hash).not.toBe(clipped.hash);
    await page.getByTestId('whole-elements').check();
  });

  it('colours it by SICN with a legend, and isolates the worst elements', async () => {
    await page.getByTestId('clip-axis').selectOption('off');
    await settle();
    const grey = await canvasStats(page);
    await page.getByTestId('color-by').selectOption('sicn');
    await page.getByTestId('legend').waitFor();
    await settle();
    const coloured = await canvasStats(page);
    await shot('04-sicn');
    // The grey skin turns into quality colours (only the axes were saturated before).
    expect(coloured.colourful).toBeGreaterThan(grey.colourful + 0.3 * grey.foreground);
    await page.getByTestId('clip-axis').selectOption('z');
    await settle();
    await shot('04b-sicn-clipped-z');
    await page.getByTestId('clip-axis').selectOption('off');
    await page.getByTestId('threshold-toggle').check();
    await page.getByTestId('threshold').fill('0.5');
    await settle();
    expect(await page.getByTestId('legend').textContent()).toContain('showing < 0.50');
    const isolated = await canvasStats(page);
    expect(isolated.hash).not.toBe(coloured.hash);
    await shot('05-sicn-below-0.5');
    await page.getByTestId('threshold-toggle').uncheck();
  });

  it('shows the phase waterfall and attempts in the timings panel', async () => {
    await page.getByTestId('tab-timings').click();
    const panel = page.getByTestId('timings-panel');
    await panel.locator('svg.waterfall').waitFor();
    expect(await panel.locator('svg.waterfall rect').count()).toBeGreaterThan(2);
    expect(await panel.textContent()).toMatch(/mesh/);
    expect(await panel.locator('table.attempts tbody tr').count()).toBeGreaterThan(0);
    await shot('06-timings');
    await page.getByTestId('tab-log').click();
  });

  it('compares two runs: synced viewers, metric table with %, histograms, parity verdict', async () => {
    await page.getByTestId('size-factor').fill('0.8');
    await page.getByTestId('run-mesh').click();
    await page.waitForFunction((first) => {
      const a = document.querySelector('[data-testid="job-row"].active');
      return a && a.getAttribute('data-job-id') !== first;
    }, firstJob);
    await waitStatus(page, 'completed');
    const second = (await selectedJobId())!;
    await page.getByTestId('mode-compare').click();
    const view = page.getByTestId('compare-view');
    await view.waitFor();
    await page.getByTestId('compare-a').selectOption(firstJob);
    await page.getByTestId('compare-b').selectOption(second);
    await page.getByTestId('compare-table').waitFor({ timeout: 30_000 });
    const rows = await page.locator('[data-testid="compare-table"] tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThan(4);
    expect(rows.some((r) => /sicn/i.test(r) && /%/.test(r))).toBe(true);
    expect(await page.getByTestId('parity-verdict').textContent()).toMatch(/parity/i);
    expect(await view.locator('svg.histo').count()).toBeGreaterThanOrEqual(4);
    for (const id of ['compare-canvas-a', 'compare-canvas-b']) await waitShown(page, 'mesh', id);
    await page.waitForFunction(() => !document.querySelector('[data-testid="mesh-details-loading"]'), null, {
      timeout: 60_000,
    });
    await settle();
    // Each pane draws once its mesh and colours are in; under load the second may come a moment after the first.
    for (const id of ['compare-canvas-a', 'compare-canvas-b'])
      await expect
        .poll(async () => (await canvasStats(page, id)).foreground, { timeout: 30_000, interval: 500 })
        .toBeGreaterThan(500);
    const b = await canvasStats(page, 'compare-canvas-b');
    // Orbit A; B follows (synchronized cameras).
    const box = (await page.getByTestId('compare-canvas-a').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 30, { steps: 6 });
    await page.mouse.up();
    await settle();
    const b2 = await canvasStats(page, 'compare-canvas-b');
    expect(b2.hash).not.toBe(b.hash);
    await shot('07-compare');
    await page.getByRole('button', { name: 'Workbench' }).click();
  });

  it('runs with Ctrl+Enter and cancels a long job', async () => {
    await page.getByTestId('strategy').selectOption('hxt');
    await page.getByTestId('size-factor').fill('0.1');
    await page.getByTestId('brand').click();
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="job-status"]')?.textContent === 'running',
      null,
      { timeout: 60_000 },
    );
    await page.getByTestId('cancel-job').click({ timeout: 5000 });
    await waitStatus(page, 'cancelled', 60_000);
    await shot('07b-cancelled');
    await page.getByTestId('strategy').selectOption('');
  });

  it.skipIf(!hasSamples)(
    "a part that fails with Gmsh defaults: the job fails with Gmsh's reason and the failed surface is shown in red" +
      needsSamples,
    async () => {
      await page.getByTestId('size-factor').fill('1');
      await page.getByTestId('strategy').selectOption('default');
      await page.getByTestId('open-file').setInputFiles(sample('Kurbelwelle.stp'));
      await page.getByTestId('part-volumes').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.getByTestId('part-info').textContent()).toContain('Kurbelwelle');
      await page.getByTestId('run-mesh').click();
      await waitStatus(page, 'failed');
      await page.getByTestId('tab-attempts').click();
      const reasons = (await page.locator('table.attempts').textContent()) ?? '';
      expect(reasons).toMatch(/surface \d+/);
      await waitShown(page, 'preview');
      await expect.poll(() => page.getByTestId('failed-banner').textContent()).toMatch(/surface \d+ shown in red/);
      await settle();
      expect((await canvasStats(page)).red).toBeGreaterThan(30);
      await shot('08-failed-surface');
      await page.getByTestId('strategy').selectOption('');
      await page.getByTestId('tab-log').click();
    },
  );

  it('says clearly why a file that is not CAD cannot be opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshbench-e2e-bad-'));
    const bad = join(dir, 'notes.step');
    writeFileSync(bad, 'just some text, not a model\n');
    await page.getByTestId('open-file').setInputFiles(bad);
    const err = page.getByTestId('toast-text');
    await err.waitFor({ timeout: 20_000 });
    const text = (await err.textContent()) ?? '';
    expect(text).toContain('notes.step');
    expect(text).toMatch(/not a (CAD )?model/i);
    expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/);
    await shot('09-bad-input');
    await page.getByTestId('toast-close').click();
  });

  it("replays a finished job's log from the store after a reload", async () => {
    await page.reload();
    await page.getByTestId('job-list').waitFor();
    await page.locator(`[data-job-id="${firstJob}"]`).click();
    await expect
      .poll(() => page.getByTestId('log-panel').getAttribute('data-lines').then(Number), { timeout: 20_000 })
      .toBeGreaterThan(50);
    await waitStatus(page, 'completed');
    await waitShown(page, firstJob);
  });

  it('settings: keys are write-only once saved, Test says what works and what does not', async () => {
    await page.getByTestId('open-settings').click();
    const dlg = page.getByTestId('settings-dialog');
    await dlg.waitFor();
    await dlg.getByLabel('Endpoint URL').fill('http://127.0.0.1:9');
    await dlg.getByLabel('Proxy-auth key').fill('wk-test-key');
    await dlg.getByLabel('Proxy-auth secret').fill('ws-test-secret');
    await page.getByTestId('save-settings').click();
    await expect.poll(() => dlg.getByLabel('Proxy-auth secret').getAttribute('placeholder')).toMatch(/stored/);
    await page.getByTestId('test-connection').click();
    const checks = page.getByTestId('connection-checks');
    await checks.waitFor({ timeout: 60_000 });
    const text = (await checks.textContent()) ?? '';
    expect(text).toMatch(/✓ Gmsh: passed — Gmsh \d/);
    expect(text).toMatch(/✗ Modal: failed — .*127\.0\.0\.1:9/);
    expect(text).toMatch(/✗ S3: failed — No bucket configured/);
    // The secret is stored but never shown again.
    expect(await dlg.getByLabel('Proxy-auth secret').inputValue()).toBe('');
    expect(await dlg.getByLabel('Proxy-auth secret').getAttribute('placeholder')).toMatch(/stored/);
    expect(await page.content()).not.toContain('ws-test-secret');
    await shot('11-settings');
    await dlg.getByRole('button', { name: 'Close', exact: true }).click();
  });

  it('switches theme and keeps the page free of errors', async () => {
    await page.getByTitle('Theme').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await settle();
    const { bg } = await canvasStats(page);
    expect(bg[0] + bg[1] + bg[2]).toBeGreaterThan(600);
    await shot('10-light-theme');
    expect(chrome.errors).toEqual([]);
  });
});

describe.skipIf(!hasChromium)('Run on both: local and Modal (local stand-in), compared', () => {
  let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
  let chrome: Chrome;
  let page: Page;

  let session: Session | undefined;
  beforeAll(async () => {
    cloud = await startLocalCloud();
    session = await openWorkbench(cloud.env, null);
    ({ chrome, page } = session);
  }, 240_000);
  afterAll(async () => {
    await session?.close();
    await cloud?.stop();
  });

  it.skipIf(!hasSamples)(
    'meshes the part locally and on the Modal stand-in, then shows both side by side with a parity verdict' +
      needsSamples,
    async () => {
      await page.getByTestId('open-file').setInputFiles(sample('t20_data.step'));
      await page.getByTestId('part-volumes').waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Run on both' }).click();
      await page.getByTestId('compare-view').waitFor();
      const verdict = page.getByTestId('parity-verdict');
      await verdict.waitFor({ timeout: 240_000 });
      const a = await page.getByTestId('compare-a').inputValue();
      const b = await page.getByTestId('compare-b').inputValue();
      expect(a).not.toBe(b);
      const labels = [
        await page.locator('[data-testid="compare-a"] option:checked').textContent(),
        await page.locator('[data-testid="compare-b"] option:checked').textContent(),
      ];
      expect(labels[0]).toMatch(/· local ·/);
      expect(labels[1]).toMatch(/· modal ·/);
      // Same engine, same Gmsh build, same part: byte-identical meshes, and the verdict says it compared by sha256.
      expect(await verdict.textContent()).toMatch(
        /^Parity: both meshed by Gmsh [\d.]+ .*compared by sha256, identical/,
      );
      // The Modal side's waterfall shows the offload phases.
      const text = (await page.getByTestId('compare-view').textContent()) ?? '';
      expect(text).toMatch(/upload/);
      expect(text).toMatch(/queue/);
      await page.waitForFunction(
        () =>
          !document.querySelector('[data-testid="mesh-details-loading"]') &&
          document.querySelectorAll('[data-shown]').length >= 2,
        null,
        { timeout: 60_000 },
      );
      await page.waitForTimeout(300);
      expect((await canvasStats(page, 'compare-canvas-b')).foreground).toBeGreaterThan(500);
      await page.screenshot({ path: join(artifacts, 'e2e-12-run-on-both.png') });
      expect(chrome.errors).toEqual([]);
    },
  );

  it.skipIf(!hasSamples)(
    'runs a batch of several parts opened at once; each job ends in its own state, the open shell is left out' +
      needsSamples,
    async () => {
      await page.getByRole('button', { name: 'Workbench' }).click();
      await page.getByTestId('open-file').setInputFiles([sample('Angled.step'), sample('cube_filet.stp')]);
      await page.getByTestId('part-warning').waitFor({ timeout: 30_000 });
      // t20_data and Angled can be meshed; cube_filet.stp holds surfaces but no solid and is not counted.
      await expect.poll(() => page.getByTestId('run-batch').textContent(), { timeout: 30_000 }).toBe('Run batch (2)');
      const before = await page.getByTestId('job-row').count();
      await page.getByTestId('run-batch').click();
      await expect.poll(() => page.getByTestId('job-row').count(), { timeout: 30_000 }).toBe(before + 2);
      await expect
        .poll(() => page.getByTestId('toast-text').textContent())
        .toMatch(/not meshed: cube_filet\.stp \(.*no closed solid/);
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('[data-testid="job-row"]')].every(
            (r) => !['queued', 'running'].includes(r.getAttribute('data-status') ?? ''),
          ),
        null,
        { timeout: 300_000, polling: 500 },
      );
      const rows = await page
        .getByTestId('job-row')
        .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-status')} ${e.textContent}`));
      expect(rows.filter((r) => r.includes('Angled.step')).some((r) => r.startsWith('completed'))).toBe(true);
      expect(rows.some((r) => r.includes('cube_filet.stp'))).toBe(false);
      await page.screenshot({ path: join(artifacts, 'e2e-13-batch.png') });
    },
  );
});
