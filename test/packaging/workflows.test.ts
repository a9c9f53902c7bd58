// The CI workflows parse, and every npm script and repository script they run exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';

const yaml = createRequire(join(repoRoot, 'package.json'))('js-yaml');
const dir = join(repoRoot, '.github', 'workflows');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
type Step = { run?: string; uses?: string; with?: Record<string, unknown> };
type Workflow = {
  on: Record<string, unknown>;
  jobs: Record<
    string,
    {
      steps: Step[];
      'runs-on': string;
      container?: string;
      env?: Record<string, string>;
      strategy?: { matrix: { include: Record<string, string>[] } };
    }
  >;
};
const load = (f: string): Workflow => yaml.load(readFileSync(join(dir, f), 'utf8'));
const runs = (w: Workflow) =>
  Object.values(w.jobs)
    .flatMap((j) => j.steps.map((s) => s.run ?? ''))
    .join('\n');

describe('.github/workflows', () => {
  it('holds the test, deploy and release workflows, all valid YAML', () => {
    expect(readdirSync(dir).sort()).toEqual(['deploy-modal.yml', 'release.yml', 'test.yml']);
  });

  it.each(['test.yml', 'deploy-modal.yml', 'release.yml'])('%s runs only npm scripts and files that exist', (f) => {
    const text = runs(load(f));
    for (const m of text.matchAll(/npm run ([\w:-]+)/g)) expect(pkg.scripts, m[1]).toHaveProperty(m[1]);
    for (const m of text.matchAll(/node (scripts\/[\w.-]+)/g))
      expect(existsSync(join(repoRoot, m[1])), m[1]).toBe(true);
  });

  it('tests every push on Debian bookworm (Gmsh 4.8.4) without the Electron binary', () => {
    const w = load('test.yml');
    expect(Object.keys(w.on)).toContain('push');
    expect(w.jobs.test.container).toBe('node:20-bookworm');
    expect(w.jobs.test.env?.ELECTRON_SKIP_BINARY_DOWNLOAD).toBe('1');
    const text = runs(w);
    expect(text).toMatch(/apt-get install[^\n]*\\\n[^\n]*\bgmsh\b/);
    expect(text).toContain('npm ci');
    expect(text).toContain('npm test');
    // ... as a fresh clone does: without the third-party sample parts (the tests skip those cases, saying so)
    const test = w.jobs.test.steps.find((s) => s.run === 'npm test') as Step & { env?: Record<string, string> };
    const samples = test?.env?.MESHBENCH_SAMPLES;
    expect(samples).toMatch(/^\/nonexistent\//);
    expect(existsSync(samples!)).toBe(false);
  });

  it('deploys to Modal after the tests pass on main, with the tokens as secrets, and smoke-tests it', () => {
    const w = load('deploy-modal.yml');
    expect(w.on.workflow_run).toMatchObject({ workflows: ['test'], types: ['completed'], branches: ['main'] });
    const env = w.jobs.deploy.env ?? {};
    for (const k of [
      'MODAL_TOKEN_ID',
      'MODAL_TOKEN_SECRET',
      'MODAL_KEY',
      'MODAL_SECRET',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
    ])
      expect(env[k]).toBe(`\${{ secrets.${k} }}`);
    // modal:deploy runs the smoke test unless told --no-smoke.
    expect(runs(w)).toMatch(/npm run modal:deploy -- --env /);
    expect(runs(w)).not.toContain('--no-smoke');
    // A failed deployment or smoke test is posted to Slack (webhook from a repository secret).
    const notify = w.jobs.deploy.steps.find((s) => (s.run ?? '').includes('node scripts/notify-slack.mjs')) as Step & {
      if?: string;
      env?: Record<string, string>;
    };
    expect(notify?.if).toBe('failure()');
    expect(notify?.env?.SLACK_WEBHOOK_URL).toBe('${{ secrets.SLACK_WEBHOOK_URL }}');
    expect(w.jobs.deploy.steps.at(-1)).toBe(notify);
  });

  it('notify-slack posts the message to the webhook, and says so when no webhook is set', async () => {
    const { createServer } = await import('node:http');
    const { spawn } = await import('node:child_process');
    const got: string[] = [];
    const srv = createServer((req, res) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => {
        got.push(b);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const c = spawn(process.execPath, [join(repoRoot, 'scripts', 'notify-slack.mjs'), 'deploy failed'], {
          env: { ...process.env, ...env },
        });
        let out = '';
        c.stdout.on('data', (d) => (out += d));
        c.on('close', (code) => resolve({ code, out }));
      });
    try {
      const port = (srv.address() as { port: number }).port;
      expect((await run({ SLACK_WEBHOOK_URL: `http://127.0.0.1:${port}/hook` })).code).toBe(0);
      expect(JSON.parse(got[0])).toEqual({ text: 'deploy failed' });
      const none = await run({ SLACK_WEBHOOK_URL: '' });
      expect(none.code).toBe(0);
      expect(none.out).toContain('SLACK_WEBHOOK_URL is not set');
    } finally {
      srv.close();
    }
  });

  it("builds installers for linux, windows and macos on tags, with each platform's Gmsh", () => {
    const w = load('release.yml');
    expect(w.on.push).toEqual({ tags: ['v*'] });
    const matrix = w.jobs.installers.strategy!.matrix.include;
    expect(matrix.map((m) => m.os)).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
    expect(
      matrix
        .map((m) => m.gmsh)
        .join(' ')
        .split(' '),
    ).toEqual(['linux-x64', 'win32-x64', 'darwin-x64', 'darwin-arm64']);
    const text = runs(w);
    expect(text).toContain('node scripts/fetch-gmsh.mjs');
    // No installer bundles an archive whose sha256 is not pinned in the committed lock file.
    const steps = w.jobs.installers.steps.map((s) => s.run ?? '');
    const gate = steps.findIndex((r) => r.includes('--require-pinned ${{ matrix.gmsh }}'));
    expect(gate).toBeGreaterThanOrEqual(0);
    expect(gate).toBeLessThan(steps.findIndex((r) => r.includes('npm run dist')));
    expect(text).toContain('npm run dist -- ${{ matrix.target }}');
    expect(w.jobs.installers.steps.some((s) => s.uses?.startsWith('actions/upload-artifact'))).toBe(true);
  });
});
