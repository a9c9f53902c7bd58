// The rebuild of better-sqlite3 for Electron (scripts/rebuild-native.cjs, run by `npm run dist`) works on the
// staged app only. The stage sits inside a project whose node_modules are the checkout's (a link), as dist/app
// sits inside the checkout: @electron/rebuild's upward walk must not reach them. Here the rebuild cannot finish
// (Electron's headers and prebuilt binaries are on the network); where it can, the staged module must come out
// built for Electron's ABI. Either way the checkout's binary stays byte-identical and still loads in Node.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, tmpHome } from '../helpers/paths';

const req = createRequire(join(repoRoot, 'package.json'));
const release = join(repoRoot, 'node_modules', 'better-sqlite3', 'build', 'Release');
const md5 = (f: string) => createHash('md5').update(readFileSync(f)).digest('hex');
const project = tmpHome('meshbench-rebuild-');
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('better-sqlite3 rebuilt for Electron at packaging time', () => {
  it('rebuilds the staged copy only, and leaves the checkout with its Node build', () => {
    const before = md5(join(release, 'better_sqlite3.node'));
    const hadMeta = existsSync(join(release, '.forge-meta'));
    symlinkSync(join(repoRoot, 'node_modules'), join(project, 'node_modules'), 'dir');
    const app = join(project, 'dist', 'app');
    mkdirSync(join(project, 'dist'));
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'dist.mjs'), '--stage-only', app], {
      cwd: repoRoot,
      stdio: 'pipe',
    });
    const electronVersion: string = req('electron/package.json').version;
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(join(repoRoot, 'scripts', 'rebuild-native.cjs'))}).rebuildNative({ appDir: ${JSON.stringify(app)}, electronVersion: '${electronVersion}', platform: process.platform, arch: process.arch }).then((r) => console.log('REBUILT', r.abi), (e) => { console.log('FAILED', e.message.split('\\n')[0]); process.exit(1); })`,
      ],
      { cwd: project, encoding: 'utf8', timeout: 900_000 },
    );
    const out = `${r.stdout}\n${r.stderr}`;
    expect(out).toContain(`rebuild-native: rebuilding native modules in ${app} for Electron ${electronVersion}`);
    // Never a module compiled against the host Node's headers and labelled as Electron's.
    expect(out).not.toMatch(/is built for NODE_MODULE_VERSION/);
    if (r.status === 0) {
      const abi = Number(req('node-abi').getAbi(electronVersion, 'electron'));
      expect(out).toContain(`REBUILT ${abi}`);
      const { abiOf } = req(join(repoRoot, 'scripts', 'rebuild-native.cjs'));
      expect(abiOf(join(app, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(abi);
    } else {
      expect(out).toMatch(/FAILED .*better-sqlite3|FAILED .*node-gyp|FAILED .*rebuild/);
      expect(out).toContain(join(app, 'node_modules', 'better-sqlite3'));
    }
    // The checkout: same bytes, no rebuild marker left behind, still loads in Node.
    expect(md5(join(release, 'better_sqlite3.node'))).toBe(before);
    expect(existsSync(join(release, '.forge-meta'))).toBe(hadMeta);
    const load = spawnSync(
      process.execPath,
      ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"],
      { cwd: repoRoot },
    );
    expect(load.status).toBe(0);
  }, 900_000);
});
