// The job store on a real SQLite file: migrations, ownership and recovery across processes.
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/contract/job';
import { MIGRATIONS } from '../../src/jobs/store/migrations';
import { JobStore, newJobId } from '../../src/jobs/store/store';
import { processStartTime } from '../../src/util/proc';
import { tmpHome } from '../helpers/paths';
import { cli } from '../helpers/cli';

const spec = { inputPath: '/parts/x.step', settings: DEFAULT_SETTINGS, backend: 'local' as const };

describe('job store', () => {
  it('migrates on user_version, in WAL mode, and reopens without re-running migrations', () => {
    const home = tmpHome();
    const s = new JobStore(home);
    expect(s.userVersion).toBe(MIGRATIONS.length);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const id = newJobId();
    s.createJob(id, spec);
    s.close();
    const again = new JobStore(home);
    expect(again.getJob(id)?.status).toBe('queued');
    again.close();
  });

  it('migration 3 gives inputs refused before Gmsh ran their own status, rejected', () => {
    const home = tmpHome();
    const db = new Database(join(home, 'meshbench.sqlite'));
    db.exec(MIGRATIONS[0]);
    db.exec(MIGRATIONS[1]);
    db.pragma('user_version = 2');
    const ins = db.prepare(
      `INSERT INTO jobs (id, created_at, status, requested_backend, input_path, settings_json, error_json) VALUES (?, '2026-01-01', ?, 'local', '/p.step', '{}', ?)`,
    );
    ins.run('refused', 'failed', JSON.stringify({ code: 'input-not-cad', message: 'not a model' }));
    ins.run('gmsh-failed', 'failed', JSON.stringify({ code: 'all-attempts-failed', message: 'every attempt failed' }));
    db.close();
    const s = new JobStore(home);
    expect(s.db.prepare(`SELECT status FROM jobs WHERE id='refused'`).pluck().get()).toBe('rejected');
    expect(s.db.prepare(`SELECT status FROM jobs WHERE id='gmsh-failed'`).pluck().get()).toBe('failed');
    s.close();
  });

  it('migrations 5 and 6: older jobs get their kept attempt by index and whether it met the targets', () => {
    const home = tmpHome();
    const db = new Database(join(home, 'meshbench.sqlite'));
    for (const m of MIGRATIONS.slice(0, 4)) db.exec(m); // as MeshBench left it before migration 5
    db.pragma('user_version = 4');
    db.prepare(
      `INSERT INTO jobs (id, created_at, finished_at, status, requested_backend, input_path, input_sha256, settings_json, strategy, score, quality_json)
       VALUES (?, '2026-01-01', '2026-01-01', 'completed', 'local', '/p.step', ?, '{"targets":{"minSicn":0.1}}', 'finest-size', 31.5, ?)`,
    ).run('j', 'met', JSON.stringify({ inverted: 0, sicn: { min: 0.2 } }));
    const att = db.prepare(`INSERT INTO attempts (job_id, idx, strategy, status, score) VALUES ('j', ?, ?, ?, ?)`);
    att.run(0, 'default', 'completed', 35);
    att.run(1, 'finest-size', 'cancelled', null); // stopped by the element budget
    att.run(2, 'finest-size', 'completed', 31.5); // its second chance, kept
    db.close();
    const s = new JobStore(home);
    expect(s.getJob('j')?.winnerIndex).toBe(2);
    expect(s.lastWinnerFor('met', () => true)).toMatchObject({ strategy: 'finest-size', jobId: 'j' });
    s.close();
  });

  it('refuses a store written by a newer schema, with a clear message (CLI: exit 4, no stack)', async () => {
    const home = tmpHome();
    const db = new Database(join(home, 'meshbench.sqlite'));
    db.pragma(`user_version = ${MIGRATIONS.length + 3}`);
    db.close();
    expect(() => new JobStore(home)).toThrow(
      new RegExp(
        `written by a newer MeshBench \\(schema version ${MIGRATIONS.length + 3}; this one knows up to ${MIGRATIONS.length}\\)`,
      ),
    );
    const r = await cli(['jobs'], home);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/written by a newer MeshBench/);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    // Nothing was changed: the version is still the newer one.
    const again = new Database(join(home, 'meshbench.sqlite'));
    expect(again.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 3);
    again.close();
  });

  it('resume is compare-and-set: of two processes re-attaching the same interrupted job, exactly one wins', () => {
    const home = tmpHome();
    const a = new JobStore(home);
    const b = new JobStore(home);
    const ids = Array.from({ length: 20 }, () => newJobId() + Math.random().toString(36).slice(2, 6));
    for (const id of ids) {
      a.createJob(id, spec);
      a.db.prepare(`UPDATE jobs SET status='interrupted' WHERE id=?`).run(id);
    }
    // Interleaved, as two `meshbench resume` runs would: each job is claimed once.
    const wins = ids.map((id, i) => (i % 2 ? [b.reopenJob(id), a.reopenJob(id)] : [a.reopenJob(id), b.reopenJob(id)]));
    for (const w of wins) expect(w.filter(Boolean)).toHaveLength(1);
    expect(a.getJob(ids[0])?.status).toBe('running');
    // A job that is not interrupted (completed, running) is never reopened.
    a.finishJob(ids[1], 'completed');
    expect(b.reopenJob(ids[1])).toBe(false);
    a.close();
    b.close();
  });

  it('keeps log lines in order across flushes and reads them by cursor', () => {
    const s = new JobStore(tmpHome());
    const id = newJobId();
    s.createJob(id, spec);
    for (let i = 0; i < 4500; i++) s.appendLog(id, 'info', `line ${i}`, i % 2);
    const all = s.logLines(id, 0, 10_000);
    expect(all).toHaveLength(4500);
    expect(all[4499].text).toBe('line 4499');
    expect(s.logLines(id, 4400, 50).map((l) => l.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 4401 + i));
    s.close();
  });

  it('leaves a job owned by a live process alone and marks it interrupted once that process is gone', async () => {
    const home = tmpHome();
    const owner = spawn('sleep', ['30']);
    await new Promise((r) => owner.once('spawn', r));
    const s = new JobStore(home);
    const id = newJobId();
    s.createJob(id, spec);
    s.db
      .prepare(`UPDATE jobs SET status='running', owner_pid=?, owner_start=? WHERE id=?`)
      .run(owner.pid, processStartTime(owner.pid!), id);
    s.upsertAttempt(id, {
      index: 0,
      strategy: 'default',
      status: 'running',
      score: null,
      error: null,
      seconds: null,
      argv: ['gmsh'],
    });
    s.close();

    // Another process (here: a second store) opening the store sees a live owner.
    const live = new JobStore(home);
    expect(live.recover()).toEqual([]);
    expect(live.getJob(id)?.status).toBe('running');
    live.close();

    owner.kill('SIGKILL');
    await new Promise((r) => owner.once('close', r));
    const after = new JobStore(home);
    expect(after.recover()).toEqual([id]);
    const job = after.getJob(id)!;
    expect(job.status).toBe('interrupted');
    expect(job.attempts[0].status).toBe('cancelled');
    after.close();
  });

  it('a pid reused by another process does not count as the owner', () => {
    const home = tmpHome();
    const s = new JobStore(home);
    const id = newJobId();
    s.createJob(id, spec);
    // Our own pid, but a start time that is not ours: a different process that once had this pid.
    s.db.prepare(`UPDATE jobs SET status='running', owner_pid=?, owner_start='1' WHERE id=?`).run(process.pid, id);
    expect(s.recover()).toEqual([id]);
    s.close();
  });

  it('settings and remote events persist', () => {
    const home = tmpHome();
    const s = new JobStore(home);
    s.setSetting('compute', 'auto');
    s.recordRemoteEvent('s3', false, 'HTTP 500');
    s.close();
    const d = new Database(join(home, 'meshbench.sqlite'));
    expect(d.prepare(`SELECT value FROM settings WHERE key='compute'`).get()).toEqual({ value: '"auto"' });
    d.close();
    const s2 = new JobStore(home);
    expect(s2.remoteEvents(10)[0]).toMatchObject({ kind: 's3', ok: false, detail: 'HTTP 500' });
    s2.close();
  });

  // src/jobs/store/rows.ts: every row is read through its table's schema, so a damaged value is named where it is.
  it('reads rows through their schema: a column of another type is an error naming it, not a wrong value', () => {
    const s = new JobStore(tmpHome());
    const id = newJobId();
    s.createJob(id, spec);
    s.upsertAttempt(id, {
      index: 0,
      strategy: 'default',
      status: 'queued',
      argv: ['gmsh'],
      score: null,
      error: null,
      seconds: null,
      modal: null,
    });
    expect(s.getJob(id)).toMatchObject({ status: 'queued', input: { path: spec.inputPath, bytes: null } });
    expect(s.getJob(id)!.attempts[0]).toMatchObject({ index: 0, status: 'queued', argv: ['gmsh'] });
    s.db.prepare(`UPDATE jobs SET status = 'finished-ish' WHERE id = ?`).run(id);
    expect(() => s.getJob(id)).toThrow(/jobs: column status holds "finished-ish"/);
    s.db.prepare(`UPDATE jobs SET status = 'queued', input_bytes = 'many' WHERE id = ?`).run(id);
    expect(() => s.listJobs()).toThrow(/jobs: column input_bytes holds "many"/);
    s.db.prepare(`UPDATE jobs SET input_bytes = 12 WHERE id = ?`).run(id);
    s.db.prepare(`UPDATE attempts SET status = 'done' WHERE job_id = ?`).run(id);
    expect(() => s.getJob(id)).toThrow(/attempts: column status holds "done"/);
    s.close();
  });
});

describe('two processes opening a new store at once', () => {
  it('both succeed; the schema is created once', async () => {
    const { spawn } = await import('node:child_process');
    const home = tmpHome();
    const run = () =>
      new Promise<number>((resolve) => {
        const p = spawn(process.execPath, [require.resolve('../../bin/meshbench'), 'jobs', '--json'], {
          env: { ...process.env, MESHBENCH_HOME: home },
          stdio: 'ignore',
        });
        p.on('close', (c) => resolve(c ?? -1));
      });
    const codes = await Promise.all([run(), run(), run(), run()]);
    expect(codes).toEqual([0, 0, 0, 0]);
    const s = new JobStore(home);
    expect(s.userVersion).toBe(MIGRATIONS.length);
    s.close();
  });
});
