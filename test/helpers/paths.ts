import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
/**
 * Third-party sample parts are not part of the repository: MESHBENCH_SAMPLES names their folder (default: `samples`
 * in a `shared` folder beside the checkout). Tests that need them skip, saying so, when it is absent; the project's
 * own parts (resources/demo, written by the .geo scripts there) cover every engine path without them.
 */
export const samplesDir = resolve(process.env.MESHBENCH_SAMPLES ?? join(repoRoot, '..', 'shared', 'samples'));
export const hasSamples = existsSync(samplesDir);
export const sample = (name: string) => join(samplesDir, name);
/** Appended to the title of a test or suite that needs the sample parts, so a skip says why. */
export const needsSamples = hasSamples ? '' : ` [skipped: no sample parts at ${samplesDir}; set MESHBENCH_SAMPLES]`;
/** A project-owned part (resources/demo). */
export const demoPart = (name: string) => join(repoRoot, 'resources', 'demo', name);
/** A project-owned hard part (resources/hard-parts). */
export const hardPart = (name: string) => join(repoRoot, 'resources', 'hard-parts', name);
/** A part made for the tests only (test/parts). */
export const testPart = (name: string) => join(repoRoot, 'test', 'parts', name);
export const cliPath = join(repoRoot, 'bin', 'meshbench');

/** A fresh MESHBENCH_HOME for one test file. */
export function tmpHome(prefix = 'meshbench-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
