// The job store: one SQLite file (WAL) shared by the CLI and the desktop. Each state change is one transaction.
// Rows record which process owns a running job (pid + start time), so any process opening the store can tell a
// live job in another process from one whose owner died (-> interrupted, leftover Gmsh processes ended).
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttemptOutcome } from '../../contract/attempt';
import { checkSetting, type LazySchema } from '../../util/settings';
import { privateFile, privateFolder } from '../../util/private-fs';
import {
  ACTIVE_STATUSES,
  isActive,
  keptAttempt,
  type AttemptResult,
  type AttemptStatus,
  type FinalJobStatus,
  type GroupSpec,
  type JobError,
  type JobResult,
  type JobSpec,
  type JobStatus,
  type LogLine,
  type MeshSettings,
  type ResolvedBackend,
} from '../../contract/job';
import { isSameProcess, killTree, processStartTime } from '../../util/proc';
import { ConfigError, errorMessage } from '../../util/errors';
import { isCorruption, isDiskFull } from '../../util/faults';
import { keepReserve, releaseReserve } from './reserve';
import { MIGRATIONS } from './migrations';
import { targetsOf } from '../../contract/targets';
import {
  ATTEMPT_ROW,
  COUNT_ROW,
  GROUP_SPECS_ROW,
  ID_ROW,
  JOB_ROW,
  json,
  LOG_ROW,
  MAX_ROW,
  OWNER_ROW,
  REMOTE_EVENT_ROW,
  rowOf,
  rowsOf,
  RUNS_ROW,
  VALUE_ROW,
  WIN_ROW,
  WIN_SETTINGS_ROW,
  type RowOf,
} from './rows';

type JobRow = RowOf<typeof JOB_ROW>;
const now = () => new Date().toISOString();
const SELF = { pid: process.pid, start: processStartTime(process.pid) };

/** SQL list of the active statuses, for `status IN (...)`. */
const ACTIVE_SQL = ACTIVE_STATUSES.map((s) => `'${s}'`).join(',');

