// What the geometry prevents, in the desktop (Chromium against the real harness and the real Gmsh): fillet-rim's
// default mesh misses its target beside four 0.235-wide fillet strips; the strip above the viewer and the quality
// card name them, the viewer marks them in orange, and the attempts table holds each count against what the
// requested size implies.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { artifacts, hasChromium, type Chrome, waitShown, waitStatus, withWorkbench } from './harness';
import { hardPart } from '../helpers/paths';

if (!hasChromium) console.warn('SKIPPED geometry e2e: /usr/bin/chromium is not installed (apt-get install chromium).');

describe.skipIf(!hasChromium)('what the geometry prevents, in the workbench', () => {
  let chrome: Chrome;
  let page: Page;
  withWorkbench((s) => ({ chrome, page } = s));

  it('names the fillet strips, marks them in the viewer and shows tets against the requested size', async () => {
    await page.getByTestId('open-file').setInputFiles(hardPart('fillet-rim.step'));
    await waitShown(page, 'preview');
    await page.getByTestId('strategy').selectOption('default');
    await page.getByTestId('run-mesh').click();
    await waitStatus(page, 'completed');
    const banner = page.getByTestId('geometry-banner');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toMatch(
      /Its bad elements sit next to small CAD features \(marked in orange\): face \d is 0\.235 mm wide, 1\/50 of the element size: a fillet strip or sliver face;/,
    );
    await page.getByTestId('tab-attempts').click();
    const causes = await page.getByTestId('geometry-cause').allTextContents();
    expect(causes).toHaveLength(4);
    for (const c of causes)
      expect(c).toMatch(
        /^face [3479] is 0\.235 mm wide, 1\/50 of the element size: a fillet strip or sliver face \(\d+ of the \d+ elements below the targets\)$/,
      );
    expect(await page.getByTestId('attempt-tets').first().textContent()).toMatch(
      /^[\d,]+ \(\d+\.\d× what size 11\.8 implies\)$/,
    );
    // the viewer: the strips' skin nodes as orange points
    await waitShown(page, 'mesh');
    const marked = await page.evaluate(() => {
      const v = (window as unknown as { __meshbenchViewers: Record<string, { markedPoints(): number }> })
        .__meshbenchViewers;
      return v['viewer-canvas'].markedPoints();
    });
    expect(marked).toBeGreaterThan(20);
    await page.screenshot({ path: join(artifacts, 'e2e-geometry-causes.png') });
    expect(chrome.errors).toEqual([]);
  });
});
