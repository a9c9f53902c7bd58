// Locates the bundled engine files (out/engine/<name>) from wherever the calling code runs:
// the bundled CLI (out/engine/cli.cjs), the Electron main process (out/main/), or sources under vitest/tsx.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function here(): string {
  return typeof __dirname === 'string' ? __dirname : process.cwd();
}

function isMeshbenchRoot(dir: string): boolean {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === 'meshbench';
  } catch {
    return false;
  }
}

function findRoot(start: string): string | null {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (isMeshbenchRoot(dir)) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** Absolute path of out/engine/<name>; throws with the command that builds it when it is missing. */
export function engineFile(name: string): string {
  const dir = here();
  const candidates = [join(dir, name), join(dir, '..', 'engine', name)];
  for (const start of [dir, process.cwd()]) {
    const root = findRoot(start);
    if (root) candidates.push(join(root, 'out', 'engine', name));
  }
  for (const c of candidates) if (existsSync(c)) return resolve(c);
  throw new Error(
    `engine file ${name} not found (looked in ${[...new Set(candidates)].join(', ')}): run npm run build:engine, ` +
      'and ship it beside the bundle that uses it',
  );
}
