// Files other processes or a crash must never see half-written (exports, the mesh, result JSON, secrets): write a
// temporary file beside the target, fsync it, rename it over the target (atomic on one filesystem), then fsync the
// folder. A kill at any moment leaves the old file, no file, or the whole new one under the final name.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Longest file name (bytes) ext4, APFS, NTFS and most others take. */
const NAME_MAX = 255;

/**
 * A fresh name beside `path` for its temporary file: `<name>.<8 hex>.tmp`, the name cut (at a character) so the whole
 * stays within NAME_MAX bytes however long the target's name is.
 */
export function tempPathFor(path: string): string {
  const suffix = `.${randomBytes(4).toString('hex')}.tmp`;
  let name = basename(path);
  const room = NAME_MAX - suffix.length;
  if (Buffer.byteLength(name) > room) {
    let bytes = 0;
    let cut = 0;
    for (const ch of name) {
      const n = Buffer.byteLength(ch);
      if (bytes + n > room) break;
      bytes += n;
      cut += ch.length;
    }
    name = name.slice(0, cut);
  }
  return join(dirname(path), name + suffix);
}

/** Makes a finished temporary file durable and puts it in place (the rename), then records the rename itself. */
export function commitTemp(fd: number, tmp: string, path: string): void {
  try {
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  syncDir(dirname(path));
}

function syncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const d = openSync(dir, 'r');
  try {
    fsyncSync(d);
  } finally {
    closeSync(d);
  }
}

/** Opens a new temporary file for `path` (never an existing one): its descriptor and name. */
export function openTemp(path: string, mode = 0o644): { fd: number; tmp: string } {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  return { fd: openSync(tmp, 'wx', mode), tmp };
}

export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  const { fd, tmp } = openTemp(path, mode);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  commitTemp(fd, tmp, path);
}

/**
 * Moves a finished file to `dest`: a rename where both are on one filesystem, else a copy to a temporary file beside
 * `dest` renamed into place, so `dest` is never seen half-copied.
 */
export function moveFileAtomic(src: string, dest: string): void {
  try {
    renameSync(src, dest);
    return;
  } catch {
    // another filesystem (EXDEV), or a rename the platform refuses: copy instead
  }
  const { fd, tmp } = openTemp(dest);
  closeSync(fd);
  try {
    copyFileSync(src, tmp, constants.COPYFILE_FICLONE);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  commitTemp(openSync(tmp, 'r+'), tmp, dest);
  rmSync(src, { force: true });
}
