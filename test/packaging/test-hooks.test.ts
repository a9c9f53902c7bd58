// Test-only DOM state and the viewers' probe (renderer/src/e2e-flag.d.ts) ship only in the e2e build: the production renderer bundle, the
// one electron-builder packs, has none of it, while the build the browser tests drive has all of it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2eRenderer } from '../helpers/builds';
import { repoRoot } from '../helpers/paths';

const HOOKS = ['data-shown', 'data-job-id', 'data-status', 'data-lines', '__meshbenchViewers'];

const bundle = (rendererDir: string) =>
  readdirSync(join(rendererDir, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(rendererDir, 'assets', f), 'utf8'))
    .join('\n');

describe('test-only DOM state behind a build-time flag', () => {
  it('the production renderer carries none of it, and no trace of the flag', () => {
    const js = bundle(join(repoRoot, 'out', 'renderer'));
    expect(js.length).toBeGreaterThan(100_000);
    // Booleans, not toContain: a failure names the attribute instead of printing a 900 kB bundle.
    expect(HOOKS.filter((h) => js.includes(h))).toEqual([]);
    expect(js.includes('__MESHBENCH_E2E__')).toBe(false);
  });

  it('the e2e build the browser tests drive carries all of it', () => {
    const js = bundle(e2eRenderer);
    expect(HOOKS.filter((h) => !js.includes(h))).toEqual([]);
    expect(js.includes('__MESHBENCH_E2E__')).toBe(false);
  });
});
