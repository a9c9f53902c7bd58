// The job store under faults (issue 21 item 3), through the built CLI: a store SQLite cannot read is said in one
// line, moved aside and rebuilt from the job folders' result files, and meshing carries on; a full disk (a small
// tmpfs) is named as such, the job that hit it says so, and nothing already stored is lost. Never a stack trace.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type JobResult } from '../../src/contract/job';
import { openRun } from '../../src/jobs/pipeline/context';
import { endJob } from '../../src/jobs/pipeline/finish';
import { JobStore, newJobId } from '../../src/jobs/store/store';
import { isDiskFull } from '../../src/util/faults';
import { sha256File } from '../../src/util/hash';
import { cli } from '../helpers/cli';
import { demoPart, tmpHome } from '../helpers/paths';

const part = demoPart('bracket.step');
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+|SqliteError|internal error/);
const listJobs = async (home: string) => {
  const r = await cli(['jobs', '--json'], home);
  noStack(r.stderr);
  expect(r.code).toBe(0);
  return { run: r, jobs: r.json<JobResult[]>() };
};

describe('a damaged job store heals', () => {
  const home = tmpHome('mb-heal-');
  const out = tmpHome('mb-heal-out-');
  const store = join(home, 'meshbench.sqlite');
  const known = new Map<string, JobResult>();

  beforeAll(async () => {
    // One job in the data folder's own jobs/<id>/, one in an --out folder: both are found again.
    for (const args of [
      ['mesh', part, '--json'],
      ['mesh', part, '--out', out, '--json'],
    ]) {
      const r = await cli(args, home);
      expect(r.code, r.stderr).toBe(0);
      known.set(r.json<JobResult>().id, r.json<JobResult>());
    }
  }, 300_000);

  const damages: [string, () => void, RegExp][] = [
    [
      'a damaged header',
      () => {
        const fd = openSync(store, 'r+');
        writeSync(fd, Buffer.from('this is no SQLite header!'), 0, 25, 0);
        closeSync(fd);
      },
      /file is not a database/,
    ],
    [
      'random pages',
      () => {
        const fd = openSync(store, 'r+');
        for (const page of [1, 2, 3, 4, 5, 6, 7, 8]) writeSync(fd, randomBytes(4096), 0, 4096, page * 4096);
        closeSync(fd);
      },
      /./,
    ],
    ['a truncated file', () => truncateSync(store, 5000), /malformed|not a database/],
    [
      'a folder where the store should be',
      () => {
        for (const side of ['', '-wal', '-shm']) rmSync(store + side, { force: true });
        mkdirSync(store);
      },
      /is a folder/,
    ],
  ];

  for (const [what, damage, reason] of damages)
    it(`${what}: one line, moved aside, every job listed again, and mesh works`, async () => {
      expect(statSync(store).isFile()).toBe(true);
      damage();
      const { run, jobs } = await listJobs(home);
      const said = run.stderr.split('\n').filter((l) => /job store was damaged/.test(l));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(
        /^meshbench: The job store was damaged \(.+\); moved it to .*meshbench\.sqlite\.corrupt-\d{8}-\d{6}/,
      );
      expect(said[0]).toMatch(reason);
      expect(run.stderr.trim().split('\n')).toHaveLength(1); // nothing else
      for (const [id, before] of known) {
        const now = jobs.find((j) => j.id === id);
        expect(now, `job ${id} listed again`).toBeDefined();
        expect(now).toMatchObject({
          status: before.status,
          strategy: before.strategy,
          mesh: before.mesh,
          score: before.score,
        });
      }
      expect(readdirSync(home).filter((f) => /^meshbench\.sqlite\.corrupt-[\d-]+$/.test(f)).length).toBeGreaterThan(0);
      const again = await cli(['mesh', part, '--json'], home);
      noStack(again.stderr);
      expect(again.code, again.stderr).toBe(0);
      known.set(again.json<JobResult>().id, again.json<JobResult>());
      expect((await listJobs(home)).run.stderr).toBe(''); // healed once, not at every command
    }, 300_000);

  it('doctor reports what the last heal did', async () => {
    const r = await cli(['doctor'], home);
    noStack(r.stderr);
    expect(r.stderr).toMatch(/ok\s+store\s+.*integrity ok/);
    // The heal that made this store (the folder one): what was wrong, where it went, how many jobs came back.
    expect(r.stderr).toMatch(
      /store-heal\s+.*The job store was damaged \(.*meshbench\.sqlite is a folder\); moved it to .*corrupt-.* and rebuilt \d+ jobs from the result files/,
    );
  }, 120_000);
});

