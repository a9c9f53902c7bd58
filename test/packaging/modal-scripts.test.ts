// scripts/modal-deploy.mjs and scripts/modal-smoke.mjs: clear failures when the Modal CLI or the settings are
// missing, and the smoke test end to end against the local stand-in (s3rver + the worker emulator running the
// real attempt runner), through the same CLI offload path a deployed worker is checked with.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud/local-cloud';
import { repoRoot, demoPart } from '../helpers/paths';

const noStack = /\n\s+at .+:\d+:\d+/;
// node and npm, coreutils, and no `modal` anywhere.
const PATH_WITHOUT_MODAL = [dirname(process.execPath), '/usr/bin', '/bin'].join(':');
const baseEnv = () => {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: PATH_WITHOUT_MODAL };
  for (const k of Object.keys(env)) if (/^(MODAL_|MESHBENCH_|AWS_)/.test(k)) delete env[k];
  return env;
};

describe('npm run modal:deploy', () => {
  it('is checked to run here without a Modal CLI', () => {
    expect(PATH_WITHOUT_MODAL.split(':').some((d) => existsSync(join(d, 'modal')))).toBe(false);
  });

  it('without a Modal CLI on PATH: says so and how to install it, exits 1, builds and deploys nothing', () => {
    const r = spawnSync('npm', ['run', '--silent', 'modal:deploy', '--', '--env', 'dev'], {
      cwd: repoRoot,
      env: baseEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('modal:deploy: the Modal CLI (`modal`) is not on PATH');
    expect(r.stderr).toContain('pip install modal');
    expect(r.stderr).toContain('modal token new');
    expect(r.stderr).not.toMatch(noStack);
    expect(r.stdout).not.toContain('build:engine');
  });

  it('refuses an unknown environment before touching anything', () => {
    const r = spawnSync(process.execPath, ['scripts/modal-deploy.mjs', '--env', 'staging'], {
      cwd: repoRoot,
      env: baseEnv(),
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--env staging: expected one of dev, production');
  });

  it('finds no Modal secret in the worker app: it gets presigned URLs, never AWS keys', () => {
    const source = readFileSync(join(repoRoot, 'gpu-worker', 'mesh_service.py'), 'utf8');
    expect(source).not.toMatch(/Secret\.from_name|AWS_SECRET_ACCESS_KEY|aws_secret/i);
    expect(source).toContain('requires_proxy_auth=True');
  });
});

describe('npm run modal:smoke', () => {
  it('lists every missing setting and exits 1', () => {
    const r = spawnSync('npm', ['run', '--silent', 'modal:smoke'], {
      cwd: repoRoot,
      env: baseEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    for (const s of [
      'MESHBENCH_MODAL_URL',
      'MODAL_KEY and MODAL_SECRET',
      'MESHBENCH_S3_BUCKET',
      'meshbench cloud-local',
    ])
      expect(r.stderr).toContain(s);
    expect(r.stderr).not.toMatch(noStack);
  });

  describe('against the local stand-in', () => {
    let cloud: LocalCloud;
    beforeAll(async () => {
      cloud = await startLocalCloud();
    }, 120_000);
    afterAll(async () => {
      await cloud?.stop();
    });

    it('passes health and meshes the smallest demo part end to end on the modal backend', () => {
      const r = spawnSync(process.execPath, ['scripts/modal-smoke.mjs'], {
        cwd: repoRoot,
        env: { ...baseEnv(), PATH: process.env.PATH, ...cloud.env },
        encoding: 'utf8',
        timeout: 300_000,
      });
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      // The smoke script picks the smallest demo part by size; so does the test, from the same folder.
      const demo = join(repoRoot, 'resources', 'demo');
      const smallest = readdirSync(demo)
        .filter((f) => /\.(step|stp|iges|igs|brep|stl)$/i.test(f))
        .sort((a, b) => statSync(join(demo, a)).size - statSync(join(demo, b)).size)[0];
      expect(r.stdout).toContain(`smoke: meshing resources/demo/${smallest}`);
      expect(r.stdout).toMatch(/smoke: health ok in \d+ ms: service [\d.]+, backend emulator, Gmsh 4\.8\.4/);
      const ok = r.stdout.match(/smoke: ok: job \S+, call \S+, (\d+) tetrahedra, SICN min ([\d.]+)/);
      expect(ok, r.stdout).not.toBeNull();
      expect(Number(ok![1])).toBeGreaterThan(100);
      expect(Number(ok![2])).toBeGreaterThan(0);
    });

    it('fails clearly when the proxy-auth token is wrong', () => {
      const r = spawnSync(process.execPath, ['scripts/modal-smoke.mjs', '--part', demoPart('bracket.step')], {
        cwd: repoRoot,
        env: { ...baseEnv(), PATH: process.env.PATH, ...cloud.env, MODAL_SECRET: 'wrong' },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(
        /modal:smoke: GET http:\/\/127\.0\.0\.1:\d+\/health: HTTP 40[13]; MODAL_KEY\/MODAL_SECRET are not accepted/,
      );
    });
  });
});
