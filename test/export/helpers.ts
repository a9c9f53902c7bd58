// Meshes a part through the attempt's real .geo route (groups included) for the export suites.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttemptSpec } from '../../src/contract/attempt';
import { stageInput } from '../../src/input/stage';
import { inspectInput } from '../../src/input/inspect';
import { attemptCommand } from '../../src/geo/attempt-script';
import { repoRoot, sample } from '../helpers/paths';
import { attemptSpec } from '../helpers/attempt-spec';

export const bracket = join(repoRoot, 'resources/demo/bracket.step');

/** A sample part when the shared samples are there, else null (the caller skips visibly). */
export function samplePart(name: string): string | null {
  const p = sample(name);
  return existsSync(p) ? p : null;
}

export function meshPart(part: string, patch: Partial<AttemptSpec> = {}): { msh: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mb-export-'));
  const spec = attemptSpec({ timeoutSec: 300, ...patch });
  const cmd = attemptCommand('gmsh', spec, stageInput(inspectInput(part), dir), dir);
  for (const f of cmd.files) writeFileSync(f.path, f.content);
  execFileSync(cmd.argv[0], cmd.argv.slice(1), { cwd: dir, stdio: 'pipe' });
  return { msh: cmd.outFile, dir };
}

/** Whether CalculiX's `ccx` is on PATH (the deck tests skip visibly without it). */
export const haveCcx = spawnSync('ccx', ['-v']).status !== null;

/** Writes `deck` as static.inp in `dir` and solves it with ccx: its exit status and everything it printed. */
export function solveCcx(dir: string, deck: string): { status: number | null; log: string } {
  writeFileSync(join(dir, 'static.inp'), deck);
  const r = spawnSync('ccx', ['-i', 'static'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, log: `${r.stdout}\n${r.stderr}` };
}
