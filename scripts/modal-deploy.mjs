#!/usr/bin/env node
// `npm run modal:deploy -- --env dev|production [--no-smoke] [--skip-build]`
//
// Deploys the offload worker (gpu-worker/mesh_service.py) to a Modal environment, checking first what would make
// the deploy or the smoke test fail: the Modal CLI, its token, the environment, the Modal secrets the app
// references, and the settings the smoke test needs. Then builds the attempt runner the worker image carries,
// deploys, prints the endpoint URL and runs scripts/modal-smoke.mjs against it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, appendFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVICE = 'gpu-worker/mesh_service.py';
const ENVS = ['dev', 'production'];

class DeployError extends Error {}
const fail = (m) => {
  throw new DeployError(m);
};

function parseArgs(argv) {
  const o = { env: null, smoke: true, build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--env' || a === '-e') o.env = argv[++i] ?? fail('--env needs a value (dev or production)');
    else if (a.startsWith('--env=')) o.env = a.slice(6);
    else if (a === '--no-smoke') o.smoke = false;
    else if (a === '--skip-build') o.build = false;
    else fail(`unknown option ${a}`);
  }
  if (!o.env) fail('say which Modal environment: --env dev or --env production');
  if (!ENVS.includes(o.env)) fail(`--env ${o.env}: expected one of ${ENVS.join(', ')}`);
  return o;
}

const modal = (args, opts = {}) =>
  spawnSync('modal', args, { encoding: 'utf8', timeout: 120_000, shell: process.platform === 'win32', ...opts });
const lastLine = (r) =>
  `${r.stderr ?? ''}\n${r.stdout ?? ''}`.trim().split('\n').filter(Boolean).pop() ?? `exit ${r.status}`;

function checkCli() {
  const r = modal(['--version']);
  if (r.error?.code === 'ENOENT' || (r.status !== 0 && /not (found|recognized)/i.test(`${r.stderr}`)))
    fail(
      'the Modal CLI (`modal`) is not on PATH. Install it with `pip install modal` (Python 3.9+), then authenticate with `modal token new`.',
    );
  if (r.error) fail(`the Modal CLI could not be started: ${r.error.message}`);
  if (r.status !== 0) fail(`\`modal --version\` failed: ${lastLine(r)}`);
  return r.stdout.trim();
}

/** The token the CLI would use: MODAL_TOKEN_ID/SECRET (CI), else the active profile in ~/.modal.toml. */
function checkToken() {
  const r = modal(['token', 'info']);
  if (r.status === 0)
    return (
      r.stdout
        .trim()
        .split('\n')
        .find((l) => /workspace|user|token/i.test(l))
        ?.trim() ?? 'token ok'
    );
  // Older CLIs have no `token info`: judge from the environment and the config file, then let `modal` verify.
  if (/no such command/i.test(`${r.stderr}${r.stdout}`)) {
    if (process.env.MODAL_TOKEN_ID && process.env.MODAL_TOKEN_SECRET)
      return 'MODAL_TOKEN_ID/MODAL_TOKEN_SECRET from the environment';
    const cfg = process.env.MODAL_CONFIG_PATH ?? join(homedir(), '.modal.toml');
    if (existsSync(cfg) && /token_id\s*=/.test(readFileSync(cfg, 'utf8'))) return `a profile in ${cfg}`;
  }
  fail(
    'no usable Modal token: run `modal token new` (opens a browser), or set MODAL_TOKEN_ID and MODAL_TOKEN_SECRET ' +
      `(in CI: repository secrets of the same names). \`modal token info\` said: ${lastLine(r)}`,
  );
}

function checkEnvironment(env) {
  const r = modal(['environment', 'list', '--json']);
  if (r.status !== 0) fail(`cannot list Modal environments: ${lastLine(r)}`);
  let names;
  try {
    names = JSON.parse(r.stdout).map((e) => e.name ?? e.Name);
  } catch {
    names = r.stdout.split(/\s+/);
  }
  if (!names.includes(env))
    fail(
      `the Modal environment "${env}" does not exist in this workspace (have: ${names.filter(Boolean).join(', ') || 'none'}); create it with \`modal environment create ${env}\`.`,
    );
}

