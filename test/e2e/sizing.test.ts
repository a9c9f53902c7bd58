// Sizes in the desktop, in Chromium against the real harness and the real Gmsh: the part panel lists an assembly's
// bodies and which touch, the size settings colour the preview by target size before meshing, and the job meshes
// with them (one conformal mesh, the local size in its script).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readMshFile } from '../../src/mesh/msh-reader';
import {
  canvasStats,
  hasChromium,
  artifacts,
  type Chrome,
  type Web,
  waitShown,
  waitStatus,
  withWorkbench,
} from './harness';
import { cliPath, repoRoot } from '../helpers/paths';

if (!hasChromium) console.warn('SKIPPED sizing e2e: /usr/bin/chromium is not installed (apt-get install chromium).');

describe.skipIf(!hasChromium)('mesh sizes and assemblies in the workbench', () => {
  let web: Web;
  let chrome: Chrome;
  let page: Page;
  const storeJobs = () =>
    JSON.parse(
      execFileSync(process.execPath, [cliPath, 'jobs', '--json'], {
        env: { ...process.env, MESHBENCH_HOME: web.home },
      }).toString(),
    );
  withWorkbench((s) => ({ web, chrome, page } = s));

  it('lists the bodies of the assembly and which of them touch', async () => {
    await page.getByTestId('open-file').setInputFiles(join(repoRoot, 'resources', 'demo', 'assembly.step'));
    await page.getByTestId('part-bodies-summary').click({ timeout: 30_000 }); // the bodies list, folded by default
    await page.getByTestId('part-bodies').waitFor();
    expect(await page.getByTestId('body-1').textContent()).toMatch(/Body_1: \d+ faces, touches Body_2$/);
    expect(await page.getByTestId('body-2').textContent()).toMatch(/touches Body_1, Body_3$/);
    expect(await page.getByTestId('body-3').textContent()).toMatch(/touches Body_2$/);
  });

  it('"refine here" on a picked face adds a local size there and the preview shows it', async () => {
    await waitShown(page, 'preview');
    await page.waitForTimeout(300);
    const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.waitForFunction(() =>
      /^Selected face \d+$/.test(document.querySelector('[data-testid="face-selection"]')?.textContent ?? ''),
    );
    const face = Number(/(\d+)$/.exec((await page.getByTestId('face-selection').textContent())!)![1]);
    await page.getByTestId('refine-here').click();
    expect(await page.getByTestId('local-target-0').inputValue()).toBe(`face:${face}`);
    // nothing set yet: a tenth of the part's diagonal is assumed there, and refine asks for half of it
    const diag = Math.hypot(100, 20, 20);
    expect(Number(await page.getByTestId('local-size-0').inputValue())).toBeCloseTo(
      Number((diag / 20).toPrecision(3)),
      9,
    );
    await page.getByTestId('refine-here').click(); // again: half of that
    expect(Number(await page.getByTestId('local-size-0').inputValue())).toBeCloseTo(
      Number((Number((diag / 20).toPrecision(3)) / 2).toPrecision(3)),
      9,
    );
    expect(await page.getByTestId('local-sizes').locator('.row').count()).toBe(1);
    expect(await page.getByTestId('size-legend').textContent()).toMatch(/Preview coloured by target size/);
    await page.getByTestId('clear-selection').click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(artifacts, 'e2e-refine-here.png') });
    const s = await canvasStats(page);
    expect(s.colourful / s.foreground).toBeGreaterThan(0.02); // the refined face and its surroundings drawn warm
    await page.getByTestId('local-target-0').locator('xpath=following-sibling::button').click(); // back to no sizes
    expect(await page.getByTestId('local-sizes').locator('.row').count()).toBe(0);
  });

  it('colours the preview by target size once a local size is set, and meshes with it', async () => {
    await waitShown(page, 'preview');
    await page.waitForTimeout(300);
    const plain = await canvasStats(page);
    expect(plain.colourful / plain.foreground).toBeLessThan(0.01); // the grey-blue part
    if (!(await page.getByTestId('sizes-section').evaluate((d) => (d as HTMLDetailsElement).open)))
      await page.getByTestId('sizes-section').locator('summary').click();
    await page.getByTestId('size-max').fill('12');
    await page.getByTestId('add-local-size').click();
    await page.getByTestId('local-target-0').fill('Body_3');
    await page.getByTestId('local-size-0').fill('1.5');
    expect(await page.getByTestId('size-legend').textContent()).toMatch(/red 1\.5\smm → blue 12\smm/);
    await page.waitForTimeout(300);
    const coloured = await canvasStats(page);
    expect(coloured.colourful / coloured.foreground).toBeGreaterThan(0.05); // the refined cylinder is drawn warm
    await page.screenshot({ path: join(artifacts, 'e2e-sizes-preview.png') });

    await page.getByTestId('strategy').selectOption('default');
    await page.getByTestId('run-mesh').click();
    await waitStatus(page, 'completed');
    await waitShown(page, 'mesh');
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(artifacts, 'e2e-sizes-mesh.png') });
    const jobs = JSON.parse(
      execFileSync(process.execPath, [cliPath, 'jobs', '--json'], {
        env: { ...process.env, MESHBENCH_HOME: web.home },
      }).toString(),
    );
    const job = jobs[0];
    expect(job.settings.sizing).toEqual({ sizeMax: 12, local: [{ target: 'Body_3', size: 1.5 }] });
    const geo = readFileSync(job.attempts.find((a: { status: string }) => a.status === 'completed').argv[1], 'utf8');
    expect(geo).toContain('BooleanFragments');
    expect(geo).toContain('Field[2].SizeMin = 1.5;');
    const m = readMshFile(job.mesh.path);
    const keys = new Set<string>();
    for (let i = 0; i < m.nodeCount; i++)
      keys.add(`${m.nodes[3 * i].toFixed(9)},${m.nodes[3 * i + 1].toFixed(9)},${m.nodes[3 * i + 2].toFixed(9)}`);
    expect(keys.size).toBe(m.nodeCount); // conformal: no node twice
    expect(chrome.errors).toEqual([]);
  });

  it('a quadratic run can be coloured by the scaled Jacobian of its curved elements', async () => {
    await page.getByTestId('local-target-0').locator('xpath=following-sibling::button').click(); // drop the local size
    await page.getByTestId('size-max').fill('');
    await page.getByTestId('mesh-settings-order').selectOption('2');
    const before = storeJobs().length;
    await page.getByTestId('run-mesh').click();
    // the previous job's "completed" is still on screen: wait for the new job in the store
    await expect
      .poll(
        () => {
          const j = storeJobs();
          return j.length > before ? j[0].status : 'not yet';
        },
        { timeout: 180_000, interval: 500 },
      )
      .toBe('completed');
    const jobs = storeJobs();
    expect(jobs[0].settings.elementOrder).toBe(2);
    expect(jobs[0].quality.scaledJacobian.min).toBeGreaterThan(0);
    await waitShown(page, jobs[0].id);
    await page.waitForTimeout(300);
    const plain = await canvasStats(page);
    await page.getByTestId('color-by').selectOption('scaledJacobian');
    await page.waitForTimeout(300);
    const coloured = await canvasStats(page);
    expect(coloured.hash).not.toBe(plain.hash); // recoloured by the per-tet values
    expect(chrome.errors).toEqual([]);
  });
});
