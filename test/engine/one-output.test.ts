// One job, one output (issue 21 item 2): a job aimed at a folder another live job is writing the same files in is
// refused, in words; a finished job's files are moved to its own folder and its record follows them, so no record
// ever points at another job's file.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobManager } from '../../src/jobs/manager';
import { settingsWith } from '../../src/jobs/spec/settings';
import { sha256File } from '../../src/util/hash';
import { cli } from '../helpers/cli';
import { demoPart, tmpHome } from '../helpers/paths';

const home = tmpHome('mb-one-out-');
const m = new JobManager({ home, remote: null });
afterAll(() => m.close());
const part = demoPart('bracket.step');
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('one job, one output', () => {
  it('a second job aimed at the folder a live job is writing is refused, from this process or another', async () => {
    const out = tmpHome('mb-one-out-dir-');
    // Fine enough to still be running while the others are turned away.
    const a = m.submit({
      inputPath: part,
      settings: settingsWith({ sizeFactor: 0.1, strategy: 'default' }),
      backend: 'local',
      outDir: out,
    });
    try {
      const before = m.store.listJobs(100).length;
      expect(() => m.submit({ inputPath: part, settings: settingsWith({}), backend: 'local', outDir: out })).toThrow(
        new RegExp(`is being written by job ${a} \\((queued|running)\\).*two jobs never share an output`),
      );
      expect(m.store.listJobs(100).length).toBe(before); // the refused job left no record
      // Another process on the same data folder: the CLI, exit 4, one line and a hint, no stack.
      const same = await cli(['mesh', part, '--out', out], home);
      expect(same.code).toBe(4);
      expect(same.stderr).toMatch(new RegExp(`being written by job ${a} \\(running\\)`));
      expect(same.stderr).toMatch(/hint: Choose another --out, or wait for job/);
      noStack(same.stderr);
      // A process with another data folder learns it from the job's result file, written when the job was claimed.
      const other = await cli(['mesh', part, '--out', out], tmpHome('mb-one-out-other-'));
      expect(other.code).toBe(4);
      expect(other.stderr).toMatch(new RegExp(`being written by job ${a} \\((queued|running)\\)`));
      noStack(other.stderr);
      expect(m.get(a)?.status).toMatch(/queued|running/); // the check ran while it was live
    } finally {
      m.cancel(a);
      await m.wait(a);
    }
  });

  it("a finished job's files move to its own folder with its record; each record's mesh is its own", async () => {
    const out = tmpHome('mb-one-out-dir-');
    const first = await m.wait(
      m.submit({ inputPath: part, settings: settingsWith({}), backend: 'local', outDir: out }),
    );
    expect(first.status).toBe('completed');
    expect(first.mesh!.path).toBe(join(out, 'bracket.msh'));
    const second = await m.wait(
      m.submit({ inputPath: part, settings: settingsWith({ sizeFactor: 0.7 }), backend: 'local', outDir: out }),
    );
    expect(second.status).toBe('completed');
    const moved = m.get(first.id)!;
    expect(moved.outDir).toBe(join(home, 'jobs', first.id));
    expect(moved.mesh!.path).toBe(join(home, 'jobs', first.id, 'bracket.msh'));
    expect(existsSync(join(home, 'jobs', first.id, 'bracket_result.json'))).toBe(true);
    expect(second.mesh!.path).toBe(join(out, 'bracket.msh'));
    // Every record's sha256 is the hash of the file it names: nothing overwritten, nothing pointing elsewhere.
    for (const j of [moved, second]) expect(await sha256File(j.mesh!.path)).toBe(j.mesh!.sha256);
    expect(moved.mesh!.sha256).not.toBe(second.mesh!.sha256);
    expect(m.log(second.id).some((l) => l.text.includes(`held job ${first.id}'s files of bracket; moved them`))).toBe(
      true,
    );
  });
});
