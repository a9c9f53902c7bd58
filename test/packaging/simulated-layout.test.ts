// findGmsh in a folder laid out like a packaged app's resources (process.resourcesPath), with a real,
// runnable Gmsh in it (this machine's, installed by scripts/fetch-gmsh.mjs --from-system).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findGmsh, platformDir } from '../../src/gmsh/locate';
import { repoRoot, tmpHome } from '../helpers/paths';

const sub = platformDir();
let resources: string;
let bundled: string;

beforeAll(() => {
  resources = join(tmpHome('meshbench-resources-'), 'resources');
  execFileSync(
    process.execPath,
    [join(repoRoot, 'scripts', 'fetch-gmsh.mjs'), '--from-system', '--dest', join(resources, 'gmsh')],
    { stdio: 'pipe' },
  );
  bundled = join(resources, 'gmsh', sub, 'gmsh');
});
afterAll(() => rmSync(join(resources, '..'), { recursive: true, force: true }));

describe('the Gmsh a packaged app resolves', () => {
  it('is the bundled copy under resourcesPath, ahead of PATH, and it runs', () => {
    const found = findGmsh({ resourcesPath: resources, env: { PATH: '/usr/bin:/bin' } });
    expect(found).toEqual({ path: bundled, source: 'bundled' });
    const run = spawnSync(found.path, ['--version'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    // Gmsh prints its version on stderr.
    expect(`${run.stdout}${run.stderr}`.trim().split('\n').pop()).toBe('4.8.4');
  });

  it('gives way to MESHBENCH_GMSH', () => {
    expect(findGmsh({ resourcesPath: resources, env: { MESHBENCH_GMSH: '/usr/bin/gmsh', PATH: '' } })).toEqual({
      path: '/usr/bin/gmsh',
      source: 'env',
    });
  });

  it('falls back to PATH when the packaged folder has no Gmsh for this platform', () => {
    const empty = join(resources, '..', 'empty-resources');
    mkdirSync(join(empty, 'gmsh', 'win32-x64'), { recursive: true });
    writeFileSync(join(empty, 'gmsh', 'win32-x64', 'gmsh.exe'), '');
    const found = findGmsh({ resourcesPath: empty, env: { PATH: '/usr/bin' } });
    // The checkout's own resources/gmsh may hold a fetched copy; either way it is not the other platform's binary.
    expect(found.path).not.toContain('win32-x64');
    expect(['path', 'bundled']).toContain(found.source);
  });

  it('skips a bundled file that is not executable', () => {
    const broken = join(resources, '..', 'broken-resources');
    mkdirSync(join(broken, 'gmsh', sub), { recursive: true });
    copyFileSync(bundled, join(broken, 'gmsh', sub, 'gmsh'));
    chmodSync(join(broken, 'gmsh', sub, 'gmsh'), 0o644);
    expect(findGmsh({ resourcesPath: broken, env: { PATH: '/usr/bin' } }).path).not.toBe(
      join(broken, 'gmsh', sub, 'gmsh'),
    );
  });

  it('looks for gmsh.exe in win32-<arch> on Windows', () => {
    const win = join(resources, '..', 'win-resources');
    mkdirSync(join(win, 'gmsh', 'win32-x64'), { recursive: true });
    copyFileSync(bundled, join(win, 'gmsh', 'win32-x64', 'gmsh.exe'));
    chmodSync(join(win, 'gmsh', 'win32-x64', 'gmsh.exe'), 0o755);
    expect(findGmsh({ resourcesPath: win, env: { PATH: '' }, platform: 'win32', arch: 'x64' })).toEqual({
      path: join(win, 'gmsh', 'win32-x64', 'gmsh.exe'),
      source: 'bundled',
    });
  });
});
