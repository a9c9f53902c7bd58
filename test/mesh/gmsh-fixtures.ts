// Real meshes for the reader/kernel tests, made by the real Gmsh CLI from the project's own parts (resources/demo,
// resources/hard-parts, test/parts: each written by a .geo script beside it) or, as extra coverage, the sample parts.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { findGmsh } from '../../src/gmsh/locate';
import { repoRoot, sample, tmpHome } from '../helpers/paths';

export const PYTHON = '/usr/bin/python3';
export const fixturesPy = (name: string) => join(repoRoot, 'test', 'fixtures-py', name);

let dir: string | null = null;
/** One temp folder per test file (vitest runs each file in its own process). */
export function meshDir(): string {
  dir ??= tmpHome('meshbench-msh-');
  return dir;
}
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ownPartDirs = ['resources/demo', 'resources/hard-parts', 'test/parts'].map((d) => join(repoRoot, d));
/** A part by file name: one of the project's own parts when it is one, else a sample part. */
function partPath(name: string): string {
  for (const d of ownPartDirs) if (existsSync(join(d, name))) return join(d, name);
  return sample(name);
}

/** gmsh PART -3 [extra...] -o <dir>/<name>; cached within the test file. */
export function gmshMesh(part: string, name: string, extra: string[]): string {
  const out = join(meshDir(), name);
  if (!existsSync(out)) {
    execFileSync(findGmsh().path, [partPath(part), '-3', '-nt', '1', ...extra, '-o', out], {
      stdio: 'pipe',
      timeout: 120_000,
    });
  }
  return out;
}

export const binary41 = (s: string, name = `${s}.bin.msh`) => gmshMesh(s, name, ['-format', 'msh41', '-bin']);
export const ascii41 = (s: string, name = `${s}.ascii.msh`) => gmshMesh(s, name, ['-format', 'msh41']);

/** Gmsh's own Plugin(AnalyseMeshQuality) ICN values per element tag (and the plugin's run times). */
export function gmshIcn(mesh: string, repeats = 1): { tags: number[]; icn: number[]; runSeconds: number[] } {
  const out = execFileSync(PYTHON, [fixturesPy('gmsh_icn.py'), mesh, String(repeats)], {
    maxBuffer: 1 << 30,
    timeout: 300_000,
  });
  return JSON.parse(out.toString());
}
