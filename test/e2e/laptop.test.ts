// The workbench on an engineer's 1280×720 laptop (issue 22), in one Chromium session against the real harness and the
// real Gmsh, on a real part under a long name: the layout holds (no sideways scrollbar outside the log, settings in
// full, long names ellipsised), the selected job's histogram is on screen, runs are told apart, the preview looks
// like CAD, the catalogue and Gmsh's algorithms are choices, picking and feedback work, exports are a dialog, and a
// first start offers Open, the demo parts and the recent files. Screenshots go to test-artifacts/ (lap-*.png).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readMshFile } from '../../src/mesh/msh-reader';
import { artifacts, canvasStats, hasChromium, openWorkbench, type Session, waitShown, waitStatus } from './harness';
import { cli } from '../helpers/cli';
import { demoPart, hardPart } from '../helpers/paths';

if (!hasChromium) console.warn('SKIPPED laptop e2e: /usr/bin/chromium is not installed (apt-get install chromium).');

const W = 1280;
const H = 720;

/** Elements that scroll sideways (a horizontal scrollbar), the log's own rows left out, and the page itself. */
const sidewaysScrollers = (page: Page) =>
  page.evaluate(() => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth) out.push('the page');
    for (const e of document.querySelectorAll<HTMLElement>('body *')) {
      if (e.closest('[data-testid="log-panel"]')) continue;
      const ox = getComputedStyle(e).overflowX;
      if ((ox === 'auto' || ox === 'scroll') && e.scrollWidth > e.clientWidth + 1)
        out.push(`${e.tagName.toLowerCase()}.${e.className || e.getAttribute('data-testid')}`);
    }
    return out;
  });

/** Disabled buttons that do not say why (no title). */
const silentDisabled = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLButtonElement>('button:disabled')]
      .filter((b) => !b.title.trim())
      .map((b) => b.textContent?.trim() || b.getAttribute('data-testid') || '?'),
  );

/** Whether an element lies wholly in the window (and, with `within`, wholly in that element's visible box). */
const onScreen = (page: Page, testId: string, within?: string) =>
  page.evaluate(
    ([id, box]) => {
      const r = document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect();
      if (!r || !r.width || !r.height) return false;
      const inWin = r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight;
      const b = box ? document.querySelector(box)?.getBoundingClientRect() : null;
      return (
        inWin &&
        (!b || (r.top >= b.top - 1 && r.bottom <= b.bottom + 1 && r.left >= b.left - 1 && r.right <= b.right + 1))
      );
    },
    [testId, within ?? null] as const,
  );

/** The main viewer's scene as the e2e build exposes it (renderer/src/e2e-flag.d.ts). */
interface Probe {
  drawnStats(): { triangles: number; smooth: number; featureSegments: number; elementSegments: number };
  faceScreenPoint(tag: number): { x: number; y: number } | null;
}
const scene = () =>
  (window as unknown as { __meshbenchViewers: Record<string, Probe> }).__meshbenchViewers['viewer-canvas'];
const drawnStats = (page: Page) =>
  page.evaluate(`(${scene.toString()})().drawnStats()`) as Promise<ReturnType<Probe['drawnStats']>>;
/** Where a face shows unhidden on the canvas (client coordinates), or null. */
const facePoint = (page: Page, tag: number) =>
  page.evaluate(`(${scene.toString()})().faceScreenPoint(${tag})`) as Promise<{ x: number; y: number } | null>;

/** Pixels in the magenta the ten worst elements are marked with. */
const magenta = (page: Page) =>
  page.evaluate(() => {
    const src = document.querySelector('[data-testid="viewer-canvas"]') as HTMLCanvasElement;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const g = c.getContext('2d')!;
    g.drawImage(src, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 170 && d[i + 1] < 110 && d[i + 2] > 150) n++;
    return n;
  });

