// The renderer builds the tests need, made when missing or stale: the production bundles (what ships: checked for
// their CSP and for the absence of test hooks) and the e2e build the browser tests drive (`--mode e2e`, out/e2e).
// Vitest's global setup makes them once, before any suite starts: a suite rebuilding them while another served them
// emptied out/e2e/renderer under a page being loaded.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

const newest = (dir: string): number => {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};

/** The e2e build (`electron-vite build --mode e2e`): the renderer with its test-only DOM state, served to Chromium. */
export const e2eRenderer = join(repoRoot, 'out', 'e2e', 'renderer');

/** Runs `electron-vite build` (out/) and `electron-vite build --mode e2e` (out/e2e) where stale; the harness bundle when missing. */
export default function ensureBuilt() {
  const srcTime = Math.max(
    newest(join(repoRoot, 'renderer')),
    newest(join(repoRoot, 'src', 'contract')),
    statSync(join(repoRoot, 'src', 'web', 'codec.ts')).mtimeMs,
    statSync(join(repoRoot, 'electron.vite.config.ts')).mtimeMs,
  );
  for (const [html, args] of [
    [join(repoRoot, 'out', 'renderer', 'index.html'), ['build']],
    [join(e2eRenderer, 'index.html'), ['build', '--mode', 'e2e']],
  ] as const) {
    if (!existsSync(html) || statSync(html).mtimeMs < srcTime) {
      execFileSync(join(repoRoot, 'node_modules', '.bin', 'electron-vite'), args, {
        cwd: repoRoot,
        stdio: 'pipe',
        env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
      });
    }
  }
  // The engine bundles are rebuilt by `npm test` itself (build:engine); a bare `vitest run` gets the harness bundle.
  const server = join(repoRoot, 'out', 'engine', 'web-server.cjs');
  if (!existsSync(server)) {
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build-engine.mjs')], {
      cwd: repoRoot,
      stdio: 'pipe',
    });
  }
}
