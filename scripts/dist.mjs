#!/usr/bin/env node
// `npm run dist`: desktop installers with electron-builder (config: electron-builder.yml).
//
//   node scripts/dist.mjs [--linux|--win|--mac] [--x64|--arm64] [--dir] [--skip-build] [--electron-dist DIR] [--no-rebuild]
//   node scripts/dist.mjs --stage-only DIR
//
// 1. Preflight: the Electron binary for each target (an unpacked dist, the download cache, or a reachable
//    download host) and the bundled Gmsh (resources/gmsh/<platform>-<arch>/). Anything missing is reported
//    at once, with what to do, and the script exits 1 before doing any work.
// 2. `npm run build` (engine bundles + electron-vite).
// 3. Stage dist/app: package.json (production fields), out/ (without the e2e build), and a copy of the production node_modules.
//    better-sqlite3 is rebuilt for Electron there (scripts/rebuild-native.cjs), so the checkout keeps its Node build.
// 4. electron-builder; afterwards the checkout's better-sqlite3 is loaded once in Node to prove it is untouched.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stageDir = join(repo, 'dist', 'app');
const PLATFORM_FLAGS = { '--linux': 'linux', '--win': 'win32', '--mac': 'darwin' };
const BUILDER_PLATFORM = { linux: '--linux', win32: '--win', darwin: '--mac' };

class DistError extends Error {}

function parseArgs(argv) {
  const o = {
    platforms: [],
    archs: [],
    dir: false,
    skipBuild: false,
    electronDist: process.env.MESHBENCH_ELECTRON_DIST ?? null,
    rebuild: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (PLATFORM_FLAGS[a]) o.platforms.push(PLATFORM_FLAGS[a]);
    else if (a === '--x64' || a === '--arm64') o.archs.push(a.slice(2));
    else if (a === '--dir') o.dir = true;
    else if (a === '--skip-build') o.skipBuild = true;
    else if (a === '--no-rebuild') o.rebuild = false;
    else if (a === '--electron-dist') o.electronDist = resolve(argv[++i] ?? '');
    // Only stage the app (into DIR) and stop: what the packaging tests inspect.
    else if (a === '--stage-only') o.stageOnly = resolve(argv[++i] ?? stageDir);
    else throw new DistError(`unknown option ${a}`);
  }
  if (!o.platforms.length) o.platforms.push(process.platform);
  return o;
}

/** The archs electron-builder will build for a platform: the command line's, else the config's targets, else the host's. */
async function targetArchs(o, platform) {
  if (o.archs.length) return o.archs;
  // js-yaml comes with electron-builder; its config loader would also print a log line.
  const config = createRequire(join(repo, 'package.json'))('js-yaml').load(
    readFileSync(join(repo, 'electron-builder.yml'), 'utf8'),
  );
  const section = config[{ linux: 'linux', win32: 'win', darwin: 'mac' }[platform]] ?? {};
  const declared = [
    ...new Set((section.target ?? []).flatMap((t) => (typeof t === 'object' && t.arch ? [t.arch].flat() : []))),
  ];
  return declared.length ? declared : [platform === process.platform ? process.arch : 'x64'];
}

const electronVersion = () =>
  JSON.parse(readFileSync(join(repo, 'node_modules', 'electron', 'package.json'), 'utf8')).version;

/** Download caches where @electron/get and electron-builder keep Electron zips. */
function electronCaches() {
  const home = homedir();
  const dirs = [process.env.electron_config_cache, process.env.ELECTRON_CACHE, process.env.ELECTRON_BUILDER_CACHE];
  if (process.platform === 'darwin')
    dirs.push(join(home, 'Library', 'Caches', 'electron'), join(home, 'Library', 'Caches', 'electron-builder'));
  else if (process.platform === 'win32')
    dirs.push(
      join(process.env.LOCALAPPDATA ?? home, 'electron', 'Cache'),
      join(process.env.LOCALAPPDATA ?? home, 'electron-builder', 'Cache'),
    );
  else
    dirs.push(
      join(process.env.XDG_CACHE_HOME ?? join(home, '.cache'), 'electron'),
      join(process.env.XDG_CACHE_HOME ?? join(home, '.cache'), 'electron-builder'),
    );
  return dirs.filter(Boolean);
}