/** Named Modal secrets the app references (Secret.from_name("...")); the worker itself needs none (presigned URLs). */
export function referencedSecrets(source = readFileSync(join(repo, SERVICE), 'utf8')) {
  return [...source.matchAll(/Secret\.from_name\(\s*["']([^"']+)["']/g)].map((m) => m[1]);
}

function checkSecrets(env) {
  const wanted = referencedSecrets();
  if (!wanted.length) return 'none referenced (the worker receives presigned URLs, no AWS keys)';
  const r = modal(['secret', 'list', '--env', env, '--json']);
  if (r.status !== 0) fail(`cannot list Modal secrets in ${env}: ${lastLine(r)}`);
  const have = JSON.parse(r.stdout).map((s) => s.name ?? s.Name);
  const missing = wanted.filter((w) => !have.includes(w));
  if (missing.length)
    fail(
      `${SERVICE} uses Modal secret(s) ${missing.join(', ')}, missing in environment ${env}: create them with \`modal secret create --env ${env} NAME KEY=VALUE ...\``,
    );
  return wanted.join(', ');
}

/** What the smoke test needs on this side (it offloads a real part through S3). */
function smokeSettingsMissing() {
  const e = process.env;
  const missing = [];
  if (!e.MODAL_KEY || !e.MODAL_SECRET)
    missing.push('MODAL_KEY and MODAL_SECRET (a proxy-auth token: Modal dashboard → Settings → Proxy Auth Tokens)');
  if (!e.MESHBENCH_S3_BUCKET) missing.push('MESHBENCH_S3_BUCKET');
  const awsCreds =
    (e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY) ||
    e.AWS_PROFILE ||
    e.AWS_WEB_IDENTITY_TOKEN_FILE ||
    e.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
    e.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
    existsSync(join(homedir(), '.aws', 'credentials')) ||
    existsSync(join(homedir(), '.aws', 'config'));
  if (!awsCreds)
    missing.push('AWS credentials for that bucket (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or SSO)');
  return missing;
}

/**
 * The object store the worker may transfer to (baked into the image as MESHBENCH_STORE_ORIGINS): given, else the
 * S3-compatible endpoint's origin, else the bucket's AWS origin (virtual-hosted style, as presigned URLs are).
 */
export function storeOrigins(e = process.env) {
  if (e.MESHBENCH_STORE_ORIGINS) return e.MESHBENCH_STORE_ORIGINS;
  if (e.MESHBENCH_S3_ENDPOINT) return new URL(e.MESHBENCH_S3_ENDPOINT).origin;
  if (e.MESHBENCH_S3_BUCKET) {
    const region = e.MESHBENCH_S3_REGION || e.AWS_REGION || e.AWS_DEFAULT_REGION || 'us-east-1';
    return `https://${e.MESHBENCH_S3_BUCKET}.s3.${region}.amazonaws.com`;
  }
  return '';
}

/**
 * The bucket's own region, asked once (HeadBucket: AWS names it in x-amz-bucket-region, also on its 301 answer).
 * AWS_REGION is only a guess; presigned URLs, and so the origin the worker may reach, carry the bucket's region.
 */
export async function discoverRegion(bucket, guess, endpoint = null) {
  const { S3Client, HeadBucketCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    region: guess,
    maxAttempts: 1,
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  });
  try {
    const out = await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return out.BucketRegion || guess;
  } catch (e) {
    const named = e?.$response?.headers?.['x-amz-bucket-region'];
    if (named) return named;
    throw e;
  } finally {
    client.destroy();
  }
}

