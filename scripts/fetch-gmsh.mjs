#!/usr/bin/env node
// Puts a Gmsh executable into resources/gmsh/<platform>-<arch>/, where the packaged app (extraResources) and
// the checkout (src/gmsh/locate.ts) look for the bundled copy.
//
//   node scripts/fetch-gmsh.mjs [--platform linux|win32|darwin] [--arch x64|arm64] [--archive FILE] [--force]
//   node scripts/fetch-gmsh.mjs --from-system        (Debian/Ubuntu: the distribution's gmsh, installed if missing)
//   node scripts/fetch-gmsh.mjs --pin [--platform P --arch A] [--archive FILE]   (on a trusted machine: record it)
//   node scripts/fetch-gmsh.mjs --require-pinned KEY...   (the release workflow: every KEY must be pinned)
//
// The official SDK archive is only installed when its sha256 matches the value pinned in the committed lock file
// (scripts/gmsh-sdk.lock.json): an archive whose checksum is not pinned is refused, never installed "just this once".
// `--pin` downloads the archive (or takes --archive), checks it is a Gmsh SDK, and writes its sha256 into the lock
// file for review and commit.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const GMSH_VERSION = '4.8.4';

// Official Gmsh SDK archives, keyed by Node's <platform>-<arch>, with their pinned sha256 (null: not verified yet,
// which makes the script refuse that archive). Gmsh 4.8.4 has no Apple-silicon build: darwin-arm64 uses the x86_64
// SDK (runs under Rosetta 2).
export const LOCK_FILE = join(repo, 'scripts', 'gmsh-sdk.lock.json');
const readLock = (file) => JSON.parse(readFileSync(file, 'utf8'));
export const GMSH_SDK = readLock(LOCK_FILE).archives;

class FetchError extends Error {}
const fail = (msg) => {
  throw new FetchError(msg);
};

function parseArgs(argv) {
  const o = {
    platform: process.platform,
    arch: process.arch,
    fromSystem: false,
    force: false,
    archive: null,
    manifest: null,
    dest: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => argv[++i] ?? fail(`${a} needs a value`);
    if (a === '--platform') o.platform = val();
    else if (a === '--arch') o.arch = val();
    else if (a === '--from-system') o.fromSystem = true;
    else if (a === '--force') o.force = true;
    else if (a === '--archive') o.archive = resolve(val());
    // Another lock file (same shape as scripts/gmsh-sdk.lock.json; tests pin local archives in one).
    else if (a === '--lock' || a === '--manifest') o.manifest = resolve(val());
    else if (a === '--pin') o.pin = true;
    else if (a === '--require-pinned') {
      o.requirePinned = [];
      while (argv[i + 1] && !argv[i + 1].startsWith('--')) o.requirePinned.push(argv[++i]);
      if (!o.requirePinned.length) fail('--require-pinned needs at least one <platform>-<arch>');
    }
    // Where resources/gmsh lives (default: this checkout's).
    else if (a === '--dest') o.dest = resolve(val());
    else if (a === '-h' || a === '--help') o.help = true;
    else fail(`unknown option ${a}`);
  }
  return o;
}

const exeName = (platform) => (platform === 'win32' ? 'gmsh.exe' : 'gmsh');

async function sha256File(file) {
  const h = createHash('sha256');
  await pipeline(createReadStream(file), h);
  return h.digest('hex');
}

async function download(url, file) {
  let res;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  } catch (e) {
    fail(
      `cannot download ${url}: ${e.cause?.code ?? e.message}. Without internet, download it elsewhere and pass --archive FILE, or use --from-system on Debian/Ubuntu.`,
    );
  }
  if (!res.ok) fail(`cannot download ${url}: HTTP ${res.status}`);
  await pipeline(Readable.fromWeb(res.body), createWriteStream(file));
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) fail(`${cmd} could not be started: ${r.error.code ?? r.error.message}`);
  if (r.status !== 0)
    fail(
      `${cmd} ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' | ')}`,
    );
  return r.stdout;
}

function extract(archive, into) {
  if (/\.zip$/i.test(archive)) {
    // bsdtar (macOS, Windows 10+) reads zip; GNU tar does not, so prefer unzip where it exists.
    const unzip = spawnSync('unzip', ['-v'], { stdio: 'ignore' });
    if (!unzip.error) run('unzip', ['-q', archive, '-d', into]);
    else run('tar', ['-xf', archive, '-C', into]);
  } else {
    run('tar', ['-xzf', archive, '-C', into]);
  }
}

/** Finds the SDK's top folder (the one holding bin/gmsh[.exe]) inside an extracted archive. */
function findSdkRoot(dir, exe) {
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    if (existsSync(join(d, 'bin', exe))) return d;
    for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) stack.push(join(d, e.name));
  }
  return null;
}

function copyDir(from, to) {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const s = join(from, e.name);
    const d = join(to, e.name);
    if (e.isDirectory()) copyDir(s, d);
    else copyFileSync(realpathSync(s), d);
  }
}

