// The workbench as an engineer uses it (issue 11), in one Chromium session against the real harness and Gmsh:
// state that follows the selection, one path for bad inputs, open shells warned at open time, navigation, layout,
// quality summary, compare with failed jobs, isolate/clip tools, settings, job actions. Screenshots go to
// test-artifacts/ (the user guide's come from here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifacts, canvasStats, ensureBuilt, hasChromium, launchChromium, startWeb, type Chrome, type Web } from './harness';
import { repoRoot, sample } from '../helpers/paths';

const bracket = join(repoRoot, 'resources', 'demo', 'bracket.step');
const hasSamples = existsSync(sample('cube_filet.stp'));
if (!hasChromium) console.warn('SKIPPED engineer e2e: /usr/bin/chromium is not installed (apt-get install chromium).');
if (!hasSamples) console.warn('SKIPPED engineer e2e checks on sample parts: set MESHBENCH_SAMPLES to the sample folder.');

describe.skipIf(!hasChromium)('the workbench as an engineer expects it', () => {
  let web: Web;
  let chrome: Chrome;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-e2e-eng-'));
  const shot = (name: string) => page.screenshot({ path: join(artifacts, `eng-${name}.png`) });
  const waitStatus = (s: string, timeout = 120_000) =>
    page.waitForFunction((want) => document.querySelector('[data-testid="job-status"]')?.textContent === want, s, { timeout });
  const selectedJobId = async () => (await page.locator('[data-testid="job-row"].active').getAttribute('data-job-id'))!;
  const shown = () => page.getByTestId('viewer-canvas').getAttribute('data-shown');
  const waitShown = (id: string) =>
    page.waitForFunction(
      (j) => document.querySelector('[data-testid="viewer-canvas"]')?.getAttribute('data-shown') === j && !document.querySelector('[data-testid="mesh-details-loading"]'),
      id,
      { timeout: 60_000 },
    );
  const partName = () => page.locator('[data-testid="part-info"] .strong').first().textContent();
  const openFile = async (path: string) => {
    await page.getByTestId('open-file').setInputFiles(path);
  };
  const settle = () => page.waitForTimeout(300);
  let bracketJob = '';

  beforeAll(async () => {
    ensureBuilt();
    web = await startWeb();
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
    await waitStatus('completed');
    bracketJob = await selectedJobId();
    await waitShown(bracketJob);
    // Another part becomes current; selecting the bracket's job brings the bracket back to the Part panel and Run.
    await openFile(join(repoRoot, 'resources', 'demo', 'knob.stl'));
    await expect.poll(partName, { timeout: 30_000 }).toBe('knob.stl');
    await page.getByTestId('part-volumes').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('run-mesh').textContent()).toContain('knob.stl');
    await page.locator(`[data-job-id="${bracketJob}"]`).click();
    await expect.poll(partName).toBe('bracket.step');
    expect(await page.getByTestId('run-mesh').textContent()).toContain('bracket.step');
    await waitShown(bracketJob);
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

  it.skipIf(!hasSamples)('an open shell (surfaces, no solid) is warned at open time, with Run off and the batch leaving it out', async () => {
    await openFile(sample('cube_filet.stp'));
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
    await page.getByTestId('open-parts').locator('li', { hasText: 'bracket.step' }).click();
    await page.getByTestId('strategy').fill('hxt');
    await page.getByTestId('size-factor').fill('0.08');
    await page.getByTestId('run-mesh').click();
    await page.waitForFunction(() => ['running', 'queued'].includes(document.querySelector('[data-testid="job-status"]')?.textContent ?? ''), null, { timeout: 30_000 });
    await page.getByTestId('cancel-job').click();
    await waitStatus('cancelled', 60_000);
    const banner = page.getByTestId('job-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/Cancelled/);
    expect(await page.getByTestId('failed-banner').count()).toBe(0);
    await page.waitForFunction(() => document.querySelector('[data-testid="viewer-canvas"]')?.getAttribute('data-shown') === 'preview');
    await settle();
    expect((await canvasStats(page)).red).toBeLessThan(30);
    await page.getByTestId('banner-close').click();
    expect(await page.getByTestId('job-banner').count()).toBe(0);
    await page.getByTestId('strategy').fill('');
    await page.getByTestId('size-factor').fill('1');
  });
});
