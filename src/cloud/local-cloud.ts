// The offline stand-in for the cloud: an S3-compatible store (s3rver) with a bucket behind the strict S3 front
// (strict-s3.ts: AWS's region, signature and checksum rules), and the worker emulator (gpu-worker/emulator.py under
// uvicorn, running the bundled attempt runner). All on loopback; the children end with their parent (they exit
// when their stdin closes). Used by `meshbench cloud-local`, the tests and the bench.
// The bucket lives in STAND_IN_REGION while the printed environment says us-east-1, as when a user's AWS_REGION
// does not match their bucket: every offload through the stand-in goes through region discovery.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { engineFile } from '../util/engine-files';

/** The region of the stand-in's bucket: one nobody configures. */
const STAND_IN_REGION = 'eu-west-3';

export interface LocalCloudOptions {
  /** Folder for the store's objects (default: a fresh temp folder, removed on stop). */
  dataDir?: string;
  bucket?: string;
  /** The bundled attempt runner (default <repo>/out/engine/attempt-runner.cjs). */
  runner?: string;
  /** Python with fastapi + uvicorn (default /usr/bin/python3, else python3). */
  python?: string;
  /** Extra environment for the emulator (MESHBENCH_EMU_* knobs, MESHBENCH_GMSH...). */
  emulatorEnv?: Record<string, string>;
  /** Modal-Key / Modal-Secret the emulator will require (default: random). */
  modalKey?: string;
  modalSecret?: string;
  /** Fixed ports (default: any free port). */
  s3Port?: number;
  emulatorPort?: number;
  /** Give up waiting for readiness after this long (ms). */
  readyTimeoutMs?: number;
  /** The bucket's region behind the strict front (default STAND_IN_REGION). */
  s3Region?: string;
}

export interface LocalCloud {
  env: {
    MESHBENCH_S3_ENDPOINT: string;
    MESHBENCH_S3_BUCKET: string;
    MESHBENCH_MODAL_URL: string;
    MODAL_KEY: string;
    MODAL_SECRET: string;
    AWS_ACCESS_KEY_ID: string;
    AWS_SECRET_ACCESS_KEY: string;
    AWS_REGION: string;
  };
  /** The S3 stand-in process: the strict front clients talk to (port), the s3rver behind it, the bucket's region. */
  s3: { port: number; s3rverPort: number; pid: number; dataDir: string; region: string };
  emulator: { port: number; pid: number; runner: string };
  stop(): Promise<void>;
}

/** The repository (or installed app) root: the folder holding package.json and gpu-worker/. */
function appRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'gpu-worker'))) return dir;
    dir = dirname(dir);
  }
  return resolve(__dirname, '..', '..');
}