describe.skipIf(!hasChromium)('the workbench on a 1280×720 laptop', () => {
  let session: Session;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-e2e-laptop-'));
  // A real part under the kind of name a PDM system gives it.
  const longName = '918_pump_carter_sup_21_03_2006_housing_rev_C_final.stp';
  const part = join(dir, longName);
  copyFileSync(demoPart('bracket.step'), part);
  const exportDir = join(dir, 'exports');
  mkdirSync(exportDir);
  const shot = (name: string) => page.screenshot({ path: join(artifacts, `lap-${name}.png`) });
  const settle = () => page.waitForTimeout(300);
  const selectedJobId = async () => (await page.locator('[data-testid="job-row"].active').getAttribute('data-job-id'))!;
  let first = '';
  let second = '';

  beforeAll(async () => {
    session = await openWorkbench({}, null, { args: ['--export-dir', exportDir], viewport: { width: W, height: H } });
    page = session.page;
    await page.getByTestId('start-screen').waitFor();
  }, 240_000);
  afterAll(() => session?.close());

  it('first start: Open is the highlighted step, the demo parts and recent files are offered, nothing is off without a reason', async () => {
    expect(await page.getByTestId('open-part').getAttribute('class')).toMatch(/primary/);
    expect(await page.getByTestId('run-mesh').getAttribute('class')).not.toMatch(/primary/);
    expect(await page.getByTestId('run-mesh').isDisabled()).toBe(true);
    const demos = page.getByTestId('demo-parts').locator('li');
    expect(await demos.locator('button').allTextContents()).toEqual(['bracket.step', 'assembly.step', 'knob.stl']);
    expect((await demos.locator('.muted').allTextContents()).every((d) => d.length > 30)).toBe(true); // what each shows
    // The view tools are off with nothing to show, and say why; so is every other disabled button.
    expect(await page.getByTestId('zoom-worst').isDisabled()).toBe(true);
    expect(await page.getByTestId('clip-axis').isDisabled()).toBe(true);
    expect(await silentDisabled(page)).toEqual([]);
    expect(await page.getByTestId('breaker-state').textContent()).not.toMatch(/breaker/);
    await shot('01-start');
    // A demo part opens in one click; once opened it is a recent file on the next start.
    await page.getByTestId('demo-bracket.step').click();
    await waitShown(page, 'preview');
    expect(await page.getByTestId('part-name').textContent()).toBe('bracket.step');
    expect(await page.getByTestId('run-mesh').getAttribute('class')).toMatch(/primary/);
    await page.reload();
    await page.getByTestId('recent-files').locator('li').first().waitFor();
    expect(await page.getByTestId('recent-files').textContent()).toContain('bracket.step');
  });

  it(`a long-named part (${longName}): ellipsised with its full name on hover, settings in full, sizes in mm, no sideways scrollbar`, async () => {
    await page.getByTestId('open-file').setInputFiles(part);
    await page.getByTestId('part-volumes').waitFor({ timeout: 30_000 });
    await waitShown(page, 'preview');
    const name = page.getByTestId('part-name');
    expect(await name.getAttribute('title')).toMatch(new RegExp(`${longName.replace(/\./g, '\\.')}$`));
    expect(await name.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true); // cut with an ellipsis, not a scrollbar
    expect(await page.getByTestId('part-size').textContent()).toBe('80 × 40 × 60 mm');
    expect(await page.getByTestId('size-factor').locator('xpath=..').textContent()).toContain('Size factor');
    // Every mesh setting is on screen, inside the side panel's visible part, with no inner scrolling.
    for (const id of ['strategy', 'policy', 'size-factor', 'mesh-settings-order', 'sizes-section', 'advanced-section'])
      expect([id, await onScreen(page, id, '.side-top')]).toEqual([id, true]);
    expect(await page.locator('.side-top').evaluate((e) => e.scrollHeight <= e.clientHeight + 1)).toBe(true);
    await page.getByTestId('sizes-section').locator('summary').click();
    expect(await page.getByTestId('size-settings').textContent()).toMatch(/Size min \(mm\).*Size max \(mm\)/);
    await page.getByTestId('sizes-section').locator('summary').click();
    await page.getByTestId('clip-axis').selectOption('x');
    expect(await page.getByTestId('clip-readout').textContent()).toMatch(/^cut: x ≤ [\d.]+ mm$/);
    await page.getByTestId('clip-axis').selectOption('off');
    expect(await sidewaysScrollers(page)).toEqual([]);
    expect(await onScreen(page, 'open-settings')).toBe(true);
    expect(await onScreen(page, 'breaker-state')).toBe(true);
    await shot('02-long-name');
  });

  it('a CAD-like preview: smooth shading on curved faces, the CAD edges drawn instead of the triangulation', async () => {
    const s = await drawnStats(page);
    // The bolt holes are smooth (their triangles carry differing corner normals); the planes stay flat.
    expect(s.smooth).toBeGreaterThan(0.05 * s.triangles);
    expect(s.smooth).toBeLessThan(s.triangles);
    // The feature edges are the faces' boundaries, far fewer lines than every triangle edge (about 1.5 per triangle).
    expect(s.featureSegments).toBeGreaterThan(20);
    expect(s.featureSegments).toBeLessThan(0.5 * s.triangles);
    expect(s.elementSegments).toBe(0);
  });

  it('the catalogue: every attempt named and described, chosen from a list; Advanced sets the CLI flags', async () => {
    const options = await page
      .getByTestId('strategy')
      .locator('option')
      .evaluateAll((os) =>
        os.map((o) => ({
          v: (o as HTMLOptionElement).value,
          off: (o as HTMLOptionElement).disabled,
          t: o.getAttribute('title') ?? '',
        })),
      );
    expect(options.map((o) => o.v)).toEqual([
      '',
      'default',
      'hxt',
      'small-features',
      'compound-fillets',
      'netgen',
      'curvature-sizing',
      'finer-size',
      'occ-healing',
      'meshadapt-surfaces',
      'finest-size',
      'compound-slivers',
      'coarse-cusps',
      'frontal-3d',
      'mmg3d',
    ]);
    // This Gmsh has neither Netgen nor Mmg: those attempts are listed, off, with the reason.
    expect(options.filter((o) => o.off).map((o) => o.v)).toEqual(['frontal-3d', 'mmg3d']);
    expect(options.slice(1).every((o) => o.t.length > 10)).toBe(true);
    await page.getByTestId('strategy').selectOption('curvature-sizing');
    expect(await page.getByTestId('strategy-note').textContent()).toMatch(/curvature/i);
    await page.getByTestId('strategy').selectOption('default');
    expect(await page.getByTestId('strategy-note').textContent()).toBe(
      "Gmsh's own defaults (Delaunay 3D, automatic 2D)",
    );
    await page.getByTestId('advanced-section').locator('summary').click();
    await page.getByTestId('algo-algorithm2d').selectOption('frontal-delaunay');
    await page.getByTestId('algo-optimizer').selectOption('default');
    expect(await page.getByTestId('algo-algorithm3d').locator('option[value="frontal"]').isDisabled()).toBe(true);
    expect(await page.getByTestId('advanced-flags').textContent()).toBe(
      'Over every attempt: meshbench mesh --algorithm-2d frontal-delaunay --optimizer default',
    );
    await page.getByTestId('run-mesh').click();
    await waitStatus(page, 'completed');
    first = await selectedJobId();
    await page.getByTestId('tab-attempts').click();
    const argv = (await page.getByTestId('copy-argv').first().getAttribute('title')) ?? '';
    // The same options as the CLI flags give, after the attempt's own.
    expect(argv).toMatch(/-setnumber Mesh\.Algorithm 6 -setnumber Mesh\.Optimize 1$/);
    await page.getByTestId('tab-log').click();
    await page.getByTestId('advanced-section').locator('summary').click();
  });

  it("the selected job's row tells the run (part, status, time, backend, strategy); its histogram is on screen without Compare", async () => {
    const row = page.locator(`[data-job-id="${first}"]`);
    expect(await row.getByTestId('job-part').getAttribute('title')).toMatch(
      new RegExp(`${longName.replace(/\./g, '\\.')}$`),
    );
    const badge = await row.getByTestId('job-row-status').boundingBox();
    const box = (await row.boundingBox())!;
    expect(badge!.x + badge!.width).toBeLessThanOrEqual(box.x + box.width); // the status is never pushed out
    expect(await row.getByTestId('job-outcome').textContent()).toMatch(
      /^\d\d:\d\d:\d\d · local · default · 1,1\d\d tets · [\d.]+\s(ms|s)$/,
    );
    expect(await row.getByTestId('job-settings').textContent()).toBe(
      'size ×1 · asked default · algorithm 2d frontal-delaunay · optimizer default',
    );
    expect(await page.getByTestId('mode-compare').getAttribute('class')).not.toMatch(/active/);
    expect(await onScreen(page, 'job-histogram')).toBe(true);
    const counts = await page
      .locator('[data-testid^="histo-band-"]')
      .evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-count'))));
    const tets = Number(
      (await row.getByTestId('job-outcome').textContent())!.match(/([\d,]+) tets/)![1].replace(/,/g, ''),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(tets);
    expect(counts.length).toBe(10); // SICN: 0–0.1 … 0.9–1
    // Each non-empty band prints its count; the SICN target of 0.1 is marked.
    const shown = await page.locator('.histo-count').allTextContents();
    expect(shown.filter(Boolean).map((t) => Number(t.replace(/,/g, '')))).toEqual(counts.filter((c) => c > 0));
    expect(await page.getByTestId('histo-target').textContent()).toBe('target ≥ 0.1');
    await shot('03-histogram');
  });

  it('a click on a band shows just those elements, their count as the band says; again shows all', async () => {
    await waitShown(page, first);
    const band = page.getByTestId('histo-band-5'); // SICN 0.5–0.6
    const n = Number(await band.getAttribute('data-count'));
    expect(n).toBeGreaterThan(0);
    const before = await canvasStats(page);
    await band.click();
    await settle();
    expect(await page.getByTestId('color-by').inputValue()).toBe('sicn');
    expect(await page.getByTestId('legend').textContent()).toContain('showing 0.50–0.60');
    expect(await page.getByTestId('isolate-count').textContent()).toMatch(
      new RegExp(`^${n.toLocaleString('en-US')} elements? in 0\\.50–0\\.60`),
    );
    expect((await canvasStats(page)).hash).not.toBe(before.hash);
    await shot('04-band');
    await band.click();
    await settle();
    expect(await page.getByTestId('isolate-count').count()).toBe(0);
  });

  it('Worst marks the ten worst of the isolated band and frames them one by one; its readout follows the metric and the part', async () => {
    await page.getByTestId('view-iso').click();
    await page.getByTestId('histo-band-2').click(); // SICN 0.2–0.3
    await settle();
    const before = await canvasStats(page);
    await page.getByTestId('zoom-worst').click();
    await settle();
    const text = (await page.getByTestId('worst-readout').textContent())!;
    const m = /worst 1 of (\d+): SICN ([\d.]+)/.exec(text)!;
    expect(Number(m[1])).toBe(Math.min(10, Number(await page.getByTestId('histo-band-2').getAttribute('data-count'))));
    expect(Number(m[2])).toBeGreaterThanOrEqual(0.2); // the worst of the isolated band, not of the whole mesh
    expect(Number(m[2])).toBeLessThan(0.3);
    expect(await magenta(page)).toBeGreaterThan(200); // the ten are marked
    const after = await canvasStats(page);
    expect(after.extent.x1 - after.extent.x0).toBeGreaterThan((before.extent.x1 - before.extent.x0) * 1.5); // framed close
    expect(await sidewaysScrollers(page)).toEqual([]);
    await shot('05-worst');
    await page.getByTestId('worst-readout').getByRole('button', { name: 'next worst' }).click();
    expect(await page.getByTestId('worst-readout').textContent()).toMatch(/worst 2 of/);
    // Another metric: the marks and the readout go (they were SICN's).
    await page.getByTestId('color-by').selectOption('gamma');
    await settle();
    expect(await page.getByTestId('worst-readout').count()).toBe(0);
    expect(await magenta(page)).toBe(0);
    // Another part: the readout does not follow it there either.
    await page.getByTestId('zoom-worst').click();
    expect(await page.getByTestId('worst-readout').textContent()).toMatch(/Gamma/);
    await page.getByTestId('open-file').setInputFiles(demoPart('bracket.step'));
    await page.waitForFunction(
      () => document.querySelector('[data-testid="part-name"]')?.textContent === 'bracket.step',
    );
    await waitShown(page, 'preview');
    expect(await page.getByTestId('worst-readout').count()).toBe(0);
    await page.locator(`[data-job-id="${first}"]`).click();
    await waitShown(page, first);
    await page.getByTestId('color-by').selectOption('none');
    expect(await sidewaysScrollers(page)).toEqual([]);
  });

  it('picking: the face under the cursor lights up, a shift-click that misses keeps the selection, a box takes the faces seen', async () => {
    await page.getByTestId('open-parts').selectOption({ label: longName });
    await waitShown(page, 'preview');
    await page.getByTestId('view-iso').click();
    await settle();
    const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
    const plain = await canvasStats(page);
    const p4 = await facePoint(page, 4);
    await page.mouse.move(p4!.x, p4!.y);
    await expect.poll(() => page.getByTestId('hover-face').textContent()).toBe('face 4 under the cursor');
    await settle();
    expect((await canvasStats(page)).hash).not.toBe(plain.hash); // lit
    await page.mouse.click(p4!.x, p4!.y);
    expect(await page.getByTestId('face-selection').textContent()).toBe('Selected face 4');
    await page.keyboard.down('Shift');
    await page.mouse.click(box.x + 10, box.y + box.height - 10); // empty space
    await page.keyboard.up('Shift');
    expect(await page.getByTestId('face-selection').textContent()).toBe('Selected face 4');
    await page.mouse.click(box.x + 10, box.y + box.height - 10);
    expect(await page.getByTestId('face-selection').textContent()).toMatch(/^Click a face/);
    // A box around the whole part takes the faces seen from here (iso: looking along -x, +y, -z), none behind.
    const faces = (await cli(['faces', part, '--json'], session.web.home)).json<{
      faces: { tag: number; area: number; normal: number[] | null }[];
    }>().faces;
    const view = [1, -1, 0.8].map((v) => v / Math.hypot(1, 1, 0.8));
    const facing = (t: number) => {
      const n = faces.find((f) => f.tag === t)!.normal;
      return n ? n[0] * view[0] + n[1] * view[1] + n[2] * view[2] : 0;
    };
    await page.getByTestId('box-select').click();
    await page.mouse.move(box.x + 20, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 20, box.y + box.height - 20, { steps: 4 });
    await page.mouse.up();
    const picked = (await page.getByTestId('face-selection').textContent())!
      .replace(/^Selected faces? /, '')
      .split(', ')
      .map(Number);
    expect(picked.length).toBeGreaterThanOrEqual(6);
    expect(picked.filter((t) => facing(t) < -0.3)).toEqual([]);
    expect(faces.filter((f) => facing(f.tag) > 0.5 && f.area > 500).every((f) => picked.includes(f.tag))).toBe(true);
    await page.getByTestId('clear-selection').click();
  });

  it('Refine here on a meshed face proposes half the element edge there and shows the new size on the part at once', async () => {
    await page.locator(`[data-job-id="${first}"]`).click();
    await waitShown(page, first);
    await page.getByTestId('view-iso').click();
    await settle();
    const p4 = await facePoint(page, 4);
    await page.mouse.click(p4!.x, p4!.y);
    expect(await page.getByTestId('face-selection').textContent()).toBe('Selected face 4');
    // The mean edge of the mesh's triangles on face 4, read from the job's own .msh.
    const jobDir = join(session.web.home, 'jobs', first);
    const msh = readMshFile(
      join(
        jobDir,
        readdirSync(jobDir).find((f) => f.endsWith('.msh'))!,
      ),
    );
    let sum = 0;
    let count = 0;
    for (let t = 0; t < msh.triangleEntities.length; t++) {
      if (msh.triangleEntities[t] !== 4) continue;
      for (let k = 0; k < 3; k++) {
        const a = msh.triangles[t * 3 + k] * 3;
        const b = msh.triangles[t * 3 + ((k + 1) % 3)] * 3;
        sum += Math.hypot(
          msh.nodes[a] - msh.nodes[b],
          msh.nodes[a + 1] - msh.nodes[b + 1],
          msh.nodes[a + 2] - msh.nodes[b + 2],
        );
        count++;
      }
    }
    await page.getByTestId('refine-here').click();
    await waitShown(page, 'preview'); // the part, coloured by the sizes of the next run
    const proposed = Number(await page.getByTestId('local-size-0').inputValue());
    expect(Math.abs(proposed / (sum / count / 2) - 1)).toBeLessThan(0.006); // 3 significant digits
    expect(await page.getByTestId('local-target-0').inputValue()).toBe('face:4');
    expect(await onScreen(page, 'local-row-0')).toBe(true);
    expect(await page.getByTestId('size-legend').textContent()).toMatch(/red [\d.]+\s?mm → blue [\d.]+\s?mm/);
    expect(await page.getByTestId('toast-text').textContent()).toMatch(
      /face:4 → [\d.]+\s?mm \(half the [\d.]+\s?mm edges of the mesh there\)/,
    );
    await shot('06-refine-here');
    await page.getByTestId('toast-close').click();
  });

  it('two runs of one part are told apart: rows, the Compare header by part and time with what differs, the delete confirmation', async () => {
    // The second run: finer, with the local size from Refine here and a group.
    await page.getByTestId('group-name').fill('fixed');
    await page.getByTestId('make-group').click();
    await page.getByTestId('group-fixed').waitFor();
    await page.getByTestId('strategy').selectOption('');
    await page.getByTestId('advanced-section').locator('summary').click();
    await page.getByTestId('algo-algorithm2d').selectOption('');
    await page.getByTestId('algo-optimizer').selectOption('');
    await page.getByTestId('size-factor').fill('0.7');
    await page.getByTestId('run-mesh').click();
    await page.waitForFunction(
      (f) => document.querySelector('[data-testid="job-row"].active')?.getAttribute('data-job-id') !== f,
      first,
    );
    await waitStatus(page, 'completed');
    second = await selectedJobId();
    const rowText = async (id: string) =>
      page.locator(`[data-job-id="${id}"]`).getByTestId('job-settings').textContent();
    expect(await rowText(second)).toBe('size ×0.7 · 1 local size · groups fixed');
    expect(await rowText(first)).toMatch(/^size ×1 · asked default/);
    await page.getByTestId('mode-compare').click();
    await page.getByTestId('compare-a').selectOption(first);
    await page.getByTestId('compare-b').selectOption(second);
    await page.getByTestId('compare-table').waitFor({ timeout: 30_000 });
    // Named by part and time, never by an id.
    const label = (await page.getByTestId('compare-label-a').textContent())!;
    expect(label).toMatch(
      new RegExp(`^A ${longName.replace(/\./g, '\\.')} · \\d\\d:\\d\\d:\\d\\d · local · default · completed$`),
    );
    expect(label).not.toContain(first);
    const option = (await page.locator('[data-testid="compare-b"] option:checked').textContent())!;
    expect(option).toMatch(/^918_pump.* · \d\d:\d\d:\d\d · local · \S+ · completed$/);
    const differs = (await page.getByTestId('compare-differs').textContent())!;
    expect(differs).toContain('size: ×1 → ×0.7');
    expect(differs).toMatch(/local sizes: none → face:4=[\d.]+ mm/);
    expect(differs).toContain('groups: none → fixed');
    expect(differs).toContain('algorithm 2d: frontal-delaunay → default');
    // The jobs' names sit above their viewers, clear of the view buttons.
    for (const side of ['a', 'b']) {
      const l = (await page.getByTestId(`compare-label-${side}`).boundingBox())!;
      const canvas = (await page.getByTestId(`compare-canvas-${side}`).boundingBox())!;
      expect(l.y + l.height).toBeLessThanOrEqual(canvas.y + 1);
    }
    expect(await sidewaysScrollers(page)).toEqual([]);
    expect(await silentDisabled(page)).toEqual([]);
    await shot('07-compare');
    await page.getByRole('button', { name: 'Workbench' }).click();
    await page.locator(`[data-job-id="${second}"]`).click();
    await page.getByTestId('delete-job').click();
    expect(await page.getByTestId('delete-confirm').textContent()).toMatch(
      new RegExp(
        `^Delete the run of ${longName.replace(/\./g, '\\.')} from \\d\\d:\\d\\d:\\d\\d \\(completed, [\\d,]+ tetrahedra, [\\d.]+ (KiB|MiB) of files\\), its log and its output folder\\?$`,
      ),
    );
    expect(await onScreen(page, 'delete-yes')).toBe(true);
    await page.getByTestId('delete-no').click();
  });

  it('the log filters by attempt: parallel attempts no longer interleave', async () => {
    await page.getByTestId('tab-log').click();
    const attempts = await page.getByTestId('log-attempt').locator('option').allTextContents();
    expect(attempts.slice(0, 2)).toEqual(['all attempts', 'job lines only']);
    expect(attempts).toContain('#0 default');
    await page.getByTestId('log-attempt').selectOption({ label: '#0 default' });
    await page.locator('.log-line').first().waitFor();
    const tags = await page.locator('.log-att').allTextContents();
    expect(tags.length).toBeGreaterThan(5);
    expect(new Set(tags)).toEqual(new Set(['#0']));
    await page.getByTestId('log-attempt').selectOption('job');
    expect(new Set(await page.locator('.log-att').allTextContents())).toEqual(new Set(['·']));
    await page.getByTestId('log-attempt').selectOption('all');
  });

  it('Export: a dialog for formats, named groups only, units and folder; the files land there, scaled, with only the named groups', async () => {
    // The first run had no groups of its own: its mesh has Body_1 and a Face_<tag> group for every CAD face.
    await page.locator(`[data-job-id="${first}"]`).click();
    await page.getByTestId('export-open').click();
    const dlg = page.getByTestId('export-dialog');
    await dlg.waitFor();
    await page.getByTestId('export-format-vtu').check();
    expect(await page.getByTestId('export-format-inp').isChecked()).toBe(true);
    await page.getByTestId('export-groups-named').check();
    await page.getByTestId('export-units').selectOption('m');
    await page.getByTestId('export-pick-folder').click();
    await expect.poll(() => page.getByTestId('export-folder').textContent()).toBe(exportDir);
    expect(await onScreen(page, 'export-go')).toBe(true);
    await shot('08-export');
    await page.getByTestId('export-go').click();
    await page.getByTestId('exported-inp').waitFor({ timeout: 60_000 });
    const stem = basename(longName, '.stp');
    const inp = readFileSync(join(exportDir, `${stem}.inp`), 'utf8');
    expect(existsSync(join(exportDir, `${stem}.vtu`))).toBe(true);
    expect(inp).toMatch(/\*ELSET, ELSET=Body_1\n/);
    expect(inp).not.toMatch(/Face_\d/);
    // Metres: the 80 mm bracket is 0.08 long.
    const xs = inp
      .split('*ELEMENT')[0]
      .split('\n')
      .filter((l) => /^\s*\d+,/.test(l))
      .map((l) => Number(l.split(',')[1]));
    expect(Math.max(...xs) - Math.min(...xs)).toBeCloseTo(0.08, 6);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('export-dialog').count()).toBe(0);
  });

  it('small faces are pickable: a 0.2 mm fillet, a pixel wide, is taken from clicks beside it; + tangent adds the faces it blends into', async () => {
    const fillet = hardPart('micro-fillet.step');
    await page.getByTestId('open-file').setInputFiles(fillet);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="part-name"]')?.textContent === 'micro-fillet.step',
    );
    await waitShown(page, 'preview');
    const faces = (await cli(['faces', fillet, '--json'], session.web.home)).json<{
      faces: { tag: number; area: number; normal: number[] | null }[];
    }>().faces;
    const small = [...faces].sort((a, b) => a.area - b.area)[0];
    expect(small.area).toBeLessThan(10); // the fillet: 0.2 mm × 20 mm, among faces of thousands of mm²
    await page.getByTestId('view-back').click();
    await settle();
    const at = (await facePoint(page, small.tag))!;
    expect(at).not.toBeNull();
    for (const [dx, dy] of [
      [-2, 0],
      [2, 0],
      [0, -2],
      [0, 2],
    ]) {
      await page.mouse.click(at.x + dx, at.y + dy);
      expect([dx, dy, await page.getByTestId('face-selection').textContent()]).toEqual([
        dx,
        dy,
        `Selected face ${small.tag}`,
      ]);
    }
    await page.getByTestId('add-tangent').click();
    const grown = (await page.getByTestId('face-selection').textContent())!
      .replace(/^Selected faces? /, '')
      .split(', ')
      .map(Number);
    // The fillet and the two faces it blends into, whose normals are at right angles; nothing else.
    const others = grown.filter((t) => t !== small.tag).map((t) => faces.find((f) => f.tag === t)!.normal!);
    expect(grown.length).toBe(3);
    expect(
      Math.abs(others[0][0] * others[1][0] + others[0][1] * others[1][1] + others[0][2] * others[1][2]),
    ).toBeLessThan(1e-6);
    await shot('09-small-face');
    await page.getByTestId('clear-selection').click();
  });

  it('Inflation… on picked faces: count, first height and growth with the total thickness shown; the run grows the prisms', async () => {
    await page.getByTestId('open-parts').selectOption({ label: longName });
    await waitShown(page, 'preview');
    await page.getByTestId('view-iso').click();
    await settle();
    const p4 = await facePoint(page, 4);
    await page.mouse.click(p4!.x, p4!.y);
    expect(await page.getByTestId('face-selection').textContent()).toBe('Selected face 4');
    await page.getByTestId('inflation').click();
    await page.getByTestId('inflation-dialog').waitFor();
    await page.getByTestId('inflation-count').fill('3');
    await page.getByTestId('inflation-first').fill('0.2');
    await page.getByTestId('inflation-growth').fill('1.5');
    // 0.2 + 0.3 + 0.45
    expect(await page.getByTestId('inflation-total').textContent()).toBe('Total thickness 0.95\u00a0mm');
    expect(await onScreen(page, 'inflation-apply')).toBe(true);
    await shot('11-inflation');
    await page.getByTestId('inflation-apply').click();
    expect(await page.getByTestId('layer-row').textContent()).toMatch(/^layers face:4=3,0\.2,1\.5 \(0\.95\s?mm\)/);
    const before = await page
      .locator('[data-testid="job-row"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job-id')));
    await page.getByTestId('strategy').selectOption('default');
    await page.getByTestId('run-mesh').click();
    await page.waitForFunction((ids) => {
      const id = document.querySelector('[data-testid="job-row"].active')?.getAttribute('data-job-id');
      return !!id && !ids.includes(id);
    }, before);
    await waitStatus(page, 'completed');
    const id = await selectedJobId();
    const row = page.locator(`[data-job-id="${id}"]`);
    expect(await row.getByTestId('job-settings').textContent()).toContain('layers face:4=3,0.2,1.5');
    expect(await row.getByTestId('job-outcome').textContent()).toMatch(/[\d,]+ tets · [1-9][\d,]* prisms/);
    // The job's own record: 3 layers measured on face 4, the first 0.2 thick.
    const job = (await cli(['show', id, '--json'], session.web.home)).json<{
      layers: { target: string; measured: { count: number; first: { mean: number } } }[];
    }>();
    expect(job.layers.map((l) => [l.target, l.measured.count])).toEqual([['face:4', 3]]);
    expect(Math.abs(job.layers[0].measured.first.mean / 0.2 - 1)).toBeLessThan(0.2);
    await page.getByTestId('inflation').click();
    await page.getByTestId('inflation-remove').click();
    expect(await page.getByTestId('layer-row').count()).toBe(0);
    await page.getByTestId('clear-selection').click();
  });

  it('dialogs fit the window: Settings keeps Save and Test on screen', async () => {
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-dialog').waitFor();
    expect(await onScreen(page, 'settings-dialog')).toBe(true);
    expect(await onScreen(page, 'save-settings')).toBe(true);
    expect(await onScreen(page, 'test-connection')).toBe(true);
    await shot('10-settings');
    await page.keyboard.press('Escape');
    expect(await sidewaysScrollers(page)).toEqual([]);
    expect(session.chrome.errors).toEqual([]);
  });
});