function findFile(dir, name, depth = 3) {
  if (depth < 0 || !existsSync(dir)) return null;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isFile() && e.name === name) return p;
    if (e.isDirectory()) {
      const hit = findFile(p, name, depth - 1);
      if (hit) return hit;
    }
  }
  return null;
}

async function reachable(url) {
  try {
    const res = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(8000) });
    return res.status < 400;
  } catch {
    return false;
  }
}

/** Where the Electron binary for one target will come from, or why there is none. */
async function electronSource(o, platform, arch, version) {
  if (o.electronDist) {
    if (!existsSync(o.electronDist)) return { missing: `--electron-dist ${o.electronDist} does not exist` };
    return { source: o.electronDist, kind: 'electronDist' };
  }
  const local = join(repo, 'node_modules', 'electron', 'dist');
  if (platform === process.platform && arch === process.arch && existsSync(join(local, 'version')))
    return { source: local, kind: 'electronDist' };
  const zip = `electron-v${version}-${platform}-${arch}.zip`;
  for (const dir of electronCaches()) {
    const hit = findFile(dir, zip);
    if (hit) return { source: hit, kind: 'cache' };
  }
  const mirror = process.env.ELECTRON_MIRROR ?? 'https://github.com/electron/electron/releases/download/';
  const url = `${mirror.replace(/\/?$/, '/')}v${version}/${zip}`;
  if (await reachable(url)) return { source: url, kind: 'download' };
  return {
    missing:
      `the Electron ${version} binary for ${platform}-${arch} (${zip}) is not available: node_modules/electron/dist was not ` +
      `downloaded (npm install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1), it is not in the Electron download cache ` +
      `(${electronCaches().join(', ')}), and ${new URL(url).host} cannot be reached to download it.`,
  };
}

function gmshResource(platform, arch) {
  const dir = join(repo, 'resources', 'gmsh', `${platform}-${arch}`);
  const exe = join(dir, platform === 'win32' ? 'gmsh.exe' : 'gmsh');
  if (existsSync(exe)) return { ok: true, exe };
  return {
    missing: `no bundled Gmsh for ${platform}-${arch}: ${relative(repo, exe)} does not exist.`,
    fix: `node scripts/fetch-gmsh.mjs --platform ${platform} --arch ${arch}${platform === 'linux' && process.platform === 'linux' ? '   (or --from-system on Debian/Ubuntu)' : ''}`,
  };
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit', shell: process.platform === 'win32', ...opts });
  if (r.status !== 0) throw new DistError(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** The project's homepage (the deb package requires one): package.json, else the GitHub repository CI builds. */
function homepageOf(pkg) {
  if (pkg.homepage) return pkg.homepage;
  const repoUrl = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (repoUrl) return repoUrl.replace(/^git\+/, '').replace(/\.git$/, '');
  if (process.env.GITHUB_REPOSITORY)
    return `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${process.env.GITHUB_REPOSITORY}`;
  return undefined;
}

/** dist/app: what the packaged app contains, with production dependencies copied from the checkout. */
export function stageApp(to = stageDir) {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  if (!existsSync(join(repo, pkg.main)))
    throw new DistError(`${pkg.main} is missing: run \`npm run build\` first (or drop --skip-build).`);
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  const appPkg = {
    name: pkg.name,
    productName: 'MeshBench',
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    author: pkg.author ?? { name: 'MeshBench contributors', email: 'meshbench@users.noreply.github.com' },
    homepage: homepageOf(pkg),
    main: pkg.main,
    dependencies: pkg.dependencies,
  };
  writeFileSync(join(to, 'package.json'), `${JSON.stringify(appPkg, null, 2)}\n`);
  // out/e2e is the browser tests' build, with test-only DOM state: it never ships.
  const e2eBuild = join(repo, 'out', 'e2e');
  cpSync(join(repo, 'out'), join(to, 'out'), { recursive: true, filter: (src) => src !== e2eBuild });
  // npm knows exactly which installed folders are production dependencies (nested ones included).
  const ls = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: repo,
    encoding: 'utf8',
    shell: process.platform === 'win32',
    maxBuffer: 64 << 20,
  });
  const dirs = ls.stdout.split(/\r?\n/).filter((d) => d && resolve(d) !== repo);
  if (!dirs.length) throw new DistError(`npm ls found no production dependencies: ${ls.stderr.trim()}`);
  for (const d of dirs) {
    const rel = relative(repo, d);
    if (!rel.startsWith('node_modules')) continue;
    // Copy the package without its own nested node_modules: those are listed (and copied) separately.
    cpSync(d, join(to, rel), { recursive: true, filter: (src) => !relative(d, src).startsWith('node_modules') });
  }
  return { dir: to, packages: dirs.length };
}

