// A targeted repair in the desktop, in Chromium against the real harness and the real Gmsh: the default mesh of the
// thin-wall hard part has a sliver beside the wall; the job's repair attempt refines around it, the strip above the
// viewer says where (the bad tetrahedra and the faces they lie on), the Attempts tab says so and states the cascade's
// rule, and those faces can be shown highlighted on the part. While it runs, the progress bar covers the repair round instead of sitting full.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { artifacts, canvasStats, hasChromium, type Chrome, waitShown, waitStatus, withWorkbench } from './harness';
import { repoRoot } from '../helpers/paths';

if (!hasChromium) console.warn('SKIPPED repair e2e: /usr/bin/chromium is not installed (apt-get install chromium).');

describe.skipIf(!hasChromium)('targeted repair in the workbench', () => {
  let chrome: Chrome;
  let page: Page;
  withWorkbench((s) => ({ chrome, page } = s));

  it('says where it refined and highlights those faces on the part', async () => {
    await page.getByTestId('open-file').setInputFiles(join(repoRoot, 'resources', 'hard-parts', 'thin-wall.step'));
    await waitShown(page, 'preview');
    await page.waitForTimeout(300);
    const plain = await canvasStats(page);
    expect(plain.colourful / plain.foreground).toBeLessThan(0.01); // the grey-blue part
    await page.getByTestId('strategy').selectOption('default');
    await page.getByTestId('repair').check(); // a named strategy runs alone unless a repair is asked for
    await page.getByTestId('size-factor').fill('0.5');
    await page.getByTestId('run-mesh').click();
    // Progress as the job runs: the bar is the mean over every attempt started, so a repair round pulls it back.
    const seen: { label: string; value: number }[] = [];
    for (let i = 0; i < 1500; i++) {
      const now = await page.evaluate(() => ({
        status: document.querySelector('[data-testid="job-status"]')?.textContent ?? '',
        label: document.querySelector('[data-testid="job-progress-label"]')?.textContent ?? null,
        value: (document.querySelector('[data-testid="job-progress"]') as HTMLProgressElement | null)?.value ?? null,
      }));
      if (now.label !== null && now.value !== null) seen.push({ label: now.label, value: now.value });
      if (!['queued', 'running', ''].includes(now.status)) break;
      await page.waitForTimeout(100);
    }
    await waitStatus(page, 'completed');
    const repairing = seen.filter((s) => /^repair round 1 \d+ % · \d+ attempts started, \d+ % overall$/.test(s.label));
    expect(repairing.length, seen.map((s) => `${s.value} ${s.label}`).join('\n')).toBeGreaterThan(0);
    expect(Math.min(...repairing.map((s) => s.value))).toBeLessThan(100);
    const banner = page.getByTestId('repair-banner');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toMatch(
      /Targeted repair kept: the job's mesh is attempt \d+, which refined around \d+ tetrahedr(on|a) of default in \d+ places? on faces? [\d, ]+, where/,
    );
    await page.getByTestId('tab-attempts').click();
    expect(await page.getByTestId('repaired-faces').first().textContent()).toMatch(
      /^refined around \d+ tetrahedr(on|a) of default in \d+ places? on faces? [\d, ]+ \(worst SICN 0\.\d{3}\)/,
    );
    expect(await page.getByTestId('cascade-rule').textContent()).toMatch(
      /20× the median finished attempt's time .* 10× the tetrahedra of default/,
    );

    await waitShown(page, 'mesh'); // the mesh
    await page.getByTestId('show-repaired').click();
    await waitShown(page, 'preview');
    await page.waitForTimeout(300);
    const lit = await canvasStats(page);
    expect(lit.colourful / lit.foreground).toBeGreaterThan(0.02); // the repaired faces drawn amber
    await page.screenshot({ path: join(artifacts, 'e2e-repaired-faces.png') });
    await page.getByTestId('show-repaired').click();
    await waitShown(page, 'mesh');
    expect(chrome.errors).toEqual([]);
  });
});