export function defaultPython(): string {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

// s3rver's credentials are fixed: the strict front verifies signatures against this key pair.
const S3RVER_KEY = 'S3RVER';

function firstJsonLine(child: ChildProcess, what: string, timeoutMs: number): Promise<{ port: number; pid: number }> {
  return new Promise((resolveP, reject) => {
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr = (stderr + d.toString()).slice(-2000)));
    const rl = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => fail(`did not start within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      rl.close();
      reject(new Error(`${what} ${why}${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`));
    };
    child.once('exit', (code, sig) => fail(`exited (${sig ?? `code ${code}`}) before it was ready`));
    child.once('error', (e) => fail(`could not be started (${e.message})`));
    rl.on('line', (line) => {
      try {
        const j = JSON.parse(line);
        if (typeof j.port === 'number') {
          clearTimeout(timer);
          rl.close();
          child.removeAllListeners('exit');
          resolveP(j);
        }
      } catch {
        /* not the ready line */
      }
    });
  });
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  let delay = 25;
  while (Date.now() - t0 < timeoutMs) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 500);
  }
  throw new Error(`${what} did not answer within ${Math.round(timeoutMs / 1000)} s`);
}

function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) return res();
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => (clearTimeout(t), res()));
    child.kill('SIGTERM');
  });
}

export async function startLocalCloud(opts: LocalCloudOptions = {}): Promise<LocalCloud> {
  const root = appRoot();
  const bucket = opts.bucket ?? 'meshbench';
  const runner = resolve(opts.runner ?? join(root, 'out', 'engine', 'attempt-runner.cjs'));
  if (!existsSync(runner)) {
    throw new Error(`The attempt runner ${runner} is missing; run \`npm run build:engine\` first.`);
  }
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'meshbench-s3-'));
  const readyMs = opts.readyTimeoutMs ?? 30_000;
  const modalKey = opts.modalKey ?? `wk-${randomBytes(9).toString('hex')}`;
  const modalSecret = opts.modalSecret ?? `ws-${randomBytes(18).toString('hex')}`;

  const req = createRequire(join(root, 'package.json'));
  const s3Child = spawn(process.execPath, [engineFile('s3-stand-in.cjs')], {
    env: {
      ...process.env,
      S3RVER_MODULE: req.resolve('s3rver'),
      S3RVER_DIR: dataDir,
      S3RVER_BUCKET: bucket,
      S3_STAND_IN_PORT: String(opts.s3Port ?? 0),
      S3_STAND_IN_REGION: opts.s3Region ?? STAND_IN_REGION,
      S3_STAND_IN_KEY: S3RVER_KEY,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const python = opts.python ?? defaultPython();
  const children: ChildProcess[] = [s3Child];
  const stop = async () => {
    await Promise.all(children.map((c) => stopChild(c)));
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const s3 = await firstJsonLine(s3Child, 'The S3 stand-in (s3rver + strict front)', readyMs);
    const s3Url = `http://127.0.0.1:${s3.port}`;
    // The worker transfers only to the configured store: here, this stand-in (its port is known only now).
    const emuChild = spawn(
      python,
      [
        join(root, 'gpu-worker', 'emulator.py'),
        '--host',
        '127.0.0.1',
        '--port',
        String(opts.emulatorPort ?? 0),
        '--runner',
        runner,
        '--exit-on-stdin-eof',
      ],
      {
        env: {
          ...process.env,
          ...opts.emulatorEnv,
          MODAL_KEY: modalKey,
          MODAL_SECRET: modalSecret,
          MESHBENCH_STORE_ORIGINS: [s3Url, opts.emulatorEnv?.MESHBENCH_STORE_ORIGINS].filter(Boolean).join(','),
          PYTHONUNBUFFERED: '1',
          PYTHONDONTWRITEBYTECODE: '1',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    children.push(emuChild);
    const emu = await firstJsonLine(emuChild, `The worker emulator (${python} gpu-worker/emulator.py)`, readyMs);
    const emuUrl = `http://127.0.0.1:${emu.port}`;
    await Promise.all([
      // Any HTTP answer means the store serves requests (unsigned ones get 403).
      waitUntil('s3rver', async () => (await fetch(`${s3Url}/${bucket}`)).status > 0, readyMs),
      waitUntil(
        'the worker emulator',
        async () =>
          (await fetch(`${emuUrl}/health`, { headers: { 'Modal-Key': modalKey, 'Modal-Secret': modalSecret } })).ok,
        readyMs,
      ),
    ]);
    // Drain output so a chatty child never blocks on a full pipe.
    for (const c of children) {
      c.stdout?.resume();
      c.stderr?.resume();
    }
    return {
      env: {
        MESHBENCH_S3_ENDPOINT: s3Url,
        MESHBENCH_S3_BUCKET: bucket,
        MESHBENCH_MODAL_URL: emuUrl,
        MODAL_KEY: modalKey,
        MODAL_SECRET: modalSecret,
        AWS_ACCESS_KEY_ID: S3RVER_KEY,
        AWS_SECRET_ACCESS_KEY: S3RVER_KEY,
        AWS_REGION: 'us-east-1',
      },
      s3: {
        port: s3.port,
        s3rverPort: (s3 as { s3rverPort?: number }).s3rverPort ?? 0,
        pid: s3.pid,
        dataDir,
        region: (s3 as { region?: string }).region ?? STAND_IN_REGION,
      },
      emulator: { port: emu.port, pid: emu.pid, runner },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
