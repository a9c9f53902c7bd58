// The builds the tests need, made when missing or stale: the renderer's production bundles (what ships: checked for
// their CSP and for the absence of test hooks), the e2e build the browser tests drive (`--mode e2e`, out/e2e), and
// the engine bundles (out/engine) the CLI tests spawn.
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

/** Runs `electron-vite build` (out/), `electron-vite build --mode e2e` (out/e2e) and build:engine where stale. */
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
  // The engine bundles (the CLI, workers and harness the tests spawn) are rebuilt when anything under src/ is newer
  // than the oldest of them, so a changed engine is never tested through an old bundle.
  const engine = ['cli', 'attempt-runner', 'mesh-worker', 'web-server'].map((n) =>
    join(repoRoot, 'out', 'engine', `${n}.cjs`),
  );
  const built = Math.min(...engine.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  if (
    built < Math.max(newest(join(repoRoot, 'src')), statSync(join(repoRoot, 'scripts', 'build-engine.mjs')).mtimeMs)
  ) {
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build-engine.mjs')], {
      cwd: repoRoot,
      stdio: 'pipe',
    });
  }
}