/** The checkout's better-sqlite3 must still be the Node build the tests use. */
function checkNodeBuild() {
  const r = spawnSync(
    process.execPath,
    ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"],
    { cwd: repo, encoding: 'utf8' },
  );
  return r.status === 0
    ? null
    : (r.stderr
        .trim()
        .split('\n')
        .find((l) => /Error|NODE_MODULE_VERSION/.test(l)) ?? `exit ${r.status}`);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.stageOnly) {
    const staged = stageApp(o.stageOnly);
    return console.log(`dist: staged ${staged.dir} (${staged.packages} production packages)`);
  }
  const version = electronVersion();
  const problems = [];
  const targets = [];
  for (const platform of o.platforms)
    for (const arch of await targetArchs(o, platform)) {
      const e = await electronSource(o, platform, arch, version);
      if (e.missing)
        problems.push({
          missing: e.missing,
          fix: 'build on a machine that can reach github.com (CI: .github/workflows/release.yml), put the zip into the Electron cache, set ELECTRON_MIRROR, or pass --electron-dist DIR (an unpacked Electron of that version).',
        });
      else targets.push({ platform, arch, electron: e });
      const g = gmshResource(platform, arch);
      if (g.missing) problems.push(g);
    }
  if (
    o.platforms.includes('linux') &&
    !o.dir &&
    !homepageOf(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')))
  )
    problems.push({
      missing: 'a project homepage: the deb package requires one.',
      fix: 'add "homepage" (or "repository") to package.json.',
    });
  if (problems.length) {
    console.error('npm run dist: cannot build the installers here.');
    for (const p of problems) console.error(`  - missing: ${p.missing}\n    fix: ${p.fix}`);
    process.exit(1);
  }

  if (!o.skipBuild) sh('npm', ['run', 'build']);
  const staged = stageApp();
  console.log(`dist: staged ${relative(repo, staged.dir)} (${staged.packages} production packages)`);

  const builder = join(
    repo,
    'node_modules',
    '.bin',
    process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder',
  );
  const require = createRequire(import.meta.url);
  const { rebuildNative } = require('./rebuild-native.cjs');
  let failed = null;
  try {
    // One electron-builder run per target arch: the staged better-sqlite3 is rebuilt for each in turn.
    for (const t of targets) {
      if (o.rebuild) {
        try {
          await rebuildNative({ appDir: stageDir, electronVersion: version, platform: t.platform, arch: t.arch });
        } catch (e) {
          const first =
            String(e?.message ?? e)
              .split('\n')
              .find((l) => l.trim()) ?? 'unknown error';
          throw new DistError(
            `rebuilding better-sqlite3 for Electron ${version} (${t.platform}-${t.arch}) failed: ${first}. It needs Electron's headers or a prebuilt binary from the network.`,
          );
        }
      } else
        console.warn(
          `dist: --no-rebuild: the ${t.platform}-${t.arch} app keeps the Node build of better-sqlite3 and will not open its job store`,
        );
      const args = [
        '--config',
        'electron-builder.yml',
        '--publish',
        'never',
        BUILDER_PLATFORM[t.platform],
        `--${t.arch}`,
      ];
      if (o.dir) args.push('--dir');
      if (t.electron.kind === 'electronDist') args.push(`-c.electronDist=${t.electron.source}`);
      sh(builder, args);
    }
  } catch (e) {
    failed = e;
  }
  const broken = checkNodeBuild();
  if (broken)
    console.error(
      `dist: WARNING: the checkout's better-sqlite3 no longer loads in Node (${broken}); run \`npm rebuild better-sqlite3\`.`,
    );
  if (failed) throw failed;
  const outDir = join(repo, 'dist', 'installers');
  const made = existsSync(outDir) ? readdirSync(outDir).filter((f) => statSync(join(outDir, f)).isFile()) : [];
  console.log(`dist: done; ${relative(repo, outDir)}: ${made.join(', ') || '(unpacked app only)'}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    if (!(e instanceof DistError)) throw e;
    console.error(`npm run dist: ${e.message}`);
    process.exit(1);
  });
}