export function newJobId(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}-${randomBytes(3).toString('hex')}`;
}

/** The store's file in the data folder. */
export const storeFile = (home: string) => join(home, 'meshbench.sqlite');

/** A mark left when damage is met while the store is in use, so the next open checks all of it (heal.ts). */
export const damagedMark = (home: string) => `${storeFile(home)}.damaged`;

/** Records that the store was found damaged while in use: the next process to open it checks it whole and heals it. */
export function markStoreDamaged(home: string, reason: string): void {
  try {
    appendFileSync(damagedMark(home), `${new Date().toISOString()} ${reason}\n`, { mode: 0o600 });
  } catch {
    /* the data folder cannot be written either: the next open meets the damage itself */
  }
}

/** The tables every command reads; checked each time the store opens (the log, by far the largest, by doctor). */
const CORE_TABLES = ['jobs', 'attempts', 'settings', 'remote_events'];

/** The job's columns a stage may set (see `updateJob`). */
export type JobFields = Partial<{
  backend: ResolvedBackend | null;
  fallback: JobResult['fallback'];
  inputSha256: string;
  inputBytes: number;
  inputFormat: string;
  outDir: string;
  strategy: string | null;
  winnerIndex: number | null;
  targetsMet: boolean;
  score: number | null;
  mesh: JobResult['mesh'];
  quality: JobResult['quality'];
  timings: JobResult['timings'];
  transfer: JobResult['transfer'];
  cost: JobResult['cost'];
  modalCallId: string;
  modalStatus: string;
  modalStartedAt: string;
  modalCompletedAt: string;
  inputPath: string;
  stopped: JobResult['stopped'];
  groups: JobResult['groups'];
  exports: JobResult['exports'];
  groupSpecs: GroupSpec[];
  geometry: JobResult['geometry'];
  requested: JobResult['requested'];
}>;

export class JobStore {
  readonly db: Database.Database;
  readonly path: string;
  /** The store had no schema when this process opened it: a new data folder, or a store deleted or emptied. */
  readonly wasEmpty: boolean;
  private seqs = new Map<string, number>();

  constructor(private readonly home: string) {
    privateFolder(home);
    this.path = storeFile(home);
    keepReserve(home);
    // 0600 before SQLite opens it: its -wal and -shm files take the database file's mode.
    privateFile(this.path, { create: true });
    for (const side of ['-wal', '-shm']) privateFile(this.path + side);
    this.db = new Database(this.path);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('busy_timeout = 10000');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('synchronous = NORMAL');
      this.wasEmpty = this.userVersion === 0;
      this.migrate();
    } catch (e) {
      if (this.db.open) this.db.close(); // a damaged file is moved aside next: hold no handle on it
      throw e;
    }
  }

  /**
   * SQLite's quick check of the tables every command reads (all of them with `full`): null when sound, else the
   * first problem it names. Damage elsewhere is met when it is read, and doctor's full check finds it.
   */
  damage(full = false): string | null {
    for (const t of full ? [null] : CORE_TABLES) {
      const r = String(this.db.pragma(t ? `quick_check(${t})` : 'quick_check', { simple: true }));
      if (r === 'ok') continue;
      // One line: the first problem SQLite names, and how many more there are.
      const problems = r.split('\n').filter((l) => l.trim() && !l.startsWith('***'));
      return `${problems[0] ?? r}${problems.length > 1 ? ` and ${problems.length - 1} more problems` : ''}`;
    }
    return null;
  }

  get userVersion(): number {
    return Number(this.db.pragma('user_version', { simple: true }));
  }

  /** SQLite's quick integrity check ('ok' when sound) and the number of jobs kept, for `doctor`. */
  health(): { integrity: string; jobs: number } {
    const integrity = String(this.db.pragma('quick_check', { simple: true }));
    const jobs = rowOf(COUNT_ROW, this.db.prepare('SELECT COUNT(*) n FROM jobs').get(), 'jobs').n;
    return { integrity, jobs };
  }

  private migrate() {
    // A store written by a newer MeshBench has tables this one does not know: refuse it rather than misread it.
    const tooNew = (v: number) => {
      if (v <= MIGRATIONS.length) return;
      this.db.close();
      throw new ConfigError(
        'store-too-new',
        `The job store ${this.path} was written by a newer MeshBench (schema version ${v}; this one knows up to ${MIGRATIONS.length}).`,
        'Update MeshBench, or set MESHBENCH_HOME to another folder to keep this store as it is.',
      );
    };
    tooNew(this.userVersion);
    // The version is read inside the write transaction: two processes opening a new store at once take turns,
    // and the second finds the schema already there.
    const step = this.db.transaction(() => {
      const v = this.userVersion;
      if (v > MIGRATIONS.length) return false;
      if (v >= MIGRATIONS.length) return false;
      this.db.exec(MIGRATIONS[v]);
      this.db.pragma(`user_version = ${v + 1}`);
      return true;
    });
    while (step.immediate()) {
      /* next migration */
    }
    tooNew(this.userVersion); // a newer process may have migrated between the check and the transaction
  }

  close() {
    this.db.close();
  }

  // ---- jobs -------------------------------------------------------------------------------------------------

  createJob(id: string, spec: JobSpec): void {
    this.db
      .prepare(
        `INSERT INTO jobs (id, created_at, status, requested_backend, input_path, settings_json, out_dir, owner_pid, owner_start,
          timings_json, transfer_json) VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        now(),
        spec.backend,
        spec.inputPath,
        JSON.stringify(spec.settings),
        spec.outDir ?? null,
        SELF.pid,
        SELF.start,
        JSON.stringify({ totalMs: 0, phases: {} }),
        JSON.stringify({ uploadedBytes: 0, downloadedBytes: 0 }),
      );
  }

  /**
   * A job as its result file tells it, into a rebuilt store: the record, its attempts and its own log lines. A job
   * the file shows unfinished ends `interrupted`, as any job whose process ended does.
   */
  importJob(job: JobResult, log: LogLine[] = []): void {
    const unfinished = isActive(job.status);
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO jobs (id, created_at, started_at, finished_at, status, requested_backend, input_path, settings_json, error_json)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          job.id,
          job.createdAt,
          job.startedAt,
          unfinished ? now() : job.finishedAt,
          unfinished ? 'interrupted' : job.status,
          job.requestedBackend,
          job.input.path,
          JSON.stringify(job.settings),
          JSON.stringify(
            unfinished
              ? {
                  code: 'interrupted',
                  message: 'The job had not finished when the job store was rebuilt from the job folders.',
                  hint: 'Run it again.',
                }
              : job.error,
          ),
        );
      this.updateJob(job.id, {
        backend: job.backend,
        fallback: job.fallback ?? null,
        ...(job.input.sha256 ? { inputSha256: job.input.sha256 } : {}),
        ...(job.input.bytes !== null ? { inputBytes: job.input.bytes } : {}),
        ...(job.input.format ? { inputFormat: job.input.format } : {}),
        ...(job.outDir ? { outDir: job.outDir } : {}),
        strategy: job.strategy,
        winnerIndex: job.winnerIndex,
        score: job.score,
        mesh: job.mesh,
        quality: job.quality,
        timings: job.timings,
        transfer: job.transfer,
        cost: job.cost ?? null,
        stopped: job.stopped ?? null,
        groups: job.groups,
        exports: job.exports,
        ...(job.modal?.callId ? { modalCallId: job.modal.callId } : {}),
        ...(job.modal?.status ? { modalStatus: job.modal.status } : {}),
        ...(job.modal?.startedAt ? { modalStartedAt: job.modal.startedAt } : {}),
        ...(job.modal?.completedAt ? { modalCompletedAt: job.modal.completedAt } : {}),
      });
      for (const a of job.attempts) {
        this.upsertAttempt(job.id, isActive(a.status) ? { ...a, status: 'cancelled' } : a);
        if (a.modal?.callId) this.setAttemptRemote(job.id, a.index, a.modal.callId, a.modal.status);
      }
      const ins = this.db.prepare(
        `INSERT OR IGNORE INTO log_lines (job_id, seq, ts, level, attempt, text) VALUES (?,?,?,?,?,?)`,
      );
      for (const l of log) ins.run(job.id, l.seq, l.ts, l.level, l.attempt, l.text);
    })();
  }

  /** Take ownership (this process) and mark running. */
  markRunning(id: string): void {
    this.db
      .prepare(`UPDATE jobs SET status='running', started_at=?, owner_pid=?, owner_start=? WHERE id=?`)
      .run(now(), SELF.pid, SELF.start, id);
  }

  updateJob(id: string, fields: JobFields): void {
    const map: Record<string, [string, (v: unknown) => unknown]> = {
      backend: ['backend', (v) => v],
      fallback: ['fallback_json', (v) => (v ? JSON.stringify(v) : null)],
      inputSha256: ['input_sha256', (v) => v],
      inputBytes: ['input_bytes', (v) => v],
      inputFormat: ['input_format', (v) => v],
      outDir: ['out_dir', (v) => v],
      strategy: ['strategy', (v) => v],
      winnerIndex: ['winner_index', (v) => v],
      targetsMet: ['targets_met', (v) => (v ? 1 : 0)],
      score: ['score', (v) => v],
      inputPath: ['input_path', (v) => v],
      mesh: ['mesh_json', (v) => (v ? JSON.stringify(v) : null)],
      quality: ['quality_json', (v) => (v ? JSON.stringify(v) : null)],
      timings: ['timings_json', (v) => JSON.stringify(v)],
      transfer: ['transfer_json', (v) => JSON.stringify(v)],
      cost: ['cost_json', (v) => (v ? JSON.stringify(v) : null)],
      modalCallId: ['modal_call_id', (v) => v],
      groups: ['groups_json', (v) => (v ? JSON.stringify(v) : null)],
      exports: ['exports_json', (v) => (v ? JSON.stringify(v) : null)],
      groupSpecs: ['group_specs_json', (v) => (v ? JSON.stringify(v) : null)],
      modalStatus: ['modal_status', (v) => v],
      modalStartedAt: ['modal_started_at', (v) => v],
      modalCompletedAt: ['modal_completed_at', (v) => v],
      stopped: ['stopped_json', (v) => (v ? JSON.stringify(v) : null)],
      geometry: ['geometry_json', (v) => (v ? JSON.stringify(v) : null)],
      requested: ['requested_json', (v) => (v ? JSON.stringify(v) : null)],
    };
    const set = Object.entries(fields).filter(([k]) => k in map);
    if (!set.length) return;
    const sql = `UPDATE jobs SET ${set.map(([k]) => `${map[k][0]} = ?`).join(', ')} WHERE id = ?`;
    this.db.prepare(sql).run(...set.map(([k, v]) => map[k][1](v)), id);
  }

  /**
   * Records the job's end. An attempt still queued or running ends with it, `cancelled` (a job cut short by a fault
   * leaves none `running`); an interrupted job keeps them, for resume. `last` (the timings) is written in the same
   * transaction: a separate write that failed on a full disk would leave the job `running`, later `interrupted`. On a
   * full disk the data folder's reserve is given up for it (reserve.ts).
   */
  finishJob(id: string, status: FinalJobStatus, error: JobError | null = null, last: JobFields = {}): void {
    this.flushLogs();
    const write = this.db.transaction(() => {
      this.updateJob(id, last);
      this.db
        .prepare(`UPDATE jobs SET status=?, finished_at=?, error_json=? WHERE id=?`)
        .run(status, now(), error ? JSON.stringify(error) : null, id);
      if (status !== 'interrupted')
        this.db
          .prepare(
            `UPDATE attempts SET status='cancelled', error=COALESCE(error, ?) WHERE job_id=? AND status IN (${ACTIVE_SQL})`,
          )
          .run(`the job ended (${status}) before this attempt did`, id);
    });
    try {
      write();
    } catch (e) {
      if (!isDiskFull(e, this.home) || !releaseReserve(this.home)) throw e;
      write();
    }
  }

  /**
   * Puts an interrupted job back to running under this process (resume), compare-and-set: only if it is still
   * `interrupted`. Of two processes resuming the same job, exactly one gets true and re-attaches.
   */
  reopenJob(id: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE jobs SET status='running', finished_at=NULL, error_json=NULL, owner_pid=?, owner_start=? WHERE id=? AND status='interrupted'`,
        )
        .run(SELF.pid, SELF.start, id).changes === 1
    );
  }

  private jobRow(id: string): JobRow | undefined {
    const raw = this.db.prepare(`SELECT * FROM jobs WHERE id = ?`).get(id);
    return raw === undefined ? undefined : rowOf(JOB_ROW, raw, 'jobs');
  }

  /** Full id from an id or a unique prefix of one. */
  resolveId(idOrPrefix: string): string | null {
    const rows = rowsOf(
      ID_ROW,
      this.db
        .prepare(`SELECT id FROM jobs WHERE id = ? OR id LIKE ? ORDER BY id LIMIT 2`)
        .all(idOrPrefix, `${idOrPrefix.replace(/[%_]/g, '')}%`),
      'jobs',
    );
    const exact = rows.find((r) => r.id === idOrPrefix);
    if (exact) return exact.id;
    return rows.length === 1 ? rows[0].id : null;
  }

  getJob(id: string): JobResult | null {
    const row = this.jobRow(id);
    return row ? this.toResult(row) : null;
  }

  listJobs(limit = 500): JobResult[] {
    const raws = this.db.prepare(`SELECT * FROM jobs ORDER BY created_at DESC, id DESC LIMIT ?`).all(limit);
    const rows = rowsOf(JOB_ROW, raws, 'jobs');
    return rows.map((r) => this.toResult(r));
  }

  /** Jobs other than `exceptId` whose output folder is `dir`. */
  jobsWithOutput(dir: string, exceptId: string): JobResult[] {
    const raws = this.db.prepare(`SELECT * FROM jobs WHERE out_dir = ? AND id != ?`).all(dir, exceptId);
    return rowsOf(JOB_ROW, raws, 'jobs').map((r) => this.toResult(r));
  }

  /** True when some job in the store read this input file (so the user opened it before). */
  hasInputPath(path: string): boolean {
    return this.db.prepare(`SELECT 1 FROM jobs WHERE input_path = ? LIMIT 1`).get(path) !== undefined;
  }

  jobsWithStatus(statuses: JobStatus[]): string[] {
    const raws = this.db
      .prepare(`SELECT id FROM jobs WHERE status IN (${statuses.map(() => '?').join(',')})`)
      .all(...statuses);
    return rowsOf(ID_ROW, raws, 'jobs').map((r) => r.id);
  }

  private toResult(r: JobRow): JobResult {
    const attempts = this.attempts(r.id);
    const settings = json<JobResult['settings']>(r.settings_json)!;
    const quality = json<JobResult['quality']>(r.quality_json);
    return {
      id: r.id,
      status: r.status,
      backend: r.backend,
      requestedBackend: r.requested_backend,
      fallback: json(r.fallback_json),
      input: { path: r.input_path, sha256: r.input_sha256, bytes: r.input_bytes, format: r.input_format },
      settings,
      strategy: r.strategy,
      winnerIndex: r.winner_index,
      score: r.score,
      attempts,
      mesh: json(r.mesh_json),
      quality,
      timings: json(r.timings_json) ?? { totalMs: 0, phases: {} },
      transfer: json(r.transfer_json) ?? { uploadedBytes: 0, downloadedBytes: 0 },
      modal:
        r.modal_call_id || r.modal_status
          ? {
              callId: r.modal_call_id,
              status: r.modal_status,
              startedAt: r.modal_started_at,
              completedAt: r.modal_completed_at,
            }
          : null,
      cost: json(r.cost_json),
      groups: json<JobResult['groups']>(r.groups_json) ?? undefined,
      exports: json<JobResult['exports']>(r.exports_json) ?? undefined,
      units: settings.units ?? 'mm',
      outDir: r.out_dir,
      createdAt: r.created_at,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      error: json(r.error_json),
      targets: r.status === 'completed' ? targetsOf(quality, settings.targets) : null,
      stopped: json(r.stopped_json),
      geometry: json(r.geometry_json),
      requested: json(r.requested_json),
      // the kept attempt's boundary layers, measured on the job's mesh
      ...layersOf(attempts, r.winner_index),
    };
  }

  /** The physical groups the job's attempts were given (CAD parts), or null (an STL: each attempt names its own). */
  groupSpecs(id: string): GroupSpec[] | null {
    const raw = this.db.prepare(`SELECT group_specs_json FROM jobs WHERE id = ?`).get(id);
    return raw === undefined ? null : json<GroupSpec[]>(rowOf(GROUP_SPECS_ROW, raw, 'jobs').group_specs_json);
  }

  // ---- what won before (the learned order) -----------------------------------------------------------------

  /** Completed jobs whose mesh met the targets: the winning attempt (a repair counts for the attempt it repaired). */
  private static readonly MET = `status = 'completed' AND strategy IS NOT NULL AND targets_met = 1`;

  /**
   * The attempt that last won on this input (by sha256) with its targets met, among the jobs whose settings `same`
   * accepts (the learned order's key), or null.
   */
  lastWinnerFor(
    sha256: string,
    same: (settings: MeshSettings) => boolean,
  ): { strategy: string; jobId: string; finishedAt: string } | null {
    const raws = this.db
      .prepare(
        `SELECT id, strategy, finished_at, settings_json FROM jobs WHERE input_sha256 = ? AND ${JobStore.MET} ORDER BY finished_at DESC, id DESC`,
      )
      .all(sha256);
    for (const r of rowsOf(WIN_SETTINGS_ROW, raws, 'jobs')) {
      if (!same(json<MeshSettings>(r.settings_json)!)) continue;
      let strategy = r.strategy;
      if (strategy === 'targeted-repair') {
        const from = this.attempts(r.id).find((a) => a.strategy === 'targeted-repair' && a.repair)?.repair?.from;
        if (from) strategy = from;
      }
      return { strategy, jobId: r.id, finishedAt: r.finished_at ?? '' };
    }
    return null;
  }

  /**
   * Per attempt name: jobs it ran in to an end (a mesh, a failure or a budget stop; not a stop because another won) and jobs it won with the targets
   * met (a repair's win counts for the attempt it repaired).
   */
  strategyStats(): { strategy: string; runs: number; wins: number }[] {
    const runRows = this.db
      .prepare(
        `SELECT strategy, COUNT(DISTINCT job_id) n FROM attempts WHERE status IN ('completed', 'failed') OR error LIKE 'stopped: heading for%' OR error LIKE 'stopped: %× the time%' GROUP BY strategy`,
      )
      .all();
    // A repair's win is credited to the attempt it repaired: that attempt plus the repair is what to try first.
    const wins = new Map<string, number>();
    for (const r of rowsOf(
      WIN_ROW,
      this.db.prepare(`SELECT id, strategy, finished_at FROM jobs WHERE ${JobStore.MET}`).all(),
      'jobs',
    )) {
      const s =
        r.strategy === 'targeted-repair'
          ? (this.attempts(r.id).find((a) => a.repair)?.repair?.from ?? r.strategy)
          : r.strategy;
      wins.set(s, (wins.get(s) ?? 0) + 1);
    }
    return rowsOf(RUNS_ROW, runRows, 'attempts').map((r) => ({
      strategy: r.strategy,
      runs: r.n,
      wins: wins.get(r.strategy) ?? 0,
    }));
  }

  // ---- attempts ---------------------------------------------------------------------------------------------

  upsertAttempt(jobId: string, a: AttemptResult | AttemptOutcome): void {
    const { index, strategy, status, argv, score, error, seconds, ...rest } = a;
    this.db
      .prepare(
        `INSERT INTO attempts (job_id, idx, strategy, status, argv_json, score, error, seconds, result_json) VALUES (?,?,?,?,?,?,?,?,?)
         ON CONFLICT(job_id, idx) DO UPDATE SET strategy=excluded.strategy, status=excluded.status, argv_json=excluded.argv_json,
           score=excluded.score, error=excluded.error, seconds=excluded.seconds, result_json=excluded.result_json`,
      )
      .run(
        jobId,
        index,
        strategy,
        status,
        JSON.stringify(argv ?? []),
        score ?? null,
        error ?? null,
        seconds ?? null,
        JSON.stringify(rest),
      );
  }

  setAttemptStatus(jobId: string, index: number, status: AttemptStatus, error: string | null = null): void {
    this.db
      .prepare(`UPDATE attempts SET status=?, error=COALESCE(?, error) WHERE job_id=? AND idx=?`)
      .run(status, error, jobId, index);
  }

  setAttemptProcess(jobId: string, index: number, pid: number | null, start: string | null): void {
    this.db
      .prepare(`UPDATE attempts SET gmsh_pid=?, gmsh_start=? WHERE job_id=? AND idx=?`)
      .run(pid, start, jobId, index);
  }

  setAttemptRemote(jobId: string, index: number, callId: string, status: string): void {
    this.db
      .prepare(`UPDATE attempts SET modal_call_id=?, modal_status=? WHERE job_id=? AND idx=?`)
      .run(callId, status, jobId, index);
  }

  attemptRows(jobId: string): RowOf<typeof ATTEMPT_ROW>[] {
    return rowsOf(
      ATTEMPT_ROW,
      this.db.prepare(`SELECT * FROM attempts WHERE job_id=? ORDER BY idx`).all(jobId),
      'attempts',
    );
  }

  attempts(jobId: string): AttemptResult[] {
    return this.attemptRows(jobId).map((r) => {
      const rest = json<Partial<AttemptOutcome>>(r.result_json) ?? {};
      return {
        ...rest,
        index: r.idx,
        strategy: r.strategy,
        status: r.status,
        score: r.score,
        error: r.error,
        seconds: r.seconds,
        argv: json<string[]>(r.argv_json) ?? [],
        modal: r.modal_call_id
          ? { callId: r.modal_call_id, status: r.modal_status ?? 'unknown' }
          : (rest.modal ?? null),
      };
    });
  }

  // ---- log lines (buffered: Gmsh can print thousands of lines a second) -------------------------------------

  private pending: { jobId: string; seq: number; ts: number; level: string; attempt: number | null; text: string }[] =
    [];
  private flushTimer: NodeJS.Timeout | null = null;

  /**
   * Why log lines are no longer stored, once a flush failed: the disk is full (the job's end must still fit) or the
   * store is damaged (the next open heals it). The lines still reach the UI; the job's result says what happened.
   */
  logsHeld: string | null = null;

  appendLog(jobId: string, level: LogLine['level'], text: string, attempt: number | null = null): LogLine {
    if (this.logsHeld) return { seq: 0, ts: Date.now(), level, attempt, text };
    let seq = this.seqs.get(jobId);
    if (seq === undefined) {
      seq =
        rowOf(MAX_ROW, this.db.prepare(`SELECT MAX(seq) m FROM log_lines WHERE job_id=?`).get(jobId), 'log_lines').m ??
        0;
      seq = Math.max(seq, ...this.pending.filter((p) => p.jobId === jobId).map((p) => p.seq));
    }
    seq += 1;
    this.seqs.set(jobId, seq);
    const line = { jobId, seq, ts: Date.now(), level, attempt, text };
    this.pending.push(line);
    if (this.pending.length >= 2000) this.flushLogs();
    else if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flushLogs(), 100);
    return { seq, ts: line.ts, level, attempt, text };
  }

  flushLogs(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (!this.pending.length || !this.db.open) return;
    const batch = this.pending;
    this.pending = [];
    try {
      const ins = this.db.prepare(
        `INSERT OR REPLACE INTO log_lines (job_id, seq, ts, level, attempt, text) VALUES (?,?,?,?,?,?)`,
      );
      this.db.transaction(() => {
        for (const l of batch) ins.run(l.jobId, l.seq, l.ts, l.level, l.attempt, l.text);
      })();
    } catch (e) {
      // Called from a timer too: a full disk or a damaged page must not end the process. The batch is dropped.
      if (isDiskFull(e, this.home)) this.logsHeld = 'the disk is full';
      else if (isCorruption(e)) {
        this.logsHeld = `the store is damaged (${errorMessage(e)})`;
        markStoreDamaged(this.home, errorMessage(e));
      } else throw e;
    }
  }

  logLines(jobId: string, afterSeq = 0, limit = 10_000): LogLine[] {
    this.flushLogs();
    const raws = this.db
      .prepare(`SELECT seq, ts, level, attempt, text FROM log_lines WHERE job_id=? AND seq>? ORDER BY seq LIMIT ?`)
      .all(jobId, afterSeq, limit);
    return rowsOf(LOG_ROW, raws, 'log_lines');
  }

  /** The job's own log lines (not Gmsh's): what its result file keeps. */
  ownLog(jobId: string): LogLine[] {
    this.flushLogs();
    const raws = this.db
      .prepare(`SELECT seq, ts, level, attempt, text FROM log_lines WHERE job_id=? AND attempt IS NULL ORDER BY seq`)
      .all(jobId);
    return rowsOf(LOG_ROW, raws, 'log_lines');
  }

  /** Removes a job with its attempts (cascade) and log lines, pending ones included. */
  deleteJob(jobId: string): void {
    this.flushLogs();
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM log_lines WHERE job_id=?`).run(jobId);
      this.db.prepare(`DELETE FROM attempts WHERE job_id=?`).run(jobId);
      this.db.prepare(`DELETE FROM jobs WHERE id=?`).run(jobId);
    })();
    this.seqs.delete(jobId);
  }

  // ---- remote events (circuit breaker) and settings ---------------------------------------------------------

  recordRemoteEvent(kind: 'modal' | 's3', ok: boolean, detail = ''): void {
    this.db
      .prepare(`INSERT INTO remote_events (ts, kind, ok, detail) VALUES (?,?,?,?)`)
      .run(Date.now(), kind, ok ? 1 : 0, detail);
  }

  remoteEvents(limit = 200): { ts: number; kind: 'modal' | 's3'; ok: boolean; detail: string }[] {
    const raws = this.db.prepare(`SELECT ts, kind, ok, detail FROM remote_events ORDER BY id DESC LIMIT ?`).all(limit);
    return rowsOf(REMOTE_EVENT_ROW, raws, 'remote_events').map((r) => ({
      ts: r.ts,
      kind: r.kind,
      ok: r.ok === 1,
      detail: r.detail ?? '',
    }));
  }

  /** The saved value of `key` if it fits `schema`; null when unset, unreadable or of another shape. */
  getSetting<T>(key: string, schema: LazySchema<T>): T | null {
    const raw = this.db.prepare(`SELECT value FROM settings WHERE key=?`).get(key);
    if (raw === undefined) return null;
    try {
      return checkSetting(JSON.parse(rowOf(VALUE_ROW, raw, 'settings').value), schema);
    } catch {
      return null; // not JSON: edited by hand or damaged
    }
  }

  setSetting(key: string, value: unknown): void {
    if (value === null || value === undefined) this.db.prepare(`DELETE FROM settings WHERE key=?`).run(key);
    else
      this.db
        .prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`)
        .run(key, JSON.stringify(value));
  }

  // ---- recovery ---------------------------------------------------------------------------------------------

  /**
   * Jobs left queued/running by a process that no longer exists become `interrupted`; the Gmsh processes they
   * started are ended. Jobs owned by a live process (another CLI, the desktop) are left alone.
   */
  recover(): string[] {
    const raws = this.db.prepare(`SELECT id, owner_pid, owner_start FROM jobs WHERE status IN (${ACTIVE_SQL})`).all();
    const rows = rowsOf(OWNER_ROW, raws, 'jobs');
    const recovered: string[] = [];
    for (const r of rows) {
      const pid = r.owner_pid;
      if (pid === SELF.pid && r.owner_start === SELF.start) continue;
      if (pid !== null && isSameProcess(pid, r.owner_start)) continue;
      const id = r.id;
      for (const a of this.attemptRows(id))
        if (a.gmsh_pid && isActive(a.status) && isSameProcess(a.gmsh_pid, a.gmsh_start)) killTree(a.gmsh_pid);
      this.db.transaction(() => {
        this.db
          .prepare(
            `UPDATE attempts SET status='cancelled', error='interrupted: the process running the job ended' WHERE job_id=? AND status IN (${ACTIVE_SQL})`,
          )
          .run(id);
        this.db
          .prepare(
            `UPDATE jobs SET status='interrupted', finished_at=?, error_json=? WHERE id=? AND status IN (${ACTIVE_SQL})`,
          )
          .run(
            now(),
            JSON.stringify({
              code: 'interrupted',
              message: `The process that ran this job (pid ${pid}) ended before it finished.`,
              hint: 'Run it again; remote jobs can be picked up with `meshbench resume`.',
            }),
            id,
          );
      })();
      recovered.push(id);
    }
    return recovered;
  }
}

/** `layers` of a job: its kept attempt's, when it grew any. */
function layersOf(attempts: AttemptResult[], winnerIndex: number | null): Pick<JobResult, 'layers'> {
  const layers = keptAttempt({ attempts, winnerIndex })?.layers;
  return layers ? { layers } : {};
}