/** Runs the installed executable when it is for this machine, so a broken copy is caught here, not at the first job. */
function probeVersion(exePath, platform, arch) {
  if (platform !== process.platform || arch !== process.arch) return null;
  const r = spawnSync(exePath, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0 || !/^\d+\.\d+\.\d+/.test(out))
    fail(`the installed ${exePath} does not run here: ${r.error?.code ?? out.split('\n').pop() ?? `exit ${r.status}`}`);
  return out.split('\n').pop().trim();
}

/** Entries of a lock file: its `archives`, or (older test manifests) the table itself. */
function lockTable(file) {
  const j = readLock(file);
  return j.archives ?? j;
}

/** Downloads (or takes) the archive, checks it holds a Gmsh SDK, and records its sha256 in the lock file. */
export async function pinSdk(o) {
  const key = `${o.platform}-${o.arch}`;
  const file = o.manifest ?? LOCK_FILE;
  const lock = readLock(file);
  const table = lock.archives ?? lock;
  const entry =
    table[key] ??
    fail(`no Gmsh ${GMSH_VERSION} SDK is known for ${key} in ${file} (known: ${Object.keys(table).join(', ')})`);
  const work = mkdtempSync(join(tmpdir(), 'meshbench-gmsh-pin-'));
  try {
    let archive = o.archive;
    if (!archive) {
      archive = join(work, basename(new URL(entry.url).pathname));
      console.log(`fetch-gmsh: downloading ${entry.url} to pin it`);
      await download(entry.url, archive);
    } else if (!existsSync(archive) || !statSync(archive).isFile()) {
      fail(`${archive}: no such archive file`);
    }
    const actual = await sha256File(archive);
    const unpacked = join(work, 'x');
    mkdirSync(unpacked);
    extract(archive, unpacked);
    if (!findSdkRoot(unpacked, exeName(o.platform)))
      fail(`${archive}: no bin/${exeName(o.platform)} inside; is it a Gmsh SDK archive? Not pinned.`);
    if (entry.sha256 && entry.sha256 !== actual && !o.force)
      fail(
        `${key} is already pinned to ${entry.sha256}, but ${archive} has sha256 ${actual}; not changing the pin (--force to replace it after checking why).`,
      );
    table[key] = { ...entry, sha256: actual, pinnedAt: new Date().toISOString().slice(0, 10) };
    writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
    console.log(`fetch-gmsh: pinned ${key} = ${actual} in ${file}; review and commit it`);
    return { key, sha256: actual };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The release gate: every listed archive must have a pinned sha256. */
export function requirePinned(keys, file = LOCK_FILE) {
  const table = lockTable(file);
  const missing = keys.filter((k) => !table[k]?.sha256);
  if (missing.length)
    fail(
      `no sha256 pinned in ${basename(file)} for ${missing.join(', ')}: the release will not bundle an unverified Gmsh. On a trusted machine run \`node scripts/fetch-gmsh.mjs --pin --platform <p> --arch <a>\` and commit the lock file.`,
    );
  console.log(`fetch-gmsh: pinned: ${keys.map((k) => `${k} ${table[k].sha256.slice(0, 12)}…`).join(', ')}`);
}

export async function installSdk(o) {
  const key = `${o.platform}-${o.arch}`;
  const table = o.manifest ? lockTable(o.manifest) : GMSH_SDK;
  const entry = table[key];
  if (!entry) fail(`no Gmsh ${GMSH_VERSION} SDK is known for ${key} (known: ${Object.keys(table).join(', ')})`);
  const dest = join(o.dest, key);
  const exe = exeName(o.platform);
  if (existsSync(join(dest, exe)) && !o.force) {
    console.log(`fetch-gmsh: ${join(dest, exe)} is already there (use --force to replace it)`);
    return { dest, skipped: true };
  }
  const work = mkdtempSync(join(tmpdir(), 'meshbench-gmsh-'));
  try {
    let archive = o.archive;
    if (!archive) {
      // Refuse before spending the download when nothing could be verified anyway.
      if (!entry.sha256) refuseUnpinned(key, entry, null);
      archive = join(work, basename(new URL(entry.url).pathname));
      console.log(`fetch-gmsh: downloading ${entry.url}`);
      await download(entry.url, archive);
    } else if (!existsSync(archive) || !statSync(archive).isFile()) {
      fail(`${archive}: no such archive file`);
    }
    const actual = await sha256File(archive);
    if (!entry.sha256) refuseUnpinned(key, entry, actual, archive);
    if (entry.sha256.toLowerCase() !== actual)
      fail(
        `${archive}: sha256 ${actual} does not match the pinned ${entry.sha256} for ${key}; refusing to install it.`,
      );
    const unpacked = join(work, 'x');
    mkdirSync(unpacked);
    extract(archive, unpacked);
    const root = findSdkRoot(unpacked, exe);
    if (!root) fail(`${archive}: no bin/${exe} inside; is it a Gmsh SDK archive?`);
    rmSync(dest, { recursive: true, force: true });
    // The executable and its shared libraries side by side: Windows finds DLLs next to the exe, and the
    // Linux/macOS SDK libraries are found through the loader's $ORIGIN/@loader_path lookups or lib/.
    copyDir(join(root, 'bin'), dest);
    if (existsSync(join(root, 'lib'))) copyDir(join(root, 'lib'), join(dest, 'lib'));
    if (o.platform !== 'win32') chmodSync(join(dest, exe), 0o755);
    const version = probeVersion(join(dest, exe), o.platform, o.arch);
    writeSource(dest, {
      source: 'gmsh.info SDK',
      version: version ?? GMSH_VERSION,
      url: entry.url,
      archiveSha256: actual,
    });
    console.log(`fetch-gmsh: installed Gmsh ${version ?? GMSH_VERSION} (${key}) into ${dest}`);
    return { dest, version };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function refuseUnpinned(key, entry, actual, archive) {
  fail(
    `no sha256 is pinned for the Gmsh ${GMSH_VERSION} ${key} SDK (${entry.url}) in scripts/gmsh-sdk.lock.json, so it will not be installed.` +
      (actual
        ? ` ${archive} has sha256 ${actual}; once you have checked it against a trusted download, pin it (--pin --archive).`
        : ' Pin a verified download first: node scripts/fetch-gmsh.mjs --pin.') +
      (key.startsWith('linux') ? ' On Debian/Ubuntu, `--from-system` uses the distribution package instead.' : ''),
  );
}

function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, cmd);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      /* keep looking */
    }
  }
  return null;
}

