// Failures of the machine, not of MeshBench or the part: a full disk, a damaged or locked job store, a folder that
// cannot be written. Each is an expected failure, so it reaches the engineer as one line in words (a UserError),
// never as a stack trace; anything not recognised here stays a bug and keeps its stack.
import { existsSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, UserError } from './errors';

/** A disk with less room than this is full for our purposes: Gmsh's mesh or SQLite's next page did not fit. */
const FULL_BELOW_BYTES = 1 << 20;

/** Bytes this process may still write on the disk holding `path` (root may use the blocks kept for it). */
export function freeBytes(path: string): number | null {
  let p = resolve(path);
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  try {
    const s = statfsSync(p);
    return (process.getuid?.() === 0 ? s.bfree : s.bavail) * s.bsize;
  } catch {
    return null;
  }
}

export const diskIsFull = (path: string): boolean => (freeBytes(path) ?? Infinity) < FULL_BELOW_BYTES;

const size = (n: number) =>
  n < 1024 ? `${n} bytes` : n < 1 << 20 ? `${(n / 1024).toFixed(0)} KB` : `${(n / (1 << 20)).toFixed(1)} MB`;

/** The disk holding `folder` is full: what could not be written there, in one line. */
export class DiskFullError extends ConfigError {
  constructor(
    readonly folder: string,
    what?: string,
  ) {
    const free = freeBytes(folder);
    super(
      'disk-full',
      `Disk full: the disk holding ${folder} has ${free === null ? 'no room' : `${size(free)} free`}${what ? `; ${what} could not be written` : ''}.`,
      'Free some space on that disk (or choose another --out or MESHBENCH_HOME), then run the job again.',
    );
    this.name = 'DiskFullError';
  }
}

/** The job store's file cannot be read as a database (a damaged header or page, a truncated file, a folder). */
export class StoreDamagedError extends ConfigError {
  constructor(
    readonly storePath: string,
    readonly reason: string,
  ) {
    super(
      'store-damaged',
      `The job store ${storePath} is damaged (${reason}).`,
      'MeshBench moves it aside and rebuilds the job list from the job folders when it next opens the store (meshbench doctor does it now).',
    );
    this.name = 'StoreDamagedError';
  }
}

interface SystemError {
  code?: unknown;
  path?: unknown;
  name?: unknown;
  message?: unknown;
}
const fields = (e: unknown): SystemError => (e && typeof e === 'object' ? (e as SystemError) : {});
const codeOf = (e: unknown) => (typeof fields(e).code === 'string' ? (fields(e).code as string) : '');

/** SQLite's words for a file that is not (or no longer) a sound database. */
export function isCorruption(e: unknown): boolean {
  const c = codeOf(e);
  return c === 'SQLITE_NOTADB' || c === 'SQLITE_CORRUPT' || c.startsWith('SQLITE_CORRUPT_');
}

const isSqlite = (e: unknown) => fields(e).name === 'SqliteError' || codeOf(e).startsWith('SQLITE_');

/** True when `e` is the disk running out of room (ENOSPC, a quota, SQLite's "full" or an I/O error on a full disk). */
export function isDiskFull(e: unknown, folder?: string): boolean {
  const c = codeOf(e);
  if (c === 'ENOSPC' || c === 'EDQUOT' || c === 'SQLITE_FULL') return true;
  return c.startsWith('SQLITE_IOERR') && folder !== undefined && diskIsFull(folder);
}

/**
 * `e` as an expected failure in words, or null when it is not one of the machine's failures (a bug). `store` is the
 * job store's path, for SQLite's errors, which name no file; `what` says what was being written.
 */
export function describeFault(e: unknown, o: { store?: string; what?: string } = {}): UserError | null {
  if (e instanceof UserError) return e;
  const c = codeOf(e);
  const path = typeof fields(e).path === 'string' ? (fields(e).path as string) : null;
  const storeDir = o.store ? dirname(o.store) : undefined;
  if (isSqlite(e)) {
    const store = o.store ?? 'the job store';
    const msg = typeof fields(e).message === 'string' ? (fields(e).message as string) : c;
    if (isDiskFull(e, storeDir)) return new DiskFullError(storeDir ?? store, o.what ?? 'the job store');
    if (isCorruption(e)) return new StoreDamagedError(store, msg);
    if (c.startsWith('SQLITE_BUSY') || c.startsWith('SQLITE_LOCKED'))
      return new ConfigError(
        'store-busy',
        `The job store ${store} stayed locked by another MeshBench process (${msg}).`,
        'Wait for the other process, or end it, then try again.',
      );
    if (c.startsWith('SQLITE_READONLY') || c.startsWith('SQLITE_CANTOPEN') || c.startsWith('SQLITE_PERM'))
      return new ConfigError(
        'store-unavailable',
        `The job store ${store} cannot be opened for writing (${msg}).`,
        'Check that the data folder (MESHBENCH_HOME) is yours and writable.',
      );
    if (c.startsWith('SQLITE_IOERR'))
      return new ConfigError(
        'store-io',
        `The job store ${store} could not be read or written (${msg}): the disk holding it may be failing or gone.`,
      );
    return null;
  }
  const where = path ?? 'a file';
  switch (c) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new DiskFullError(path ? dirname(path) : (storeDir ?? 'the data folder'), o.what);
    case 'EACCES':
    case 'EPERM':
      return new ConfigError('not-permitted', `${where} cannot be written or read: permission denied.`);
    case 'EROFS':
      return new ConfigError('read-only', `${where} is on a read-only file system.`);
    case 'ENOTDIR':
      return new ConfigError('not-a-folder', `${where}: a part of that path is a file, not a folder.`);
    case 'EISDIR':
      return new ConfigError('is-a-folder', `${where} is a folder, not a file.`);
    case 'EMFILE':
    case 'ENFILE':
      return new ConfigError(
        'too-many-files',
        'Too many files are open on this machine; close some programs and retry.',
      );
    case 'EIO':
      return new ConfigError('io-error', `Input/output error on ${where}: the disk may be failing or gone.`);
    default:
      return null;
  }
}
