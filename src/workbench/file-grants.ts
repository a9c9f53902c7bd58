// Files the page may name: those the user picked in the native dialog or dropped/uploaded (importFile) in this
// session, plus the recent files and job inputs already in the store (picked before). Anything else is refused,
// so a compromised page cannot make the engine read an arbitrary file.
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { privateFile, privateFolder } from '../util/private-fs';
import { readSetting, setting, writeSetting, type SettingsStore } from '../util/settings';
import { WorkbenchError } from './errors';

const RECENT = setting('desktop.recentFiles', (z) => z.array(z.string()));
const RECENT_KEPT = 20;

export interface FileGrants {
  /** Grants `path` for this session (picked in the native dialog); returns it. */
  grant(path: string): string;
  /** The resolved path if the user picked it (now or before), else a `not-picked` refusal. */
  require(path: string): string;
  /** A dropped or uploaded file, stored in the data folder's inbox and granted. */
  importFile(name: string, data: Uint8Array): string;
  /** Recently opened files that still exist, newest first. */
  recent(): string[];
  remember(path: string): void;
}

export function fileGrants(o: {
  settings: SettingsStore;
  home: string;
  /** Whether a job in the store has this input (picked before). */
  isJobInput: (path: string) => boolean;
}): FileGrants {
  const granted = new Set<string>();
  const recent = () => readSetting(o.settings, RECENT) ?? [];
  const grant = (p: string) => {
    granted.add(resolve(p));
    return p;
  };
  return {
    grant,
    require(p) {
      const r = resolve(p);
      if (granted.has(r) || recent().includes(r) || o.isJobInput(r)) return r;
      throw new WorkbenchError(
        'not-picked',
        `${r}: MeshBench reads only files you pick or drop, and this one was not.`,
        'Open the part with Open… or drop it on the window.',
      );
    },
    importFile(name, data) {
      if (data.byteLength === 0)
        throw new WorkbenchError(
          'input-empty',
          `${name} is empty (0 bytes).`,
          'Export the part again from your CAD tool.',
        );
      // Content-addressed inbox folder, original file name kept so jobs and the log still say what the part is.
      const digest = createHash('sha256').update(data).digest('hex').slice(0, 16);
      const dir = join(o.home, 'inbox', digest);
      const path = join(dir, name);
      privateFolder(join(o.home, 'inbox'));
      privateFolder(dir);
      if (!existsSync(path)) writeFileSync(path, data, { mode: 0o600 });
      privateFile(path); // and one an older version left readable
      return grant(path);
    },
    recent: () => recent().filter((p) => existsSync(p)),
    remember(path) {
      writeSetting(o.settings, RECENT, [path, ...recent().filter((p) => p !== path)].slice(0, RECENT_KEPT));
    },
  };
}