export function installFromSystem(o) {
  if (process.platform !== 'linux')
    fail("--from-system works on Debian/Ubuntu only (it takes the distribution's gmsh package).");
  if (o.platform !== 'linux' || o.arch !== process.arch)
    fail(`--from-system installs this machine's gmsh (linux-${process.arch}), not ${o.platform}-${o.arch}.`);
  let gmsh = which('gmsh');
  if (!gmsh) {
    if (!which('apt-get'))
      fail(
        'gmsh is not on PATH and apt-get is not available: install Gmsh with your package manager, or use the SDK (--archive).',
      );
    const cmd = [
      ...(process.getuid?.() === 0 ? [] : ['sudo']),
      'apt-get',
      'install',
      '-y',
      '-q',
      '--no-install-recommends',
      'gmsh',
    ];
    console.log(`fetch-gmsh: gmsh is not installed; running ${cmd.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run(cmd[0], cmd.slice(1), { env, stdio: ['ignore', 'inherit', 'pipe'] });
    gmsh = which('gmsh') ?? fail('apt-get install gmsh finished but gmsh is still not on PATH');
  }
  const real = realpathSync(gmsh);
  const dest = join(o.dest, `linux-${process.arch}`);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  // A copy, not a link: electron-builder's extraResources and installers carry files, and a dangling link in an
  // installer is worse than a missing one. The copy still loads the distribution's libgmsh at run time.
  const target = join(dest, 'gmsh');
  copyFileSync(real, target);
  chmodSync(target, 0o755);
  const version = probeVersion(target, 'linux', process.arch);
  const pkg = spawnSync('dpkg', ['-S', real], { encoding: 'utf8' });
  const dyn = spawnSync('readelf', ['-d', target], { encoding: 'utf8' });
  writeSource(dest, {
    source: 'distribution package',
    version,
    from: real,
    package: pkg.status === 0 ? pkg.stdout.split(':')[0].trim() : null,
    // Shared libraries this copy needs from the machine it runs on (it is not self-contained).
    sharedLibraries:
      dyn.status === 0 ? [...dyn.stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]) : null,
  });
  console.log(`fetch-gmsh: copied ${real} (Gmsh ${version}) into ${dest}`);
  console.log(
    "fetch-gmsh: note: this copy uses the distribution's shared libraries (libgmsh, OpenCASCADE); installers built with it need the `gmsh` package on the target machine. Use the SDK for self-contained installers.",
  );
  return { dest, version };
}

function writeSource(dest, info) {
  writeFileSync(
    join(dest, 'SOURCE.json'),
    `${JSON.stringify({ ...info, installedAt: new Date().toISOString() }, null, 2)}\n`,
  );
}

const HELP = `usage: node scripts/fetch-gmsh.mjs [--platform linux|win32|darwin] [--arch x64|arm64] [--archive FILE] [--force]
       node scripts/fetch-gmsh.mjs --from-system
       node scripts/fetch-gmsh.mjs --pin [--platform P --arch A] [--archive FILE] [--force]
       node scripts/fetch-gmsh.mjs --require-pinned linux-x64 win32-x64 ...
Installs Gmsh ${GMSH_VERSION} into resources/gmsh/<platform>-<arch>/ (the official SDK, checksum-pinned),
or on Debian/Ubuntu the distribution's gmsh (--from-system).`;

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) return console.log(HELP);
  o.dest ??= join(repo, 'resources', 'gmsh');
  if (o.requirePinned) requirePinned(o.requirePinned, o.manifest ?? LOCK_FILE);
  else if (o.pin) await pinSdk(o);
  else if (o.fromSystem) installFromSystem(o);
  else await installSdk(o);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    if (!(e instanceof FetchError)) throw e;
    console.error(`fetch-gmsh: ${e.message}`);
    process.exit(1);
  });
}
