// Helpers for browser end-to-end tests: build the renderer when stale (../helpers/builds.ts), start `npm run web` on a fresh data folder
// serving the e2e build, launch Debian's Chromium headless (software GL), read pixels off a WebGL canvas.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { repoRoot } from '../helpers/paths';
import { CHROME_ARGS } from '../../src/bench/viewer-bench';
import { e2eRenderer } from '../helpers/builds';

const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const artifacts = join(repoRoot, 'test-artifacts');

export interface Web {
  url: string;
  home: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the real harness (`node out/engine/web-server.cjs`) on a fresh MESHBENCH_HOME; `args` go to its command line. */
export async function startWeb(env: NodeJS.ProcessEnv = {}, args: string[] = []): Promise<Web> {
  const home = mkdtempSync(join(tmpdir(), 'meshbench-e2e-home-'));
  const server = [join(repoRoot, 'out', 'engine', 'web-server.cjs'), '--renderer', e2eRenderer, ...args];
  const proc = spawn(process.execPath, server, {
    cwd: repoRoot,
    env: { ...process.env, MESHBENCH_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const first = await new Promise<string>((ok, fail) => {
    const rl = createInterface({ input: proc.stdout! });
    rl.once('line', ok);
    proc.once('exit', (code) => fail(new Error(`harness exited (${code}): ${err}`)));
  });
  const { url } = JSON.parse(first) as { url: string };
  return {
    url,
    home,
    proc,
    stop: async () => {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface Chrome {
  browser: Browser | null;
  context: BrowserContext;
  page: Page;
  errors: string[];
  close(): Promise<void>;
}

export async function launchChromium(viewport = { width: 1440, height: 900 }): Promise<Chrome> {
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'meshbench-e2e-chrome-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: CHROME_ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // The first load compiles the renderer's bundle and SwiftShader's shaders: on two loaded cores it can take longer
  // than Playwright's 30 s default (two suites failed so in beforeAll).
  page.setDefaultNavigationTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  mkdirSync(artifacts, { recursive: true });
  return {
    browser: null,
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface CanvasStats {
  width: number;
  height: number;
  /** Pixels that differ from the background (corner) colour. */
  foreground: number;
  /** Pixels in warm hues (quality colouring), which the grey-blue skin never shows. */
  colourful: number;
  /** Pixels in the viewer's strong red (surfaces that failed to mesh). */
  red: number;
  /** A cheap fingerprint of the image, to tell two renders apart. */
  hash: number;
  /** Background (top-left pixel) colour. */
  bg: [number, number, number];
  /** The box the part covers (pixels unlike the top-right background; the triad's lower-left corner left out), and
   *  how many pixels that is, in CSS pixels of a w × h canvas. */
  extent: { x0: number; x1: number; y0: number; y1: number; n: number; w: number; h: number };
}

/** Reads the WebGL canvas back through a 2D canvas (the viewer keeps its drawing buffer). */
export function canvasStats(page: Page, testId = 'viewer-canvas'): Promise<CanvasStats> {
  return page.evaluate((id) => {
    const src = document.querySelector(`[data-testid="${id}"]`) as HTMLCanvasElement;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const g = c.getContext('2d')!;
    g.drawImage(src, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const bg = [d[0], d[1], d[2]];
    let foreground = 0;
    let colourful = 0;
    let red = 0;
    let hash = 0;
    for (let i = 0; i < d.length; i += 4) {
      const r = d[i],
        gg = d[i + 1],
        b = d[i + 2];
      if (Math.abs(r - bg[0]) + Math.abs(gg - bg[1]) + Math.abs(b - bg[2]) > 30) foreground++;
      // Warm hues (red..green): the quality colours below "good"; the grey-blue skin never has them.
      if (r - b > 40 || gg - b > 40) colourful++;
      if (r > 150 && gg < 90 && b < 90) red++;
      if ((i & 0x3ff) === 0) hash = (hash * 31 + r * 7 + gg * 3 + b) >>> 0;
    }
    const bgE = [d[(c.width - 1) * 4], d[(c.width - 1) * 4 + 1], d[(c.width - 1) * 4 + 2]];
    let x0 = Infinity,
      x1 = -1,
      y0 = Infinity,
      y1 = -1,
      n = 0;
    const corner = Math.min(110, c.width / 4, c.height / 3) * (c.width / src.clientWidth);
    for (let y = 0; y < c.height; y++)
      for (let x = 0; x < c.width; x++) {
        if (x < corner && y > c.height - corner) continue;
        const i = (y * c.width + x) * 4;
        if (Math.abs(d[i] - bgE[0]) + Math.abs(d[i + 1] - bgE[1]) + Math.abs(d[i + 2] - bgE[2]) <= 30) continue;
        n++;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    const k = src.clientWidth / c.width;
    const extent = { x0: x0 * k, x1: x1 * k, y0: y0 * k, y1: y1 * k, n, w: src.clientWidth, h: src.clientHeight };
    return {
      width: c.width,
      height: c.height,
      foreground,
      colourful,
      red,
      hash,
      bg: bg as [number, number, number],
      extent,
    };
  }, testId);
}

/** Starts `meshbench cloud-local` (S3-compatible store + Modal emulator) and returns the env it prints. */
export async function startLocalCloud(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const proc = spawn(process.execPath, [join(repoRoot, 'bin', 'meshbench'), 'cloud-local'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const first = await new Promise<string>((ok, fail) => {
    createInterface({ input: proc.stdout! }).once('line', ok);
    proc.once('exit', (code) => fail(new Error(`cloud-local exited (${code}): ${err}`)));
  });
  const { env } = JSON.parse(first) as { env: Record<string, string> };
  return {
    env,
    stop: async () => {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}

export interface Session {
  web: Web;
  chrome: Chrome;
  page: Page;
  close(): Promise<void>;
}

/** The built harness on a fresh data folder and Chromium on its page, ready once the (empty) job list shows. */
export async function openWorkbench(
  env: NodeJS.ProcessEnv = {},
  ready: string | null = 'No jobs yet',
  o: { args?: string[]; viewport?: { width: number; height: number } } = {},
): Promise<Session> {
  const web = await startWeb(env, o.args);
  const chrome = await launchChromium(o.viewport);
  await chrome.page.goto(web.url);
  if (ready) await chrome.page.getByText(ready).waitFor();
  return {
    web,
    chrome,
    page: chrome.page,
    close: async () => {
      await chrome.close();
      await web.stop();
    },
  };
}

/** Opens the workbench before the suite's tests (handing the session to `use`) and closes it after them. */
export function withWorkbench(use: (s: Session) => void, env: NodeJS.ProcessEnv = {}) {
  let session: Session | undefined;
  beforeAll(async () => {
    session = await openWorkbench(env);
    use(session);
  }, 240_000);
  afterAll(() => session?.close());
}

/** Waits until the selected job's status badge reads `status` (a job meshes in up to three minutes here). */
export function waitStatus(page: Page, status: string, timeout = 180_000) {
  return page.waitForFunction(
    (want) => document.querySelector('[data-testid="job-status"]')?.textContent === want,
    status,
    { timeout },
  );
}

/**
 * Waits until a viewer (its test id) shows `what`: 'preview' (the part), a job id, or 'mesh' (any job's mesh). A mesh
 * counts once its full payload (tets, metrics: what colouring and cuts need) has followed the skin.
 * Reads the e2e build's `data-shown` (renderer/src/e2e-flag.d.ts).
 */
export function waitShown(page: Page, what: string, canvas = 'viewer-canvas') {
  return page.waitForFunction(
    ([w, c]) => {
      const v = document.querySelector(`[data-testid="${c}"]`)?.getAttribute('data-shown');
      if (!v || (w === 'preview') !== (v === 'preview')) return false;
      if (w !== 'preview' && w !== 'mesh' && v !== w) return false;
      return w === 'preview' || !document.querySelector('[data-testid="mesh-details-loading"]');
    },
    [what, canvas] as const,
    { timeout: 60_000 },
  );
}
