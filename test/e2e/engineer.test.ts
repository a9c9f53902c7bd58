// The workbench as an engineer uses it (issue 11), in one Chromium session against the real harness and Gmsh:
// state that follows the selection, one path for bad inputs, open shells warned at open time, navigation, layout,
// quality summary, compare with failed jobs, isolate/clip tools, settings, job actions. Screenshots go to
// test-artifacts/ (the user guide's come from here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  artifacts,
  canvasStats,
  hasChromium,
  launchChromium,
  startWeb,
  type Chrome,
  type Web,
  waitShown,
  waitStatus,
} from './harness';
import { repoRoot, testPart } from '../helpers/paths';

const bracket = join(repoRoot, 'resources', 'demo', 'bracket.step');
if (!hasChromium) console.warn('SKIPPED engineer e2e: /usr/bin/chromium is not installed (apt-get install chromium).');

describe.skipIf(!hasChromium)('the workbench as an engineer expects it', () => {
  let web: Web;
  let chrome: Chrome;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-e2e-eng-'));
  const shot = (name: string) => page.screenshot({ path: join(artifacts, `eng-${name}.png`) });
  const selectedJobId = async () => (await page.locator('[data-testid="job-row"].active').getAttribute('data-job-id'))!;
  const shown = () => page.getByTestId('viewer-canvas').getAttribute('data-shown');
  const partName = () => page.locator('[data-testid="part-info"] .strong').first().textContent();
  const openFile = async (path: string) => {
    await page.getByTestId('open-file').setInputFiles(path);
  };
  const settle = () => page.waitForTimeout(300);
  const extent = async (testId = 'viewer-canvas') => (await canvasStats(page, testId)).extent;
  const canvasBox = async () => (await page.getByTestId('viewer-canvas').boundingBox())!;
  let bracketJob = '';

  beforeAll(async () => {
    // Modal keys in the environment (no URL, so nothing offloads and they are bound to no URL): Settings never shows them.
    web = await startWeb({ MODAL_KEY: 'wk-e2e-env', MODAL_SECRET: 'ws-e2e-env' });
    chrome = await launchChromium();
    page = chrome.page;
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(web.url);
    await page.getByText('No jobs yet').waitFor();
  }, 240_000);

  afterAll(async () => {
    await chrome?.close();
    await web?.stop();
  });

  it('the part follows the selected job, and Run says which part it meshes', async () => {
    await openFile(bracket);
    await page.getByTestId('part-volumes').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('run-mesh').textContent()).toContain('bracket.step');
    await page.getByTestId('run-mesh').click();
    await waitStatus(page, 'completed', 120_000);
    bracketJob = await selectedJobId();
    await waitShown(page, bracketJob);
    // Another part becomes current; selecting the bracket's job brings the bracket back to the Part panel and Run.
    await openFile(join(repoRoot, 'resources', 'demo', 'knob.stl'));
    await expect.poll(partName, { timeout: 30_000 }).toBe('knob.stl');
    await page.getByTestId('part-volumes').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('run-mesh').textContent()).toContain('knob.stl');
    await page.locator(`[data-job-id="${bracketJob}"]`).click();
    await expect.poll(partName).toBe('bracket.step');
    expect(await page.getByTestId('run-mesh').textContent()).toContain('bracket.step');
    await waitShown(page, bracketJob);
  });

  it('a file that cannot be opened: one dismissable message naming the file, never the current part, never a job', async () => {
    const jobsBefore = await page.getByTestId('job-row').count();
    const batchBefore = await page.getByTestId('run-batch').textContent();
    const cases: [string, string | Buffer, RegExp][] = [
      ['notes.step', 'just some text, not a model\n', /not a (CAD )?model/i],
      ['empty.stp', '', /empty/i],
      ['photo.png', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), /./],
    ];
    for (const [name, body, why] of cases) {
      const p = join(dir, name);
      writeFileSync(p, body);
      await openFile(p);
      const toast = page.getByTestId('toast-text');
      await toast.waitFor({ timeout: 20_000 });
      const text = (await toast.textContent()) ?? '';
      expect(text).toContain(name);
      expect(text).toMatch(why);
      // The engineer's file name, not the data folder's inbox copy; no stack trace.
      expect(text).not.toMatch(/inbox|meshbench-e2e-home/);
      expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/);
      if (name === 'notes.step') await shot('01-bad-input');
      // The part and job shown before stay; the rejected file is not a part.
      expect(await partName()).toBe('bracket.step');
      expect(await page.locator('[data-testid="part-info"]').textContent()).not.toContain(name);
      await page.getByTestId('toast-close').click();
      await expect.poll(() => page.getByTestId('toast').count()).toBe(0);
    }
    expect(await page.getByTestId('job-row').count()).toBe(jobsBefore);
    expect(await page.getByTestId('run-batch').textContent()).toBe(batchBefore);
    expect(await shown()).toBe(bracketJob);
    // Esc dismisses the message too.
    await openFile(join(dir, 'notes.step'));
    await page.getByTestId('toast').waitFor({ timeout: 20_000 });
    await page.getByTestId('brand').click();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('toast').count()).toBe(0);
  });

  it('an open shell (surfaces, no solid) is warned at open time, with Run off and the batch leaving it out', async () => {
    await openFile(testPart('open-shell.step'));
    const warn = page.getByTestId('part-warning');
    await warn.waitFor({ timeout: 30_000 });
    expect(await warn.textContent()).toMatch(/no closed volume/);
    expect(await page.getByTestId('run-mesh').isDisabled()).toBe(true);
    expect(await page.getByTestId('run-mesh').getAttribute('title')).toMatch(/no closed solid/);
    // bracket + knob can be meshed; the shell is not counted.
    expect(await page.getByTestId('run-batch').textContent()).toBe('Run batch (2)');
    await shot('02-open-shell');
  });

  it('a cancelled job says it was cancelled and shows no failed surface', async () => {
    await page.getByTestId('open-parts').selectOption({ label: 'bracket.step' });
    await page.getByTestId('strategy').selectOption('hxt');
    await page.getByTestId('size-factor').fill('0.08');
    await page.getByTestId('run-mesh').click();
    await page.waitForFunction(
      () => ['running', 'queued'].includes(document.querySelector('[data-testid="job-status"]')?.textContent ?? ''),
      null,
      { timeout: 30_000 },
    );
    await page.getByTestId('cancel-job').click();
    await waitStatus(page, 'cancelled', 60_000);
    const banner = page.getByTestId('job-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/Cancelled/);
    expect(await page.getByTestId('failed-banner').count()).toBe(0);
    await waitShown(page, 'preview');
    await settle();
    expect((await canvasStats(page)).red).toBeLessThan(30);
    await page.getByTestId('banner-close').click();
    expect(await page.getByTestId('job-banner').count()).toBe(0);
    await page.getByTestId('strategy').selectOption('');
    await page.getByTestId('size-factor').fill('1');
  });

  it('layout at 1280×720: one-row toolbars, a tall viewer, and a Jobs list that scrolls by itself', async () => {
    const h = async (sel: string) => (await page.locator(sel).first().boundingBox())!.height;
    expect(await h('.topbar')).toBeLessThan(45);
    expect(await h('.viewtools')).toBeLessThan(40);
    expect(await h('.viewer-wrap')).toBeGreaterThanOrEqual(390);
    // Nothing cut off: the last top-bar button is on screen and the view toolbar needs no scrolling.
    const settings = (await page.getByTestId('open-settings').boundingBox())!;
    expect(settings.x + settings.width).toBeLessThanOrEqual(1280);
    const tools = await page.locator('.viewtools').evaluate((e) => ({ sw: e.scrollWidth, cw: e.clientWidth }));
    expect(tools.sw).toBeLessThanOrEqual(tools.cw);
    // The side panel itself never scrolls; the Jobs list has its own scroll and room for several rows.
    const side = await page.locator('.side').evaluate((e) => ({ sh: e.scrollHeight, ch: e.clientHeight }));
    expect(side.sh).toBeLessThanOrEqual(side.ch + 1);
    const jobs = await page
      .getByTestId('job-list')
      .evaluate((e) => ({ overflow: getComputedStyle(e).overflowY, h: e.clientHeight }));
    expect(jobs.overflow).toBe('auto');
    const row = await h('[data-testid="job-row"]');
    expect(jobs.h / row).toBeGreaterThanOrEqual(3);
    await shot('03-layout-1280x720');
  });

  it('navigates like a CAD tool: standard views, zoom to the cursor, pivot on double-click, no pole lock, no vanishing', async () => {
    await page.locator(`[data-job-id="${bracketJob}"]`).click();
    await waitShown(page, bracketJob);
    await page.getByTestId('view-front').click();
    await settle();
    const front = await canvasStats(page);
    await page.getByTestId('view-top').click();
    await settle();
    const top = await canvasStats(page);
    expect(top.hash).not.toBe(front.hash);
    await page.getByTestId('view-iso').click();
    await settle();
    const iso = await extent();
    // Zoom in with the cursor on the part's left edge: that edge stays under the cursor while the right edge moves
    // out (zoom to the screen centre would move both).
    const box = await canvasBox();
    const y = (iso.y0 + iso.y1) / 2;
    await page.mouse.move(box.x + iso.x0 + 6, box.y + y);
    for (let i = 0; i < 3; i++) {
      await page.mouse.wheel(0, -100);
      await page.waitForTimeout(50);
    }
    await settle();
    const zoomed = await extent();
    expect(Math.abs(zoomed.x0 - iso.x0)).toBeLessThan(25);
    expect(zoomed.x1 - iso.x1).toBeGreaterThan(40);
    // Zoom far out: the part gets small but never disappears (the clipping range follows the camera).
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 30; i++) await page.mouse.wheel(0, 300);
    await settle();
    const far = await extent();
    expect(far.n).toBeGreaterThan(0);
    expect(far.x1 - far.x0).toBeLessThan((iso.x1 - iso.x0) / 3);
    await page.keyboard.press('f');
    await settle();
    // Double-click a point of the part: it becomes the pivot and comes to the middle of the view.
    await page.getByTestId('view-iso').click();
    await settle();
    const e0 = await extent();
    await page.mouse.dblclick(box.x + e0.x0 + (e0.x1 - e0.x0) * 0.25, box.y + (e0.y0 + e0.y1) / 2);
    await settle();
    const e1 = await extent();
    expect((e1.x0 + e1.x1) / 2).toBeGreaterThan((e0.x0 + e0.x1) / 2 + 20);
    // Rotating over the top keeps turning (an orbit camera stops at the pole).
    await page.getByTestId('view-front').click();
    await settle();
    const hashes = [(await canvasStats(page)).hash];
    for (let i = 0; i < 3; i++) {
      await page.mouse.move(box.x + box.width / 2, box.y + 60);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height - 60, { steps: 8 });
      await page.mouse.up();
      await settle();
      hashes.push((await canvasStats(page)).hash);
    }
    expect(new Set(hashes).size).toBe(4);
    // The labelled triad in the corner turns with the camera: in the top view Z points at the viewer (a dot), in
    // the front view it points up. Turning the axes off hides it.
    const zEnd = () =>
      page
        .locator('[data-testid="triad"] [data-axis="z"] line')
        .evaluate((l) => [Number(l.getAttribute('x2')), Number(l.getAttribute('y2'))]);
    await page.getByTestId('view-top').click();
    await settle();
    const [zx, zy] = await zEnd();
    expect(Math.hypot(zx - 40, zy - 40)).toBeLessThan(3);
    await page.getByTestId('view-front').click();
    await settle();
    const [fx, fy] = await zEnd();
    expect(Math.abs(fx - 40)).toBeLessThan(3);
    expect(40 - fy).toBeGreaterThan(25);
    expect([...((await page.getByTestId('triad').textContent()) ?? '')].sort().join('')).toBe('XYZ');
    await page.getByLabel('axes').uncheck();
    expect(await page.getByTestId('triad').isVisible()).toBe(false);
    await page.getByLabel('axes').check();
    await page.getByTestId('view-iso').click();
    await settle();
    await shot('04-navigation');
  });

  it('keeps the camera per part: another job of the same part shows the same view', async () => {
    await page.getByTestId('rerun-job').click();
    await page.waitForFunction((first) => {
      const a = document.querySelector('[data-testid="job-row"].active');
      return a && a.getAttribute('data-job-id') !== first;
    }, bracketJob);
    await waitStatus(page, 'completed', 120_000);
    const second = await selectedJobId();
    await waitShown(page, second);
    await page.getByTestId('view-right').click();
    await settle();
    const onSecond = await canvasStats(page);
    await page.locator(`[data-job-id="${bracketJob}"]`).click();
    await waitShown(page, bracketJob);
    await settle();
    // Same part, same settings, deterministic mesh: the same camera gives the same picture.
    expect((await canvasStats(page)).hash).toBe(onSecond.hash);
  });

  it('the cut has a coordinate readout and flips to the other side', async () => {
    await page.getByTestId('view-iso').click();
    await page.getByTestId('clip-axis').selectOption('x');
    await page.getByTestId('clip-pos').fill('0.3');
    await settle();
    const readout = (await page.getByTestId('clip-readout').textContent())!;
    expect(readout).toMatch(/^cut: x ≤ -?[\d.]+ mm$/);
    const kept = await canvasStats(page);
    await page.getByTestId('clip-flip').click();
    await settle();
    expect(await page.getByTestId('clip-readout').textContent()).toBe(readout.replace('≤', '≥'));
    const flipped = await canvasStats(page);
    expect(flipped.hash).not.toBe(kept.hash);
    // 30 % kept one way, 70 % the other: the flipped side covers more of the view.
    expect(flipped.foreground).toBeGreaterThan(kept.foreground);
    await shot('06-clip-flip');
    await page.getByTestId('clip-axis').selectOption('off');
  });

  it('isolates bad elements with a count and zooms to the worst', async () => {
    await page.getByTestId('view-iso').click();
    await page.getByTestId('color-by').selectOption('sicn');
    await page.getByTestId('legend').waitFor();
    await page.getByTestId('threshold-toggle').check();
    await page.getByTestId('threshold').fill('0.6');
    await settle();
    expect(await page.getByTestId('isolate-count').textContent()).toMatch(/^[\d,]+ elements? below 0\.60/);
    const n = Number((await page.getByTestId('isolate-count').textContent())!.match(/^[\d,]+/)![0].replace(/,/g, ''));
    expect(n).toBeGreaterThan(0);
    const before = await extent();
    await page.getByTestId('zoom-worst').click();
    await settle();
    expect(await page.getByTestId('worst-readout').textContent()).toMatch(/worst 1 of \d+: SICN 0?\.\d+/);
    const after = await extent();
    // Framed on a few elements, the view is much closer than the whole part.
    expect(after.x1 - after.x0).toBeGreaterThan((before.x1 - before.x0) * 1.3);
    await shot('05-isolate-worst');
    await page.getByTestId('threshold-toggle').uncheck();
    await page.getByTestId('color-by').selectOption('none');
    await page.keyboard.press('f');
    // No render error anywhere in the session (one once unmounted the whole workbench).
    expect(chrome.errors).toEqual([]);
  });

  it('job rows show their settings; Compare explains a job without a mesh and uses human metric names; Esc closes Settings', async () => {
    // What was asked, defaults left out of the row (its hover text lists them all).
    const rowSettings = await page.getByTestId('job-settings').allTextContents();
    expect(rowSettings).toContain('size ×0.08 · asked hxt');
    expect(rowSettings).toContain('size ×1');
    expect(await page.getByTestId('job-settings').first().getAttribute('title')).toMatch(
      /order: 1\npolicy: first acceptable\nSICN ≥: 0\.1/,
    );
    // The quality summary of one job: minima and each target met or missed, and why every other attempt lost.
    await page.locator(`[data-job-id="${bracketJob}"]`).click();
    await page.getByTestId('tab-attempts').click();
    const card = (await page.getByTestId('quality-card').textContent()) ?? '';
    expect(card).toMatch(/SICN min0\.157target ≥ 0\.1 met/);
    expect(card).toMatch(/min dihedral angle[\d.]+°/);
    const reasons = await page.getByTestId('attempt-reason').allTextContents();
    expect(reasons.some((r) => /kept: this is the job's mesh/.test(r))).toBe(true);
    expect(reasons.every((r) => r.trim().length > 0)).toBe(true);
    await page.getByTestId('tab-log').click();
    const cancelled = (await page
      .locator('[data-testid="job-row"][data-status="cancelled"]')
      .first()
      .getAttribute('data-job-id'))!;
    const done = await page
      .locator('[data-testid="job-row"][data-status="completed"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-job-id')!));
    await page.getByTestId('mode-compare').click();
    await page.getByTestId('compare-a').selectOption(done[0]);
    await page.getByTestId('compare-b').selectOption(cancelled);
    await expect
      .poll(() => page.getByTestId('compare-unavailable').textContent())
      .toMatch(/^B \(bracket\.step\) cancelled.*no mesh to compare/);
    await page.getByTestId('compare-b').selectOption(done[1]);
    await page.getByTestId('compare-table').waitFor({ timeout: 30_000 });
    const table = (await page.getByTestId('compare-table').textContent()) ?? '';
    expect(table).toContain('total time (ms)');
    expect(table).toContain('SICN min');
    expect(table).not.toContain('time.totalMs');
    // Two jobs of one part: no different-parts warning.
    expect(await page.getByTestId('different-parts').count()).toBe(0);
    await shot('07-compare');
    await page.getByRole('button', { name: 'Workbench' }).click();
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-dialog').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('settings-dialog').count()).toBe(0);
    expect(chrome.errors).toEqual([]);
  });

  it("job actions: copy an attempt's exact command line, show the output folder in words, delete only after a confirm", async () => {
    await chrome.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(web.url).origin });
    await page.locator(`[data-job-id="${bracketJob}"]`).click();
    await page.getByTestId('tab-attempts').click();
    await page.getByTestId('copy-argv').first().click();
    await expect.poll(() => page.getByTestId('toast-text').textContent()).toBe('Command line copied.');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const db = new Database(join(web.home, 'meshbench.sqlite'), { readonly: true });
    const row = db
      .prepare(`SELECT argv_json FROM attempts WHERE job_id=? AND argv_json IS NOT NULL ORDER BY idx LIMIT 1`)
      .get(bracketJob) as { argv_json: string };
    db.close();
    // bash reads the copied line back into the attempt's argv, word for word.
    const reparsed = execFileSync('bash', ['-c', 'eval "set -- $1"; printf "%s\\0" "$@"', '_', copied], {
      encoding: 'utf8',
    })
      .split('\0')
      .slice(0, -1);
    expect(reparsed).toEqual(JSON.parse(row.argv_json));
    await page.getByTestId('toast-close').click();
    // A browser cannot open a folder: the harness says where it is.
    await page.getByTestId('show-folder').click();
    const folder = join(web.home, 'jobs', bracketJob);
    await expect.poll(() => page.getByTestId('job-folder').textContent()).toBe(folder);
    await page.getByTestId('folder-dialog').getByRole('button', { name: 'Close', exact: true }).click();
    // Delete: the first click only asks; Keep leaves the job; Delete removes its row and its folder.
    const cancelled = (await page
      .locator('[data-testid="job-row"][data-status="cancelled"]')
      .first()
      .getAttribute('data-job-id'))!;
    const cancelledDir = join(web.home, 'jobs', cancelled);
    expect(existsSync(cancelledDir)).toBe(true);
    await page.locator(`[data-job-id="${cancelled}"]`).click();
    await page.getByTestId('delete-job').click();
    // The confirmation names the part, when it ran and what it holds, not just an id.
    expect(await page.getByTestId('delete-confirm').textContent()).toMatch(
      /^Delete the run of bracket\.step from \d\d:\d\d:\d\d \(cancelled, no mesh, [\d.]+ (B|KiB|MiB) of files\), its log and its output folder\?$/,
    );
    await page.getByTestId('delete-no').click();
    expect(await page.locator(`[data-job-id="${cancelled}"]`).count()).toBe(1);
    await page.getByTestId('delete-job').click();
    await page.getByTestId('delete-yes').click();
    await expect.poll(() => page.locator(`[data-job-id="${cancelled}"]`).count()).toBe(0);
    expect(existsSync(cancelledDir)).toBe(false);
    await page.getByTestId('toast-close').click();
    await page.getByTestId('tab-log').click();
    expect(chrome.errors).toEqual([]);
  });

  it('Settings names where each value comes from, and Test checks the typed values in words without saving them', async () => {
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-dialog').waitFor();
    // MODAL_KEY/MODAL_SECRET without the environment's own MESHBENCH_MODAL_URL are bound to no URL
    // (src/cloud/key-binding.ts): not the keys in force, so a key typed here would be used.
    expect(await page.getByTestId('source-modal.keys').textContent()).toBe('default');
    expect(await page.getByTestId('source-s3.bucket').textContent()).toBe('default');
    expect(await page.getByTestId('settings-dialog').textContent()).not.toMatch(/e2e-env/);
    const modalUrl = page.locator('label', { hasText: 'Endpoint URL' }).locator('input');
    await modalUrl.fill('http://127.0.0.1:9');
    await page.getByTestId('test-connection').click();
    await page.getByTestId('check-modal').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('check-gmsh').textContent()).toMatch(/^✓ Gmsh: passed — Gmsh \d/);
    expect(await page.getByTestId('check-s3').textContent()).toMatch(/^✗ S3: failed — No bucket configured/);
    const modal = (await page.getByTestId('check-modal').textContent()) ?? '';
    expect(modal).toMatch(/^✗ Modal: failed — .*127\.0\.0\.1:9/);
    expect(modal).not.toMatch(/[{}]/);
    await shot('10-settings-test');
    // Test saved nothing: the dialog opens again on the saved (empty) URL.
    await page.keyboard.press('Escape');
    await page.getByTestId('open-settings').click();
    expect(await page.locator('label', { hasText: 'Endpoint URL' }).locator('input').inputValue()).toBe('');
    expect(await page.getByTestId('source-modal.url').textContent()).toBe('default');
    await page.keyboard.press('Escape');
    expect(chrome.errors).toEqual([]);
  });

  it('Compare warns when A and B meshed different parts, and the aspect-ratio axis stops where the data does', async () => {
    await page.getByTestId('open-parts').selectOption({ label: 'knob.stl' });
    await page.getByTestId('run-mesh').click();
    await waitStatus(page, 'completed', 120_000);
    const knobJob = await selectedJobId();
    await page.getByTestId('mode-compare').click();
    await page.getByTestId('compare-a').selectOption(bracketJob);
    await page.getByTestId('compare-b').selectOption(knobJob);
    await expect
      .poll(() => page.getByTestId('different-parts').textContent(), { timeout: 30_000 })
      .toMatch(/Different parts: A meshed bracket\.step, B meshed knob\.stl/);
    await page.getByTestId('compare-table').waitFor({ timeout: 30_000 });
    // The bins run to 1e6 so nothing falls off; the axis must end at the data (the 99th percentile), not there.
    const end =
      (await page.getByRole('img', { name: 'Aspect ratio histogram' }).getByTestId('histo-end').textContent()) ?? '';
    expect(end).toMatch(/^[\d.]+\+?$/);
    expect(parseFloat(end)).toBeLessThanOrEqual(100);
    await shot('11-compare-different-parts');
    await page.getByRole('button', { name: 'Workbench' }).click();
    expect(chrome.errors).toEqual([]);
  });
});