// A small tmpfs needs root (or a user namespace); without either the full-disk tests skip, saying so.
const mountable = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const d = mkdtempSync(join(tmpdir(), 'mb-mnt-probe-'));
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', d]).status === 0;
  if (ok) spawnSync('umount', [d]);
  rmSync(d, { recursive: true, force: true });
  return ok;
})();
const needsTmpfs = mountable ? '' : ' [skipped: mounting a tmpfs needs root here]';

describe.skipIf(!mountable)(`a full disk (an 8 MB tmpfs)${needsTmpfs}`, () => {
  const mnt = mkdtempSync(join(tmpdir(), 'mb-full-'));
  const home = join(mnt, 'home');
  const filler = join(mnt, 'filler');
  let first: JobResult;

  beforeAll(async () => {
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt]).status).toBe(0);
    const r = await cli(['mesh', part, '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    first = r.json<JobResult>();
  }, 300_000);
  afterAll(() => {
    spawnSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  });

  /** Fills the disk, then frees `leave` bytes. */
  const fill = (leave: number) => {
    rmSync(filler, { force: true });
    const fd = openSync(filler, 'w');
    const block = Buffer.alloc(64 * 1024);
    try {
      for (;;) writeSync(fd, block);
    } catch (e) {
      expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
    truncateSync(filler, Math.max(0, statSync(filler).size - leave));
  };

  // No room at all (the store's next page does not fit), and room for the store but not for Gmsh's meshes.
  for (const [what, leave] of [
    ['no room left', 0],
    ["room for the store, not for Gmsh's meshes", 300 * 1024],
  ] as const)
    it(`${what}: "disk full" in one line, the job says so, nothing stored is lost`, async () => {
      fill(leave);
      const r = await cli(['mesh', part], home);
      noStack(r.stderr);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/Disk full: the disk holding .* could not be written/);
      rmSync(filler, { force: true });
      const { jobs } = await listJobs(home);
      const before = jobs.find((j) => j.id === first.id)!;
      expect(before).toMatchObject({ status: 'completed', mesh: first.mesh, score: first.score });
      expect(await sha256File(before.mesh!.path)).toBe(first.mesh!.sha256);
      for (const j of jobs.filter((j) => j.id !== first.id)) {
        expect(j.status).toBe('failed');
        expect(j.error).toMatchObject({ code: 'disk-full', message: expect.stringMatching(/^Disk full/) });
        expect(j.attempts.filter((a) => a.status === 'queued' || a.status === 'running')).toEqual([]);
      }
      expect(existsSync(join(home, 'meshbench.sqlite'))).toBe(true);
    }, 300_000);

  // The race behind a job left `interrupted`: the store itself full (not only the disk), the job's last writes — its
  // timings and its end — must still land, on the reserve. Timings written on their own first failed there, and the
  // end was never tried.
  it("a store with no page left still records the job's end, timings included", () => {
    const own = join(mnt, 'home-end');
    const store = new JobStore(own);
    const id = newJobId();
    store.createJob(id, { inputPath: part, settings: DEFAULT_SETTINGS, backend: 'local', outDir: join(own, 'out') });
    store.markRunning(id);
    fill(0);
    let full = false; // the disk is full; the store's WAL may still have room: take it, until SQLite says full
    for (let i = 0; i < 10_000 && !full; i++)
      try {
        const error = randomBytes(32 * 1024).toString('hex');
        store.upsertAttempt(id, {
          index: i,
          strategy: 'default',
          status: 'failed',
          score: null,
          error,
          seconds: null,
          argv: [],
        });
      } catch (e) {
        full = isDiskFull(e);
        if (!full) throw e;
      }
    expect(full).toBe(true);
    const run = openRun(id, store, new AbortController().signal, () => undefined);
    const ended = endJob(run, 'failed', { code: 'disk-full', message: 'Disk full: the test filled it' });
    rmSync(filler, { force: true });
    expect(ended.status).toBe('failed');
    const stored = store.getJob(id)!;
    expect(stored).toMatchObject({ status: 'failed', error: { code: 'disk-full' } });
    expect(stored.timings.totalMs).toBeGreaterThan(0);
    store.close();
  });
});
