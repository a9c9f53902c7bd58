// `npm run build`, then electron-builder's real packing step (--dir, Linux x64) on the staged app with this
// repository's electron-builder.yml, and the resulting resources folder inspected file by file.
// The Electron binary cannot be downloaded on this machine, so the unpacked Electron distribution handed to
// electron-builder holds a placeholder executable; nothing here starts Electron, and the staged better-sqlite3 is
// not rebuilt for Electron (that needs Electron's headers from the network; rebuild-isolation.test.ts covers it).
// What is checked is the layout electron-builder produces from our configuration.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findGmsh } from '../../src/gmsh/locate';
import { repoRoot, tmpHome } from '../helpers/paths';
import { attemptSpec } from '../helpers/attempt-spec';

const req = createRequire(join(repoRoot, 'package.json'));
const electronVersion: string = req('electron/package.json').version;
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
let project: string;
let resources: string;
let asarFiles: string[];
let build: ReturnType<typeof spawnSync>;

beforeAll(() => {
  build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, encoding: 'utf8', timeout: 600_000 });
  if (build.status !== 0) return;
  project = tmpHome('meshbench-pack-');
  copyFileSync(join(repoRoot, 'electron-builder.yml'), join(project, 'electron-builder.yml'));
  copyFileSync(join(repoRoot, 'package.json'), join(project, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(project, 'node_modules'), 'dir');
  // The bundled Gmsh, as `node scripts/fetch-gmsh.mjs --from-system` installs it.
  execFileSync(
    process.execPath,
    [join(repoRoot, 'scripts', 'fetch-gmsh.mjs'), '--from-system', '--dest', join(project, 'resources', 'gmsh')],
    { stdio: 'pipe' },
  );
  writeFileSync(join(project, 'resources', 'gmsh', '.gitignore'), '*\n');
  // The project's own demo parts.
  cpSync(join(repoRoot, 'resources', 'demo'), join(project, 'resources', 'demo'), { recursive: true });
  execFileSync(
    process.execPath,
    [join(repoRoot, 'scripts', 'dist.mjs'), '--stage-only', join(project, 'dist', 'app')],
    { cwd: repoRoot, stdio: 'pipe' },
  );
  const fakeElectron = join(project, 'electron-placeholder');
  mkdirSync(fakeElectron);
  // The placeholder carries a fuse wire as Electron's binary does (sentinel, version 1, 8 fuses at Electron's
  // defaults), so electron-builder's real fuse step flips it and the packed result can be read back.
  const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL), Buffer.from([1, 8]), Buffer.from('10110001', 'latin1')]);
  writeFileSync(
    join(fakeElectron, 'electron'),
    Buffer.concat([
      Buffer.from('#!/bin/sh\necho "placeholder: the Electron binary could not be downloaded here" >&2\nexit 1\n# '),
      wire,
      Buffer.from('\n'),
    ]),
    { mode: 0o755 },
  );
  writeFileSync(join(fakeElectron, 'version'), `v${electronVersion}`);
  execFileSync(
    join(repoRoot, 'node_modules', '.bin', 'electron-builder'),
    [
      '--projectDir',
      project,
      '--config',
      'electron-builder.yml',
      '--linux',
      '--x64',
      '--dir',
      `-c.electronDist=${fakeElectron}`,
    ],
    { cwd: project, stdio: 'pipe', timeout: 600_000 },
  );
  resources = join(project, 'dist', 'installers', 'linux-unpacked', 'resources');
  const asar = req('@electron/asar');
  asarFiles = asar.listPackage(join(resources, 'app.asar'), { isPack: false });
}, 900_000);
afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

const walk = (dir: string, base = dir): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name), base) : [join(dir, e.name).slice(base.length + 1)],
  );

describe('npm run build', () => {
  it('builds the engine bundles and the three Electron processes', () => {
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
    for (const f of [
      'out/main/index.js',
      'out/preload/index.js',
      'out/renderer/index.html',
      'out/engine/cli.cjs',
      'out/engine/attempt-runner.cjs',
    ])
      expect(existsSync(join(repoRoot, f)), f).toBe(true);
  });
});