function deploy(env) {
  return new Promise((resolveDeploy, reject) => {
    const origins = storeOrigins();
    if (!origins)
      console.warn(
        'modal:deploy: no MESHBENCH_STORE_ORIGINS / MESHBENCH_S3_BUCKET: the worker will accept any http(s) store URL',
      );
    const child = spawn('modal', ['deploy', '--env', env, SERVICE], {
      cwd: repo,
      shell: process.platform === 'win32',
      env: { ...process.env, MESHBENCH_STORE_ORIGINS: origins },
    });
    let out = '';
    const tee = (stream) => (chunk) => {
      out += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('error', (e) => reject(new DeployError(`modal deploy could not be started: ${e.message}`)));
    child.on('close', (code) =>
      code === 0 ? resolveDeploy(out) : reject(new DeployError(`modal deploy exited ${code}; see its output above`)),
    );
  });
}

/** The web endpoint `modal deploy` printed for the `web` function. */
export function endpointFrom(output) {
  const urls = [...output.matchAll(/https:\/\/[A-Za-z0-9.-]+\.modal\.run\b/g)].map((m) => m[0]);
  return urls.find((u) => /-web\b|--meshbench-web/.test(u)) ?? urls[0] ?? null;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const step = (msg) => console.log(`modal:deploy: ${msg}`);
  step(`Modal CLI ${checkCli()}`);
  step(`token: ${checkToken()}`);
  checkEnvironment(o.env);
  step(`environment: ${o.env}`);
  step(`Modal secrets: ${checkSecrets(o.env)}`);
  if (o.smoke) {
    const missing = smokeSettingsMissing();
    if (missing.length)
      fail(
        `the smoke test after the deploy needs:\n  - ${missing.join('\n  - ')}\n(or deploy without it: --no-smoke, and run \`npm run modal:smoke\` later)`,
      );
  }
  if (o.build) {
    step('building the attempt runner (npm run build:engine)');
    const b = spawnSync('npm', ['run', 'build:engine'], {
      cwd: repo,
      stdio: 'inherit',
      shell: process.platform === 'win32',
    });
    if (b.status !== 0) fail('npm run build:engine failed; the worker image needs out/engine/attempt-runner.cjs');
  }
  if (!existsSync(join(repo, 'out', 'engine', 'attempt-runner.cjs')))
    fail('out/engine/attempt-runner.cjs is missing: run `npm run build:engine`');

  step(`modal deploy --env ${o.env} ${SERVICE}`);
  const e = process.env;
  if (!e.MESHBENCH_STORE_ORIGINS && !e.MESHBENCH_S3_ENDPOINT && e.MESHBENCH_S3_BUCKET && !e.MESHBENCH_S3_REGION) {
    const guess = e.AWS_REGION || e.AWS_DEFAULT_REGION || 'us-east-1';
    try {
      e.MESHBENCH_S3_REGION = await discoverRegion(e.MESHBENCH_S3_BUCKET, guess);
      if (e.MESHBENCH_S3_REGION !== guess)
        console.log(
          `modal:deploy: bucket ${e.MESHBENCH_S3_BUCKET} is in ${e.MESHBENCH_S3_REGION} (AWS_REGION says ${guess}); the worker may reach that region's endpoint`,
        );
    } catch (err) {
      console.warn(
        `modal:deploy: could not ask the bucket for its region (${err?.name ?? err}); assuming ${guess}. Set MESHBENCH_S3_REGION if it lives elsewhere.`,
      );
    }
  }
  const output = await deploy(o.env);
  const url = endpointFrom(output);
  if (!url)
    fail(
      `deployed, but no *.modal.run endpoint was found in modal's output; look it up with \`modal app list --env ${o.env}\``,
    );
  console.log(`\nendpoint (${o.env}): ${url}\n  export MESHBENCH_MODAL_URL=${url}`);
  // For the next CI step and for `modal:smoke` later.
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `endpoint=${url}\n`);
  mkdirSync(join(repo, '.meshbench'), { recursive: true });
  writeFileSync(
    join(repo, '.meshbench', `modal-endpoint-${o.env}.json`),
    `${JSON.stringify({ env: o.env, url, deployedAt: new Date().toISOString() }, null, 2)}\n`,
  );

  if (o.smoke) {
    step('smoke test');
    const s = spawnSync(process.execPath, [join(repo, 'scripts', 'modal-smoke.mjs'), '--url', url], {
      cwd: repo,
      stdio: 'inherit',
    });
    if (s.status !== 0)
      fail(
        `the smoke test failed against ${url}; roll back by switching compute to local (DEPLOYMENT.md) and see \`modal app logs meshbench --env ${o.env}\``,
      );
  }
  step('done');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    if (!(e instanceof DeployError)) throw e;
    console.error(`modal:deploy: ${e.message}`);
    process.exit(1);
  });
}
