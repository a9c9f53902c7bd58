// Under umask 022 (files 0644, folders 0755 by default) MeshBench's data stays this user's: the data folder 0700, the
// job store and its -wal/-shm 0600, dropped parts 0600 in 0700 inbox folders, staged copies 0600, work folders 0700.
// A work folder others can write to, where a planted `<script>.opt` would be read by Gmsh, is refused before Gmsh
// runs; as root, a process of another user is shown unable to plant one at all.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAttempt } from '../../src/attempt/run-attempt';
import { findGmsh } from '../../src/gmsh/locate';
import { inspectInput } from '../../src/input/inspect';
import { stageInput } from '../../src/input/stage';
import { JobStore } from '../../src/jobs/store/store';
import { dataHome } from '../../src/util/home';
import { createWorkbenchService } from '../../src/workbench/service';
import { MemorySecretStore } from '../../src/workbench/secrets';
import { attemptSpec } from '../helpers/attempt-spec';
import { cli, gmshAvailable } from '../helpers/cli';
import { demoPart, tmpHome } from '../helpers/paths';

const posix = process.platform !== 'win32';
const modeOf = (p: string) => (statSync(p).mode & 0o777).toString(8);
let umask: number;
beforeAll(() => {
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
});

describe.skipIf(!posix)('the data folder and what MeshBench writes in it are private, whatever the umask', () => {
  it('a new data folder is 0700; the store and its -wal/-shm 0600', () => {
    const home = join(tmpHome('meshbench-private-'), 'MeshBench');
    expect(dataHome({ MESHBENCH_HOME: home })).toBe(home);
    expect(modeOf(home)).toBe('700');
    const store = new JobStore(home);
    store.setSetting('compute', 'local'); // a write: the WAL and its index exist now
    for (const f of ['meshbench.sqlite', 'meshbench.sqlite-wal', 'meshbench.sqlite-shm'])
      expect([f, modeOf(join(home, f))]).toEqual([f, '600']);
    store.db.close();
  });

  it('a data folder and store left open by an older version are tightened when opened', () => {
    const home = tmpHome('meshbench-private-old-');
    chmodSync(home, 0o755);
    writeFileSync(join(home, 'meshbench.sqlite'), '');
    chmodSync(join(home, 'meshbench.sqlite'), 0o644);
    const store = new JobStore(home);
    store.setSetting('compute', 'local');
    expect(modeOf(home)).toBe('700');
    expect(modeOf(join(home, 'meshbench.sqlite'))).toBe('600');
    expect(modeOf(join(home, 'meshbench.sqlite-wal'))).toBe('600');
    store.db.close();
  });

  it('a dropped part lands 0600 in 0700 inbox folders', async () => {
    const home = tmpHome('meshbench-private-inbox-');
    const s = createWorkbenchService({ home, secrets: new MemorySecretStore(), remote: null });
    try {
      const path = await s.importFile('bracket.step', new Uint8Array(Buffer.from('ISO-10303-21;\nHEADER;\n')));
      expect(modeOf(path)).toBe('600');
      expect(modeOf(join(path, '..'))).toBe('700');
      expect(modeOf(join(home, 'inbox'))).toBe('700');
    } finally {
      await s.close();
    }
  });

  it.skipIf(!existsSync('/dev/shm'))('a staged copy (the part on another filesystem) is 0600', () => {
    const src = join('/dev/shm', `meshbench-stage-${process.pid}.step`);
    copyFileSync(demoPart('bracket.step'), src);
    chmodSync(src, 0o644);
    try {
      const staged = stageInput(inspectInput(src), join(tmpHome('meshbench-private-stage-'), 'work'));
      expect(statSync(staged).ino).not.toBe(statSync(src).ino); // copied, not linked
      expect(modeOf(staged)).toBe('600');
      expect(modeOf(join(staged, '..'))).toBe('700');
    } finally {
      rmSync(src, { force: true });
    }
  });

  it.skipIf(!gmshAvailable())('a job run from the CLI leaves its work folder 0700 and the store 0600', async () => {
    const home = join(tmpHome('meshbench-private-cli-'), 'data');
    const r = await cli(['mesh', demoPart('bracket.step'), '--strategy', 'default', '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    expect(modeOf(home)).toBe('700');
    expect(modeOf(join(home, 'meshbench.sqlite'))).toBe('600');
    const work = readdirSync(join(home, 'work'));
    expect(work.length).toBe(1);
    expect(modeOf(join(home, 'work', work[0]))).toBe('700');
  });
});

describe.skipIf(!posix || !gmshAvailable())('no one else can plant a .opt beside the script Gmsh runs', () => {
  const plant = (dir: string) => {
    const marker = join(tmpHome('meshbench-opt-marker-'), 'ran');
    // Gmsh reads `<file>.opt` beside the script it is given: attempt 0 of `default` is attempt-0-default.geo.
    writeFileSync(join(dir, 'attempt-0-default.geo.opt'), `SystemCall "touch ${marker}";\n`);
    return marker;
  };
  const attempt = (dir: string) =>
    runAttempt(attemptSpec({ sizeFactor: 4 }), demoPart('bracket.step'), dir, { gmshPath: findGmsh().path });

  it('a work folder others can write to, holding a planted .opt, is refused before Gmsh runs', async () => {
    const dir = join(tmpHome('meshbench-opt-'), 'work');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const marker = plant(dir);
    const o = await attempt(dir);
    expect(existsSync(marker)).toBe(false); // with the check removed, Gmsh reads the .opt and this appears
    expect(o.status).toBe('failed');
    expect(o.error).toMatch(/can be written by other users \(mode 0777\).*Gmsh is not run in it/);
  });

  it('a work folder only readable by others is tightened to 0700 and meshes', async () => {
    const dir = join(tmpHome('meshbench-opt-'), 'work');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const o = await attempt(dir);
    expect(o.status, o.error ?? undefined).toBe('completed');
    expect(modeOf(dir)).toBe('700');
  });

  it.skipIf(process.getuid?.() !== 0)(
    'as root: another user cannot create a file in a work folder or the data folder',
    () => {
      const home = join(tmpHome('meshbench-opt-other-'), 'data');
      const store = new JobStore(home);
      store.db.close();
      const work = join(home, 'work', 'job');
      stageInput(inspectInput(demoPart('bracket.step')), work);
      chmodSync(join(home, '..'), 0o755); // the tmp folder above: reachable by anyone
      for (const dir of [work, home]) {
        const r = spawnSync(
          process.execPath,
          ['-e', `require('fs').writeFileSync(${JSON.stringify(join(dir, 'attempt-0-default.geo.opt'))}, 'x')`],
          { uid: 65534, gid: 65534, encoding: 'utf8' },
        );
        expect(r.status, dir).not.toBe(0);
        expect(r.stderr).toMatch(/EACCES/);
        expect(existsSync(join(dir, 'attempt-0-default.geo.opt'))).toBe(false);
      }
    },
  );
});
