// A job store that heals. The store is a cache of what the job folders already hold: every job writes
// `<name>_result.json` (the job as --json prints it, with its own log lines) into its output folder when it starts
// and when it ends. So when the store cannot be read (a damaged header or page, a truncated file, a folder where the
// file should be), it is moved aside as `meshbench.sqlite.corrupt-<time>`, a new one is made, and the job list is
// rebuilt from those files (the data folder's jobs/<id>/ and every --out folder jobs were given, listed in
// out-folders.txt); the saved settings are copied over when the damaged file still yields them. A store found empty
// beside job folders (deleted, or truncated to nothing) is rebuilt the same way. What was done is kept in the new
// store for `meshbench doctor` and said once, in one line, by the shell that opened it.
import Database from 'better-sqlite3';
import {
  appendFileSync,
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import type { JobResult, JobStatus, LogLine } from '../../contract/job';
import { ConfigError, errorMessage } from '../../util/errors';
import { isCorruption } from '../../util/faults';
import { isSameProcess, processStartTime } from '../../util/proc';
import { setting, readSetting, writeSetting } from '../../util/settings';
import { JobStore, damagedMark, storeFile } from './store';

export interface StoreHeal {
  at: string;
  /** What was wrong, in SQLite's words or ours. */
  reason: string;
  /** Where the damaged store went; null when there was nothing to move (an empty store was filled). */
  movedTo: string | null;
  /** Jobs rebuilt from result files, and result files that could not be read. */
  jobs: number;
  unreadable: number;
  folders: number;
  /** Saved settings copied over from the damaged store. */
  settings: number;
  ms: number;
}

const HEALS = setting<StoreHeal[]>('store.heals', (z) =>
  z.array(
    z.object({
      at: z.string(),
      reason: z.string(),
      movedTo: z.string().nullable(),
      jobs: z.number(),
      unreadable: z.number(),
      folders: z.number(),
      settings: z.number(),
      ms: z.number(),
    }),
  ),
);

/** What this store's heals did, oldest first (for doctor). */
export const storeHeals = (store: JobStore): StoreHeal[] => readSetting(store, HEALS) ?? [];

/** The heal in one line, as the shells say it. */
export const healLine = (h: StoreHeal): string =>
  `${h.movedTo ? `The job store was damaged (${h.reason}); moved it to ${h.movedTo} and rebuilt` : `The job store was ${h.reason}; rebuilt`} ${h.jobs} job${h.jobs === 1 ? '' : 's'} from the result files in ${h.folders} folder${h.folders === 1 ? '' : 's'}${h.unreadable ? ` (${h.unreadable} unreadable)` : ''}${h.movedTo ? `, ${h.settings} saved setting${h.settings === 1 ? '' : 's'} kept` : ''}, in ${h.ms} ms.`;

/** The --out folders jobs were given, one a line, so a rebuild finds their result files. */
const outFolders = (home: string) => join(home, 'out-folders.txt');

/** Remembers an output folder outside the data folder (once). */
export function rememberOutFolder(home: string, dir: string): void {
  const abs = resolve(dir);
  if (abs.startsWith(resolve(home, 'jobs') + '/')) return;
  const list = existsSync(outFolders(home)) ? readFileSync(outFolders(home), 'utf8').split('\n') : [];
  if (!list.includes(abs)) appendFileSync(outFolders(home), `${abs}\n`, { mode: 0o600 });
}

/**
 * Opens the data folder's job store, healing it when it cannot be read. `full` checks every table (doctor); otherwise
 * the tables each command reads, and everything when a process met damage since.
 */
export function openJobStore(home: string, o: { full?: boolean } = {}): { store: JobStore; healed: StoreHeal | null } {
  const t0 = Date.now();
  const path = storeFile(home);
  let reason = notAFile(path);
  let store: JobStore | null = null;
  if (!reason) {
    try {
      store = new JobStore(home);
      reason = store.damage(o.full || existsSync(damagedMark(home)));
      if (!reason) {
        rmSync(damagedMark(home), { force: true });
        if (!store.wasEmpty || !hasJobFolders(home)) return { store, healed: null };
      }
    } catch (e) {
      if (!isCorruption(e)) throw e;
      reason = errorMessage(e);
    }
  }
  store?.close();
  return withHealLock(home, () => heal(home, reason, t0));
}

function heal(home: string, reason: string | null, t0: number): { store: JobStore; healed: StoreHeal | null } {
  const path = storeFile(home);
  // Another process may have healed it while this one waited for the lock: look again.
  if (reason) {
    const now = notAFile(path) ?? probe(home);
    if (!now) return { store: new JobStore(home), healed: null };
    reason = now;
  }
  const salvaged = reason ? salvage(path) : { settings: [], outDirs: [] };
  const movedTo = reason ? moveAside(path) : null;
  rmSync(damagedMark(home), { force: true });
  const store = new JobStore(home);
  if (!reason && !store.wasEmpty && store.listJobs(1).length) return { store, healed: null };
  for (const [key, value] of salvaged.settings)
    if (key !== HEALS.key)
      store.db.prepare(`INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)`).run(key, value);
  const folders = new Set<string>();
  const jobsDir = join(home, 'jobs');
  if (existsSync(jobsDir)) for (const d of readdirSync(jobsDir)) folders.add(join(jobsDir, d));
  if (existsSync(outFolders(home)))
    for (const l of readFileSync(outFolders(home), 'utf8').split('\n')) if (l.trim()) folders.add(l.trim());
  for (const d of salvaged.outDirs) folders.add(resolve(d));
  let jobs = 0;
  let unreadable = 0;
  for (const dir of folders) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('_result.json'));
    } catch {
      continue; // gone, or not a folder
    }
    for (const n of names) {
      const found = readResultFile(join(dir, n));
      if (!found) {
        unreadable++;
        continue;
      }
      if (store.getJob(found.job.id)) continue;
      store.importJob(found.job, found.log);
      jobs++;
    }
  }
  const healed: StoreHeal = {
    at: new Date().toISOString(),
    reason: reason ?? 'empty beside job folders (deleted, or cut to nothing)',
    movedTo,
    jobs,
    unreadable,
    folders: folders.size,
    settings: salvaged.settings.length,
    ms: Date.now() - t0,
  };
  writeSetting(store, HEALS, [...storeHeals(store), healed]);
  return { store, healed };
}

