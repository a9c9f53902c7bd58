// The attempt runner as the Modal image ships it: the one bundle alone in a folder, driven by a spec file,
// reporting JSON lines. Same Gmsh argv and quality kernel as a local job.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AttemptRunnerMessage } from '../../src/contract/attempt';
import { runAttempt } from '../../src/attempt/run-attempt';
import { inspectInput } from '../../src/input/inspect';
import { jobGroups } from '../../src/model/job-groups';
import { readCadModel } from '../../src/model/read-model';
import { cli } from '../helpers/cli';
import { repoRoot, tmpHome } from '../helpers/paths';
import { attemptSpec } from '../helpers/attempt-spec';

describe('attempt-runner.cjs on its own', () => {
  it('meshes and judges an attempt with nothing beside it, like the local job does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-runner-'));
    copyFileSync(join(repoRoot, 'out/engine/attempt-runner.cjs'), join(dir, 'attempt-runner.cjs'));
    const part = join(repoRoot, 'resources/demo/bracket.step');
    // the groups a local job writes (named body, every face), as the desktop sends them with the spec
    const groups = jobGroups(await readCadModel('gmsh', inspectInput(part)));
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(attemptSpec({ groups })));
    const out = execFileSync(
      process.execPath,
      [
        join(dir, 'attempt-runner.cjs'),
        '--spec',
        join(dir, 'spec.json'),
        '--input',
        part,
        '--workdir',
        join(dir, 'work'),
      ],
      { encoding: 'utf8', cwd: dir },
    );
    const msgs = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AttemptRunnerMessage);
    expect(msgs.some((m) => m.type === 'log')).toBe(true);
    expect(msgs.some((m) => m.type === 'progress')).toBe(true);
    const last = msgs.at(-1)!;
    if (last.type !== 'result') throw new Error('no result line');
    expect(last.outcome.status).toBe('completed');

    const local = (await cli(['mesh', part, '--strategy', 'default', '--json'], tmpHome())).json();
    expect(last.outcome.mesh!.sha256).toBe(local.mesh.sha256);
    expect(last.outcome.quality).toEqual(local.quality);
    expect(last.outcome.argv.slice(2, -1)).toEqual(local.attempts[0].argv.slice(2, -1));
  });

  it("names the attempt's files bare in its error, never the work folder or the worker's temp folder", async () => {
    // A STEP file cut in half reaches an attempt only when the model read is skipped (as on the worker): Gmsh writes
    // a mesh with nothing in it, and the reader's complaint names that file.
    const dir = mkdtempSync(join(tmpdir(), 'mb-runner-'));
    copyFileSync(join(repoRoot, 'out/engine/attempt-runner.cjs'), join(dir, 'attempt-runner.cjs'));
    const full = readFileSync(join(repoRoot, 'resources/demo/bracket.step'));
    const inputDir = mkdtempSync(join(tmpdir(), 'mb-worker-input-'));
    const part = join(inputDir, 'input.step');
    writeFileSync(part, full.subarray(0, full.length >> 1));
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(attemptSpec()));
    const work = join(dir, 'work');
    const out = execFileSync(
      process.execPath,
      [join(dir, 'attempt-runner.cjs'), '--spec', join(dir, 'spec.json'), '--input', part, '--workdir', work],
      { encoding: 'utf8', cwd: dir },
    );
    const last = JSON.parse(out.trim().split('\n').at(-1)!) as AttemptRunnerMessage;
    if (last.type !== 'result') throw new Error('no result line');
    const remote = last.outcome;
    expect(remote.status).toBe('failed');
    expect(remote.error).toMatch(/attempt-0-default\.msh/);
    expect(remote.error).not.toContain(dir);
    expect(remote.error).not.toContain(inputDir);

    const localWork = mkdtempSync(join(tmpdir(), 'mb-local-work-'));
    const local = await runAttempt(attemptSpec(), part, localWork, { gmshPath: 'gmsh' });
    expect(local.status).toBe('failed');
    expect(local.error).toBe(remote.error);
    expect(local.error).not.toContain(localWork);
  });
});