describe('the packed Linux app (electron-builder --dir)', () => {
  beforeEach(() => {
    if (!resources) throw new Error('nothing was packed because `npm run build` failed (see the test above)');
  });

  it('has the app code and production dependencies in app.asar, no dev tools and no source maps', () => {
    for (const f of [
      '/package.json',
      '/out/main/index.js',
      '/out/preload/index.js',
      '/out/renderer/index.html',
      '/node_modules/@aws-sdk/client-s3/package.json',
    ])
      expect(asarFiles, f).toContain(f);
    expect(
      asarFiles.filter((f) => f.startsWith('/node_modules/electron/') || f.startsWith('/node_modules/vitest/')),
    ).toEqual([]);
    expect(asarFiles.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(existsSync(join(repoRoot, 'out', 'e2e', 'renderer', 'index.html'))).toBe(true);
    expect(asarFiles.filter((f) => f.startsWith('/out/e2e/'))).toEqual([]);
  });

  it('unpacks better-sqlite3 (with its .node, without its C sources) and every engine worker bundle', () => {
    const unpacked = walk(join(resources, 'app.asar.unpacked'));
    expect(unpacked).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(unpacked).toContain('node_modules/better-sqlite3/lib/index.js');
    expect(unpacked.filter((f) => f.includes('better-sqlite3/deps/') || f.includes('better-sqlite3/src/'))).toEqual([]);
    const engine = readdirSync(join(repoRoot, 'out', 'engine')).filter((f) => f.endsWith('.cjs'));
    expect(engine.length).toBeGreaterThan(0);
    for (const f of engine) expect(unpacked, f).toContain(`out/engine/${f}`);
  });

  it('carries the Gmsh binary under gmsh/linux-x64, found there by findGmsh and runnable', () => {
    const found = findGmsh({ resourcesPath: resources, env: { PATH: '' }, platform: 'linux', arch: 'x64' });
    expect(found).toEqual({ path: join(resources, 'gmsh', 'linux-x64', 'gmsh'), source: 'bundled' });
    expect(statSync(found.path).mode & 0o111).not.toBe(0);
    const run = spawnSync(found.path, ['--version'], { encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`.trim().split('\n').pop()).toBe('4.8.4');
    expect(existsSync(join(resources, 'gmsh', '.gitignore'))).toBe(false);
    expect(existsSync(join(resources, 'gmsh', 'linux-x64', '.gitignore'))).toBe(false);
  });

  it('meshes the packed demo part with the packed attempt runner (run from app.asar.unpacked) and the packed Gmsh', () => {
    const work = join(project, 'attempt');
    const part = join(resources, 'demo', 'bracket.step');
    mkdirSync(work);
    const spec = attemptSpec({ jobId: 'packed-layout' });
    writeFileSync(join(work, 'spec.json'), JSON.stringify(spec));
    const runner = join(resources, 'app.asar.unpacked', 'out', 'engine', 'attempt-runner.cjs');
    const r = spawnSync(
      process.execPath,
      [runner, '--spec', join(work, 'spec.json'), '--input', part, '--workdir', work],
      {
        encoding: 'utf8',
        timeout: 180_000,
        // Only the packed Gmsh is reachable: no MESHBENCH_GMSH, no gmsh on PATH.
        env: { PATH: dirname(process.execPath), MESHBENCH_GMSH: join(resources, 'gmsh', 'linux-x64', 'gmsh') },
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const result = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((m) => m.type === 'result');
    expect(result.outcome.status, JSON.stringify(result.outcome.error)).toBe('completed');
    expect(result.outcome.argv[0]).toBe(join(resources, 'gmsh', 'linux-x64', 'gmsh'));
    expect(result.outcome.elements.tetrahedra).toBeGreaterThan(100);
    expect(result.outcome.quality.sicn.min).toBeGreaterThan(0);
  });

  it('flips the Electron fuses of electron-builder.yml in the packed executable', async () => {
    const unpacked = join(resources, '..');
    const exe = readdirSync(unpacked)
      .map((f) => join(unpacked, f))
      .find((f) => statSync(f).isFile() && readFileSync(f).includes(FUSE_SENTINEL));
    expect(exe, 'the packed executable').toBeDefined();
    const { getCurrentFuseWire, FuseV1Options } = req('@electron/fuses') as typeof import('@electron/fuses');
    const FuseState = { DISABLE: '0'.charCodeAt(0), ENABLE: '1'.charCodeAt(0) }; // as Electron's binary stores them
    const fuses = await getCurrentFuseWire(exe!);
    const state = (o: number) => (fuses as unknown as Record<number, number>)[o];
    expect(state(FuseV1Options.RunAsNode)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(FuseState.DISABLE);
  });

  it('ships the demo parts', () => {
    expect(
      readdirSync(join(resources, 'demo')).filter((f) => /\.(step|stp|iges|igs|brep|stl)$/i.test(f)).length,
    ).toBeGreaterThan(0);
  });

  it('leaves the checkout with the Node build of better-sqlite3 the tests load', () => {
    const r = spawnSync(
      process.execPath,
      ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1 as x').get().x === 1 || process.exit(3)"],
      { cwd: repoRoot },
    );
    expect(r.status).toBe(0);
  });
});