/** Why the store's path cannot be a database before SQLite is asked: something other than a file is there. */
function notAFile(path: string): string | null {
  try {
    const st = statSync(path);
    return st.isFile() ? null : `${path} is ${st.isDirectory() ? 'a folder' : 'not a file'}`;
  } catch {
    return null; // not there yet: a new store
  }
}

/** The store's damage as SQLite reports it on a fresh open, or null. */
function probe(home: string): string | null {
  try {
    const s = new JobStore(home);
    try {
      return s.damage(true);
    } finally {
      s.close();
    }
  } catch (e) {
    if (isCorruption(e)) return errorMessage(e);
    throw e;
  }
}

const hasJobFolders = (home: string) => {
  try {
    return readdirSync(join(home, 'jobs')).length > 0 || existsSync(outFolders(home));
  } catch {
    return false;
  }
};

/** Whatever the damaged file still yields: its saved settings and the output folders its jobs used. */
function salvage(path: string): { settings: [string, string][]; outDirs: string[] } {
  const out = { settings: [] as [string, string][], outDirs: [] as string[] };
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const read = <T>(sql: string): T[] => {
      try {
        return db!.prepare(sql).raw().all() as T[];
      } catch {
        return [];
      }
    };
    out.settings = read<[string, string]>(`SELECT key, value FROM settings`).filter(
      ([k, v]) => typeof k === 'string' && typeof v === 'string',
    );
    out.outDirs = read<[string]>(`SELECT DISTINCT out_dir FROM jobs WHERE out_dir IS NOT NULL`)
      .map(([d]) => d)
      .filter((d) => typeof d === 'string');
  } catch {
    /* not even that */
  } finally {
    db?.close();
  }
  return out;
}

/** Moves the damaged store (and its -wal, -shm) to `meshbench.sqlite.corrupt-<time>`. */
function moveAside(path: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  let dest = `${path}.corrupt-${stamp}`;
  for (let i = 2; existsSync(dest); i++) dest = `${path}.corrupt-${stamp}-${i}`;
  renameSync(path, dest);
  for (const side of ['-wal', '-shm']) if (existsSync(path + side)) renameSync(path + side, dest + side);
  return dest;
}

const STATUSES: JobStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted', 'rejected'];
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A result file as the job and its log, or null when it is not one of ours. */
function readResultFile(file: string): { job: JobResult; log: LogLine[] } | null {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!isObj(raw) || typeof raw.id !== 'string' || !/^[\w.-]+$/.test(raw.id)) return null;
    if (!STATUSES.includes(raw.status as JobStatus) || typeof raw.createdAt !== 'string') return null;
    if (!isObj(raw.input) || typeof raw.input.path !== 'string' || !isObj(raw.settings)) return null;
    if (!Array.isArray(raw.attempts) || typeof raw.requestedBackend !== 'string') return null;
    const { log, ...job } = raw;
    return { job: job as unknown as JobResult, log: Array.isArray(log) ? (log as LogLine[]) : [] };
  } catch {
    return null;
  }
}

/**
 * One process heals at a time: the lock file holds the healer's pid and start time; a lock whose process is gone is
 * taken over. Others wait, then find the store healed.
 */
function withHealLock<T>(home: string, fn: () => T): T {
  const lock = join(home, 'heal.lock');
  const me = `${process.pid} ${processStartTime(process.pid) ?? ''}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeSync(fd, me);
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const [pid, start] = (readFileSyncSafe(lock) ?? '').split(' ');
      if (!Number(pid) || !isSameProcess(Number(pid), start || null)) rmSync(lock, { force: true });
      else if (Date.now() > deadline)
        throw new ConfigError(
          'store-busy',
          `Another MeshBench process (pid ${pid}) has been rebuilding the job store for a minute.`,
          'Wait for it, or end it, then try again.',
        );
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

const readFileSyncSafe = (p: string) => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
};
