// Groups and exports in the workbench, in Chromium against the real harness and the real Gmsh: click a face of the
// part (a click on empty space clears), name it, see it listed and coloured, find it again after a reload (stored
// by the part's sha256), rename it, mesh with it, export the job for CalculiX, delete it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { canvasStats, hasChromium, artifacts, type Chrome, waitShown, waitStatus, withWorkbench } from './harness';
import { repoRoot } from '../helpers/paths';

if (!hasChromium) console.warn('SKIPPED groups e2e: /usr/bin/chromium is not installed (apt-get install chromium).');

describe.skipIf(!hasChromium)('face groups and exports in the workbench', () => {
  let chrome: Chrome;
  let page: Page;
  const canvasClick = async (fx: number, fy: number, shift = false) => {
    const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
    if (shift) await page.keyboard.down('Shift');
    await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
    if (shift) await page.keyboard.up('Shift');
  };

  /**
   * A click on the bracket's top face (4), a large one: the middle of the canvas can fall within a few pixels of a
   * small face, which the pick rightly prefers, and a small face's yellow is too few pixels to count.
   */
  const topFaceClick = async (shift = false) => {
    const p = (await page.evaluate(() =>
      (
        window as unknown as { __meshbenchViewers: Record<string, { faceScreenPoint(t: number): unknown }> }
      ).__meshbenchViewers['viewer-canvas'].faceScreenPoint(4),
    )) as { x: number; y: number };
    if (shift) await page.keyboard.down('Shift');
    await page.mouse.click(p.x, p.y);
    if (shift) await page.keyboard.up('Shift');
  };

  withWorkbench((s) => ({ chrome, page } = s));

  it('a click selects the face under it and highlights it; shift adds; a click on empty space clears', async () => {
    await page.getByTestId('open-file').setInputFiles(join(repoRoot, 'resources', 'demo', 'bracket.step'));
    await waitShown(page, 'preview');
    await page.waitForTimeout(300);
    const before = await canvasStats(page);
    await topFaceClick();
    await page.waitForFunction(() =>
      /^Selected face \d+$/.test(document.querySelector('[data-testid="face-selection"]')?.textContent ?? ''),
    );
    // The face is drawn in the selection's yellow (on the next frame, which a loaded machine may take a while to draw).
    await expect
      .poll(async () => (await canvasStats(page)).colourful, { timeout: 10_000, interval: 300 })
      .toBeGreaterThan(before.colourful + 200);
    await canvasClick(0.02, 0.02); // the background
    await page.waitForFunction(() =>
      /^Click a face/.test(document.querySelector('[data-testid="face-selection"]')?.textContent ?? ''),
    );
    await topFaceClick();
    const one = (await page.getByTestId('face-selection').textContent())!;
    await topFaceClick(true); // shift on the same face: takes it out again
    await page.waitForFunction(() =>
      /^Click a face/.test(document.querySelector('[data-testid="face-selection"]')?.textContent ?? ''),
    );
    await topFaceClick();
    expect(await page.getByTestId('face-selection').textContent()).toBe(one);
  });

  it('names the selection as a group, keeps it across a reload, renames it', async () => {
    const face = Number((await page.getByTestId('face-selection').textContent())!.match(/\d+/)![0]);
    // A name a solver deck cannot hold is refused with the reason on the button; a space becomes an underscore.
    await page.getByTestId('group-name').fill('9lives');
    expect(await page.getByTestId('make-group').isDisabled()).toBe(true);
    expect(await page.getByTestId('make-group').getAttribute('title')).toMatch(/letter or _/);
    await page.getByTestId('group-name').fill('fixed end');
    expect(await page.getByTestId('group-name-note').textContent()).toBe('Saved as fixed_end');
    expect(await page.getByTestId('make-group').isDisabled()).toBe(false);
    await page.getByTestId('group-name').fill('fixed');
    await page.getByTestId('make-group').click();
    await page.getByTestId('group-fixed').waitFor();
    expect(await page.getByTestId('group-fixed').textContent()).toContain(`faces ${face}`);
    await page.reload();
    await page.getByTestId('open-file').setInputFiles(join(repoRoot, 'resources', 'demo', 'bracket.step'));
    await page.getByTestId('group-fixed').waitFor({ timeout: 30_000 });
    await page.getByTestId('rename-fixed').fill('clamp');
    await page.getByTestId('rename-fixed').press('Enter');
    await page.getByTestId('group-clamp').waitFor();
    await page.screenshot({ path: join(artifacts, 'e2e-groups.png') });
  });

  it('meshes with the group, exports the job for CalculiX, and deletes the group', async () => {
    await page.getByTestId('strategy').selectOption('default');
    await page.getByTestId('run-mesh').click();
    await waitStatus(page, 'completed');
    // faces are picked on the mesh too: its skin triangles know the CAD face they lie on
    await waitShown(page, 'mesh'); // with its full payload, which picking needs
    await canvasClick(0.02, 0.02);
    await page.waitForFunction(() =>
      /^Click a face/.test(document.querySelector('[data-testid="face-selection"]')?.textContent ?? ''),
    );
    await canvasClick(0.5, 0.5);
    await page.waitForFunction(() =>
      /^Selected face \d+$/.test(document.querySelector('[data-testid="face-selection"]')?.textContent ?? ''),
    );
    await page.getByTestId('clear-selection').click();
    await page.getByTestId('export-open').click();
    await page.getByTestId('export-format-inp').check();
    await page.getByTestId('export-go').click();
    await page.getByTestId('exported-inp').waitFor({ timeout: 60_000 });
    const path = (await page.getByTestId('exported-inp').getAttribute('title'))!.split('\n')[0];
    await page.keyboard.press('Escape');
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toMatch(/\*NSET, NSET=clamp\n[\s\S]*\*SURFACE, NAME=clamp, TYPE=ELEMENT/);
    await page.getByTestId('delete-clamp').click();
    await page.getByTestId('group-list').waitFor({ state: 'detached' });
    expect(chrome.errors).toEqual([]);
  });
});
