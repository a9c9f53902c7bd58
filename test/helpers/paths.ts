import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
/** The shared sample parts live beside the checkout, never inside it. */
export const samplesDir = resolve(repoRoot, '..', 'shared', 'samples');
export const sample = (name: string) => join(samplesDir, name);
export const cliPath = join(repoRoot, 'bin', 'meshbench');

/** A fresh MESHBENCH_HOME for one test file. */
export function tmpHome(prefix = 'meshbench-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
