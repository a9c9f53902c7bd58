// `npm run dist` where the Electron binary cannot be had (this machine): a clear list of what is missing and
// exit 1, no stack trace, and the checkout's Node build of better-sqlite3 left alone.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';

const electronInstalled = existsSync(join(repoRoot, 'node_modules', 'electron', 'dist', 'version'));

describe('npm run dist without the Electron binary', () => {
  it.skipIf(electronInstalled)(
    'names the missing Electron binary and ELECTRON_SKIP_BINARY_DOWNLOAD, exits 1 without a stack trace',
    () => {
      const r = spawnSync('npm', ['run', '--silent', 'dist'], {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/' },
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('npm run dist: cannot build the installers here.');
      expect(r.stderr).toMatch(/missing: the Electron \d+\.\d+\.\d+ binary for linux-x64/);
      expect(r.stderr).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
      expect(r.stderr).toContain('fix:');
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      // Preflight stops before building or staging anything.
      expect(r.stdout).not.toContain('dist: staged');
      const sqlite = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:')"], {
        cwd: repoRoot,
      });
      expect(sqlite.status).toBe(0);
    },
  );
});
