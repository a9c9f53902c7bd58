// The CLI contract of the offload path against a real `meshbench cloud-local` process.
import { statSync } from 'node:fs';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveOffloadConfig } from '../../src/cloud/config';
import { testConnection } from '../../src/cloud/connection';
import { cliPath, tmpHome, demoPart } from '../helpers/paths';
import { alive, emulatorNodeChildren, OFFLOAD_PHASES, requireRunner, until } from './helpers/cloud';

const run = promisify(execFile);
let cloudProc: ChildProcess;
let env: Record<string, string>;
let pids: number[];

async function meshbench(args: string[], extra: Record<string, string> = {}, home = tmpHome('meshbench-cli-cloud-')) {
  try {
    const r = await run(process.execPath, [cliPath, ...args], {
      env: { ...process.env, ...env, MESHBENCH_HOME: home, ...extra },
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr, home };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr, home };
  }
}

beforeAll(async () => {
  requireRunner();
  cloudProc = spawn(process.execPath, [cliPath, 'cloud-local'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: cloudProc.stdout! }).once('line', resolve);
    cloudProc.once('exit', (c) => reject(new Error(`cloud-local exited ${c}`)));
  });
  const line = JSON.parse(first);
  env = line.env;
  pids = [line.s3.pid, line.modal.pid];
});
afterAll(() => {
  if (cloudProc && cloudProc.exitCode === null) cloudProc.kill('SIGKILL');
});

describe('meshbench with cloud-local', () => {
  it('an offloaded job writes the same groups and exports as a local one (converted from the downloaded .msh)', async () => {
    const part = demoPart('bracket.step');
    const home = tmpHome('meshbench-cli-cloud-');
    const args = ['mesh', part, '--strategy', 'default', '--group', 'fixed=face:1,2', '--export', 'inp,vtu', '--json'];
    const local = await meshbench([...args, '--backend', 'local'], {}, home);
    expect(local.code, local.stderr).toBe(0);
    const modal = await meshbench([...args, '--backend', 'modal'], {}, home);
    expect(modal.code, modal.stderr).toBe(0);
    const [l, m] = [JSON.parse(local.stdout), JSON.parse(modal.stdout)];
    expect(m.backend).toBe('modal');
    expect(m.mesh.sha256).toBe(l.mesh.sha256);
    expect(m.groups).toEqual(l.groups);
    expect(m.groups.find((g: { name: string }) => g.name === 'fixed')).toMatchObject({ dim: 2, tags: [1, 2] });
    expect(m.exports.map((e: { format: string; sha256: string }) => [e.format, e.sha256])).toEqual(
      l.exports.map((e: { format: string; sha256: string }) => [e.format, e.sha256]),
    );
    for (const e of m.exports) expect(e.path.startsWith(m.outDir)).toBe(true);
  });

  it('cloud-local prints the env another shell needs, and both stand-ins answer', async () => {
    expect(Object.keys(env).sort()).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_REGION',
      'AWS_SECRET_ACCESS_KEY',
      'MESHBENCH_MODAL_URL',
      'MESHBENCH_S3_BUCKET',
      'MESHBENCH_S3_ENDPOINT',
      'MODAL_KEY',
      'MODAL_SECRET',
    ]);
    const c = await testConnection(resolveOffloadConfig({ env }));
    expect(c.checks.map((x) => [x.name, x.ok])).toEqual(
      expect.arrayContaining([
        ['modal', true],
        ['s3', true],
      ]),
    );
    expect(c.ok).toBe(true);
  });

  it("mesh --backend modal --json: backend modal, the local run's mesh sha256, every phase timed, 0 bytes on the second upload", async () => {
    const part = demoPart('assembly.step'); // not the part the test above uploaded
    const home = tmpHome('meshbench-cli-cloud-');
    const local = await meshbench(['mesh', part, '--strategy', 'default', '--backend', 'local', '--json'], {}, home);
    expect(local.code, local.stderr).toBe(0);
    const modal = await meshbench(['mesh', part, '--strategy', 'default', '--backend', 'modal', '--json'], {}, home);
    expect(modal.code, modal.stderr).toBe(0);
    const [l, m] = [JSON.parse(local.stdout), JSON.parse(modal.stdout)];
    expect(m.backend).toBe('modal');
    expect(m.status).toBe('completed');
    expect(m.mesh.sha256).toBe(l.mesh.sha256);
    expect(m.quality).toEqual(l.quality);
    for (const p of OFFLOAD_PHASES) expect(m.timings.phases[p], p).toBeTypeOf('number');
    expect(m.timings.totalMs).toBeGreaterThan(0);
    expect(m.transfer.uploadedBytes).toBe(statSync(part).size);
    expect(m.modal.callId).toMatch(/^fc-/);
    expect(m.cost.workerSeconds).toBeGreaterThan(0);
    const again = JSON.parse(
      (await meshbench(['mesh', part, '--strategy', 'default', '--backend', 'modal', '--json'], {}, home)).stdout,
    );
    expect(again.transfer.uploadedBytes).toBe(0);
    expect(again.mesh.sha256).toBe(l.mesh.sha256);
  });

  it('Modal unreachable: --backend modal exits 4 saying what to fix; auto completes locally with the reason', async () => {
    const down = { MESHBENCH_MODAL_URL: 'http://127.0.0.1:9' };
    const m = await meshbench(['mesh', demoPart('bracket.step'), '--backend', 'modal', '--json'], down);
    expect(m.code).toBe(4);
    expect(m.stderr).toMatch(/Cannot reach the Modal endpoint http:\/\/127\.0\.0\.1:9/);
    expect(m.stderr).toMatch(/MESHBENCH_MODAL_URL/);
    expect(m.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const a = await meshbench(['mesh', demoPart('bracket.step'), '--backend', 'auto', '--json'], down);
    expect(a.code, a.stderr).toBe(0);
    const j = JSON.parse(a.stdout);
    expect(j.backend).toBe('local');
    expect(j.fallback.from).toBe('modal');
    expect(j.fallback.reason).toMatch(/Cannot reach the Modal endpoint/);
  });

  it('stops both stand-ins on SIGTERM', async () => {
    expect(pids.every(alive)).toBe(true);
    const nodeKids = emulatorNodeChildren(pids[1]); // warm Node spares of the emulator
    expect(nodeKids.length).toBeGreaterThan(0);
    const exited = new Promise<number | null>((r) => cloudProc.once('exit', (c) => r(c)));
    cloudProc.kill('SIGTERM');
    expect(await exited).toBe(0);
    await until(
      'the stand-ins and their Node spares to be gone',
      () => [...pids, ...nodeKids].every((p) => !alive(p)),
      10_000,
    );
  });
});
