// What MeshBench keeps is this user's alone, whatever the umask: the data folder is 0700 (older versions left it
// 0755 under umask 022), and the job store, dropped parts and staged copies are 0600. Folders where Gmsh runs get
// a stricter check, because Gmsh reads `<script>.opt` beside the script it is given and we write the script by
// name: a work folder others could write to may already hold a planted option file or a link in place of the
// script, so it is refused, not repaired. (Windows: the user's profile folder's ACL does this job; nothing here.)
import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, statSync, type Stats } from 'node:fs';
import { ConfigError } from './errors';

const POSIX = process.platform !== 'win32';
const mode = (st: Stats) => `0${(st.mode & 0o777).toString(8)}`;

function ours(path: string, st: Stats, hint: string): void {
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid)
    throw new ConfigError(
      'not-private',
      `${path} belongs to another user (uid ${st.uid}): MeshBench keeps its files only in folders of yours.`,
      hint,
    );
}

/** Creates `dir` (0700) or tightens an existing folder of this user's to 0700: the data folder, the inbox. */
export function privateFolder(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!POSIX) return dir;
  const st = statSync(dir);
  ours(dir, st, 'Choose a data folder of your own (MESHBENCH_HOME).');
  if ((st.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
  return dir;
}

/**
 * Makes `path` readable by this user only: created empty with 0600 when `create` and missing, tightened to 0600
 * when it exists. The job store (before SQLite opens it: its -wal and -shm files take the database file's mode).
 */
export function privateFile(path: string, o: { create?: boolean } = {}): void {
  if (o.create && !existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  if (!POSIX || !existsSync(path)) return;
  const st = statSync(path);
  if ((st.mode & 0o777) !== 0o600) chmodSync(path, 0o600);
}

/**
 * A folder Gmsh runs in (staged input, generated scripts): created 0700; an existing one must be a real folder (not
 * a link) of this user's that nobody else can write to, else it is refused. Read or enter bits for others are
 * tightened, since they let nobody place a file.
 */
export function workFolder(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!POSIX) return dir;
  const st = lstatSync(dir);
  const hint = 'Remove it: MeshBench makes a private one.';
  if (!st.isDirectory())
    throw new ConfigError('not-private', `${dir} is a link, not a folder: Gmsh is not run in it.`, hint);
  ours(dir, st, hint);
  if (st.mode & 0o022)
    throw new ConfigError(
      'not-private',
      `${dir} can be written by other users (mode ${mode(st)}): a file placed there (an option file Gmsh would read beside its script, a link in place of the script) cannot be ruled out, so Gmsh is not run in it.`,
      hint,
    );
  if ((st.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
  return dir;
}
