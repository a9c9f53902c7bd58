#!/usr/bin/env node
// `npm run modal:smoke`: is the deployed worker answering, and does a small part go through the real offload path?
//
//   node scripts/modal-smoke.mjs [--url URL] [--part FILE] [--timeout SECONDS]
//
// 1. GET <url>/health with the proxy-auth headers (Modal-Key / Modal-Secret).
// 2. `meshbench mesh <part> --backend modal --json`: hash, S3 upload, presigned URLs, POST /jobs, polling, the
//    worker's engine, download and sha256 check — the same code path the desktop uses. It must complete on the
//    modal backend (no fallback), with tetrahedra and no inverted element.
// Reads MESHBENCH_MODAL_URL, MODAL_KEY, MODAL_SECRET, MESHBENCH_S3_BUCKET (+ MESHBENCH_S3_ENDPOINT) and the AWS
// credential chain; against the local stand-in, export what `meshbench cloud-local` prints.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CAD = /\.(step|stp|iges|igs|brep|stl)$/i;

class SmokeError extends Error {}
const fail = (m) => {
  throw new SmokeError(m);
};

function parseArgs(argv) {
  const o = { url: process.env.MESHBENCH_MODAL_URL ?? '', part: null, timeout: 600 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => argv[++i] ?? fail(`${a} needs a value`);
    if (a === '--url') o.url = val();
    else if (a === '--part') o.part = resolve(val());
    else if (a === '--timeout') o.timeout = Number(val());
    else fail(`unknown option ${a}`);
  }
  o.url = o.url.replace(/\/+$/, '');
  return o;
}

/** The smallest demo part: the smoke test is about the path, not the mesh. */
function defaultPart() {
  const demo = join(repo, 'resources', 'demo');
  const parts = existsSync(demo)
    ? readdirSync(demo)
        .filter((f) => CAD.test(f))
        .map((f) => join(demo, f))
    : [];
  if (!parts.length) fail(`no demo part in ${relative(repo, demo) || demo}; pass --part FILE`);
  return parts.sort((a, b) => statSync(a).size - statSync(b).size)[0];
}

export function missingSettings(env, url) {
  const missing = [];
  if (!url) missing.push('MESHBENCH_MODAL_URL (the endpoint `npm run modal:deploy` prints)');
  if (!env.MODAL_KEY || !env.MODAL_SECRET)
    missing.push('MODAL_KEY and MODAL_SECRET (a proxy-auth token: Modal dashboard → Settings → Proxy Auth Tokens)');
  if (!env.MESHBENCH_S3_BUCKET) missing.push('MESHBENCH_S3_BUCKET (the bucket inputs and meshes travel through)');
  return missing;
}

async function health(o, env) {
  const started = Date.now();
  let res;
  try {
    // Generous: the first request after a deploy may wait for a container.
    res = await fetch(`${o.url}/health`, {
      headers: { 'Modal-Key': env.MODAL_KEY, 'Modal-Secret': env.MODAL_SECRET },
      signal: AbortSignal.timeout(120_000),
    });
  } catch (e) {
    fail(`GET ${o.url}/health failed: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
  }
  const text = await res.text();
  if (res.status === 401 || res.status === 403)
    fail(`GET ${o.url}/health: HTTP ${res.status}; MODAL_KEY/MODAL_SECRET are not accepted by this endpoint`);
  if (res.status !== 200) fail(`GET ${o.url}/health: HTTP ${res.status}: ${text.slice(0, 300)}`);
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    fail(`GET ${o.url}/health answered 200 with something that is not JSON: ${text.slice(0, 200)}`);
  }
  return { ms: Date.now() - started, body };
}

function meshThroughModal(o, env, part) {
  // A throw-away job store: the smoke run must not show up in anyone's job list.
  const home = mkdtempSync(join(tmpdir(), 'meshbench-smoke-'));
  try {
    const cli = join(repo, 'bin', 'meshbench');
    const r = spawnSync(
      process.execPath,
      [cli, 'mesh', part, '--backend', 'modal', '--json', '--out', join(home, 'out')],
      {
        env: { ...env, MESHBENCH_HOME: home, MESHBENCH_MODAL_URL: o.url },
        encoding: 'utf8',
        timeout: o.timeout * 1000,
        maxBuffer: 64 << 20,
      },
    );
    if (r.error)
      fail(
        `meshbench mesh did not finish: ${r.error.code === 'ETIMEDOUT' ? `timed out after ${o.timeout}s` : r.error.message}`,
      );
    let job;
    try {
      job = JSON.parse(r.stdout);
    } catch {
      fail(
        `meshbench mesh exited ${r.status} without a JSON result: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`,
      );
    }
    return { exit: r.status, job };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

export async function smoke(o, env = process.env) {
  const missing = missingSettings(env, o.url);
  if (missing.length)
    fail(
      `cannot run the smoke test; set:\n  - ${missing.join('\n  - ')}\n(for the local stand-in, run \`meshbench cloud-local\` and export the env it prints)`,
    );
  const part = o.part ?? defaultPart();
  if (!existsSync(part)) fail(`${part}: no such file`);

  const h = await health(o, env);
  console.log(
    `smoke: health ok in ${h.ms} ms: service ${h.body.version ?? '?'}, backend ${h.body.backend ?? '?'}, Gmsh ${h.body.gmsh?.version ?? '?'}, GPU ${h.body.gpu ?? 'none'}`,
  );

  console.log(`smoke: meshing ${relative(repo, part)} through ${o.url} ...`);
  const { exit, job } = meshThroughModal(o, env, part);
  const problems = [];
  if (exit !== 0 || job.status !== 'completed')
    problems.push(
      `job ${job.id ?? '?'} ended ${job.status ?? '?'} (exit ${exit})${job.error ? `: ${job.error.message}` : ''}`,
    );
  if (job.backend !== 'modal')
    problems.push(`it ran on ${job.backend}, not modal${job.fallback ? ` (fell back: ${job.fallback.reason})` : ''}`);
  if (!(job.mesh?.elements?.tetrahedra > 0)) problems.push('the mesh has no tetrahedra');
  if (job.quality && job.quality.inverted > 0) problems.push(`${job.quality.inverted} inverted elements`);
  if (!job.mesh?.sha256) problems.push('no mesh sha256 (download not verified)');
  if (problems.length) fail(`end-to-end run failed: ${problems.join('; ')}`);
  const ph = job.timings?.phases ?? {};
  const phases = ['upload', 'submit', 'queue', 'mesh', 'download']
    .filter((p) => ph[p] != null)
    .map((p) => `${p} ${Math.round(ph[p])} ms`);
  console.log(
    `smoke: ok: job ${job.id}, call ${job.modal?.callId ?? '?'}, ${job.mesh.elements.tetrahedra} tetrahedra, SICN min ${job.quality?.sicn?.min?.toFixed?.(3) ?? '?'}, ` +
      `total ${Math.round(job.timings?.totalMs ?? 0)} ms${phases.length ? ` (${phases.join(', ')})` : ''}`,
  );
  return { health: h, job };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  smoke(parseArgs(process.argv.slice(2))).catch((e) => {
    if (!(e instanceof SmokeError)) throw e;
    console.error(`modal:smoke: ${e.message}`);
    process.exit(1);
  });
}
