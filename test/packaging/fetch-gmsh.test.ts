// scripts/fetch-gmsh.mjs: the distribution path for real, and the SDK path's checksum pinning with local
// archives laid out like the official SDK (bin/gmsh, lib/) around this machine's real Gmsh executable.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformDir } from '../../src/gmsh/locate';
import { repoRoot, tmpHome } from '../helpers/paths';

const script = join(repoRoot, 'scripts', 'fetch-gmsh.mjs');
const key = platformDir();
let tmp: string;
let archive: string;
let archiveSha: string;

const fetchGmsh = (...args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 120_000 });
const manifest = (sha256: string | null) => {
  const f = join(tmp, `manifest-${sha256 ?? 'null'}.json`);
  writeFileSync(
    f,
    JSON.stringify({ [key]: { url: 'https://gmsh.info/bin/Linux/gmsh-4.8.4-Linux64-sdk.tgz', sha256 } }),
  );
  return f;
};
const version = (exe: string) => {
  const r = spawnSync(exe, ['--version'], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.trim().split('\n').pop();
};

beforeAll(() => {
  tmp = tmpHome('meshbench-fetch-gmsh-');
  const sdk = join(tmp, 'src', 'gmsh-4.8.4-Linux64-sdk');
  mkdirSync(join(sdk, 'bin'), { recursive: true });
  mkdirSync(join(sdk, 'lib'), { recursive: true });
  copyFileSync('/usr/bin/gmsh', join(sdk, 'bin', 'gmsh'));
  writeFileSync(join(sdk, 'lib', 'gmsh.py'), '# the SDK ships its API beside the library\n');
  archive = join(tmp, 'gmsh-4.8.4-Linux64-sdk.tgz');
  execFileSync('tar', ['-czf', archive, '-C', join(tmp, 'src'), 'gmsh-4.8.4-Linux64-sdk']);
  archiveSha = createHash('sha256').update(readFileSync(archive)).digest('hex');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('fetch-gmsh --from-system', () => {
  it("copies the distribution's gmsh into <dest>/<platform>-<arch> and records where it came from", () => {
    const dest = join(tmp, 'system');
    const r = fetchGmsh('--from-system', '--dest', dest);
    expect(r.status, r.stderr).toBe(0);
    const exe = join(dest, key, 'gmsh');
    expect(statSync(exe).mode & 0o111).not.toBe(0);
    expect(version(exe)).toBe('4.8.4');
    const source = JSON.parse(readFileSync(join(dest, key, 'SOURCE.json'), 'utf8'));
    expect(source).toMatchObject({
      source: 'distribution package',
      version: '4.8.4',
      from: '/usr/bin/gmsh',
      package: 'gmsh',
    });
    expect(source.sharedLibraries).toContain('libgmsh.so.4.8');
  });
});

describe('fetch-gmsh SDK archive checksum pinning', () => {
  it('installs an archive whose sha256 matches the pinned value, executable first, libraries in lib/', () => {
    const dest = join(tmp, 'pinned');
    const r = fetchGmsh('--archive', archive, '--manifest', manifest(archiveSha), '--dest', dest);
    expect(r.status, r.stderr).toBe(0);
    expect(version(join(dest, key, 'gmsh'))).toBe('4.8.4');
    expect(existsSync(join(dest, key, 'lib', 'gmsh.py'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dest, key, 'SOURCE.json'), 'utf8'))).toMatchObject({
      source: 'gmsh.info SDK',
      archiveSha256: archiveSha,
    });
  });

  it('refuses an archive whose sha256 differs from the pinned value and installs nothing', () => {
    const dest = join(tmp, 'mismatch');
    const wrong = createHash('sha256').update('not the archive').digest('hex');
    const r = fetchGmsh('--archive', archive, '--manifest', manifest(wrong), '--dest', dest);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`sha256 ${archiveSha} does not match the pinned ${wrong}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dest, key))).toBe(false);
  });

  it('refuses an archive when no checksum is pinned, and says which value the file has', () => {
    const dest = join(tmp, 'unpinned');
    const r = fetchGmsh('--archive', archive, '--manifest', manifest(null), '--dest', dest);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no sha256 is pinned');
    expect(r.stderr).toContain(archiveSha);
    expect(existsSync(join(dest, key))).toBe(false);
  });

  it('with the shipped table (4.8.4 checksums not yet pinned) refuses before downloading', () => {
    const r = fetchGmsh('--dest', join(tmp, 'shipped'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no sha256 is pinned for the Gmsh 4.8.4');
    expect(r.stderr).not.toContain('downloading');
    expect(r.stdout).not.toContain('downloading');
  });

  it('rejects a file that is not an SDK archive, naming it', () => {
    const bogus = join(tmp, 'bogus.tgz');
    writeFileSync(bogus, 'not a tarball');
    const sha = createHash('sha256').update('not a tarball').digest('hex');
    const r = fetchGmsh('--archive', bogus, '--manifest', manifest(sha), '--dest', join(tmp, 'bogus'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('fetch-gmsh: tar -xzf');
    expect(r.stderr).toContain('bogus.tgz');
  });
});

describe('fetch-gmsh --pin and the release gate', () => {
  const lockCopy = (name: string) => {
    const f = join(tmp, `${name}.lock.json`);
    copyFileSync(join(repoRoot, 'scripts', 'gmsh-sdk.lock.json'), f);
    return f;
  };

  it('the committed lock file pins nothing yet, so the release gate refuses every platform', () => {
    const r = fetchGmsh('--require-pinned', 'linux-x64', 'win32-x64', 'darwin-x64', 'darwin-arm64');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'no sha256 pinned in gmsh-sdk.lock.json for linux-x64, win32-x64, darwin-x64, darwin-arm64',
    );
    expect(r.stderr).toContain('--pin');
  });

  it('--pin records a checked SDK archive in the lock file; then the gate passes and the archive installs', () => {
    const lock = lockCopy('pin');
    const r = fetchGmsh('--pin', '--archive', archive, '--lock', lock, '--platform', 'linux', '--arch', 'x64');
    expect(r.status, r.stderr).toBe(0);
    const written = JSON.parse(readFileSync(lock, 'utf8'));
    expect(written.archives['linux-x64'].sha256).toBe(archiveSha);
    expect(written.archives['win32-x64'].sha256).toBeNull();
    expect(fetchGmsh('--require-pinned', 'linux-x64', '--lock', lock).status).toBe(0);
    expect(fetchGmsh('--require-pinned', 'linux-x64', 'win32-x64', '--lock', lock).status).toBe(1);
    if (key === 'linux-x64') {
      const dest = join(tmp, 'from-lock');
      const i = fetchGmsh('--archive', archive, '--lock', lock, '--dest', dest);
      expect(i.status, i.stderr).toBe(0);
      expect(version(join(dest, key, 'gmsh'))).toBe('4.8.4');
    }
  });

  it('--pin will not silently replace a different pin, nor pin a file that is not an SDK', () => {
    const lock = lockCopy('repin');
    expect(
      fetchGmsh('--pin', '--archive', archive, '--lock', lock, '--platform', 'linux', '--arch', 'x64').status,
    ).toBe(0);
    const other = join(tmp, 'other-sdk.tgz');
    execFileSync('tar', [
      '-czf',
      other,
      '-C',
      join(tmp, 'src'),
      'gmsh-4.8.4-Linux64-sdk',
      '--transform',
      's,^gmsh-4.8.4-Linux64-sdk,gmsh-4.8.4-Linux64-sdk-b,',
    ]);
    const r = fetchGmsh('--pin', '--archive', other, '--lock', lock, '--platform', 'linux', '--arch', 'x64');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`already pinned to ${archiveSha}`);
    const bogus = join(tmp, 'not-sdk.tgz');
    execFileSync('tar', ['-czf', bogus, '-C', tmp, 'manifest-null.json']);
    const b = fetchGmsh(
      '--pin',
      '--archive',
      bogus,
      '--lock',
      lockCopy('bogus'),
      '--platform',
      'linux',
      '--arch',
      'x64',
    );
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/no bin\/gmsh inside; is it a Gmsh SDK archive\? Not pinned/);
  });
});
