// The adaptive cascade on real Gmsh runs: per-attempt budgets stop what runs away (with the reason in words),
// the job's time budget and a stop (Ctrl-C, the API) keep the best valid mesh so far, and a job that completes
// below its targets says so.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../src/contract/attempt';
import { AttemptBudgets } from '../../src/jobs/policy/budget';
import { JobManager } from '../../src/jobs/manager';
import { settingsWith } from '../../src/jobs/spec/settings';
import { cli } from '../helpers/cli';
import { cliPath, repoRoot, tmpHome } from '../helpers/paths';

const bracket = join(repoRoot, 'resources/demo/bracket.step');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('per-attempt budgets', () => {
  it("stops an attempt heading for 10× the default's elements, says why, and reports the missed target", async () => {
    const home = tmpHome();
    // No attempt can reach SICN 0.99, so first-acceptable walks the whole catalogue, finest-size included.
    const r = await cli(['mesh', bracket, '--size-factor', '0.5', '--min-sicn', '0.99', '--jobs', '2', '--json'], home);
    expect(r.code).toBe(0);
    const job = r.json();
    const finest = job.attempts.find((a: { strategy: string }) => a.strategy === 'finest-size');
    expect(finest.status).toBe('cancelled');
    expect(finest.error).toMatch(
      /^stopped: heading for ~[\d,]+ tetrahedra, \d+(\.\d)?× the [\d,]+ of default \(surface pass/,
    );
    expect(job.status).toBe('completed');
    expect(job.targets).toEqual({
      minSicn: 0.99,
      met: false,
      missed: [expect.stringMatching(/^SICN min 0\.\d{3} < 0\.99$/)],
    });
    const show = await cli(['show', job.id], home);
    expect(show.stdout + show.stderr).toMatch(/Targets MISSED: SICN min 0\.\d{3} < 0\.99/);
    // Nothing met the targets: the stopped attempt heading for the fewest tetrahedra re-runs once, without the
    // element budget (the time budgets still apply), as a new attempt index that competes like any attempt.
    const again = job.attempts.filter((a: { secondChance?: unknown }) => a.secondChance);
    expect(again).toHaveLength(1);
    const from = job.attempts[again[0].secondChance.from];
    expect(from.error).toMatch(/^stopped: heading for ~[\d,]+ tetrahedra/);
    expect(again[0].strategy).toBe(from.strategy);
    expect(again[0].index).toBe(job.attempts.length - 1);
    expect(again[0].secondChance.reason).toMatch(
      /^re-run without the element budget: nothing met the targets and it was heading for the fewest tetrahedra of the stopped attempts/,
    );
    expect(again[0].status).toBe('completed');
    expect(job.attempts[job.winnerIndex].strategy).toBe(job.strategy);
  });

  it('round-rim: small-features meets the target first, at a twentieth of the tets the finest size needed', async () => {
    const home = tmpHome();
    // Every size-based attempt ends a little below SICN 0.1 here; before small-features the job ended with
    // finest-size's second chance (~168,000 tets). Sizing the fillet ends' short curves meets it at ~7,000.
    const r = await cli(
      ['mesh', join(repoRoot, 'resources/hard-parts/round-rim.step'), '--size-factor', '0.5', '--json'],
      home,
    );
    expect(r.code).toBe(0);
    const job = r.json();
    expect(job.strategy).toBe('small-features');
    expect(job.targets).toEqual({ minSicn: 0.1, met: true, missed: [] });
    const def = job.attempts.find((a: { strategy: string }) => a.strategy === 'default');
    expect(def.quality.sicn.min).toBeLessThan(0.1);
    expect(job.mesh.elements.tetrahedra).toBeLessThan(20_000);
  });

  it('the plain cascade lets the same attempt run on (the budget is what stopped it)', async () => {
    const home = tmpHome();
    const r = await cli(
      ['mesh', bracket, '--size-factor', '0.8', '--strategy', 'finest-size', '--cascade', 'plain', '--json'],
      home,
    );
    expect(r.json().attempts[0].status).toBe('completed');
  });

  it("stops an attempt running 20× the median finished attempt (Gmsh's own log lines, a stepped clock)", () => {
    let now = 0;
    const b = new AttemptBudgets(undefined, () => now);
    b.start(0);
    b.start(1);
    now = 500;
    b.finished({
      index: 0,
      strategy: 'default',
      status: 'completed',
      seconds: 0.5,
      elements: { tetrahedra: 3000, triangles: 0, lines: 0, points: 0, other: 0 },
      nodes: 700,
    } as AttemptOutcome);
    b.line(1, 'Info    : Tetrahedrizing 900 nodes...');
    now = 9_000;
    expect(b.overBudget(1)).toBeNull();
    now = 10_600;
    expect(b.overBudget(1)).toMatch(
      /^stopped: 21× the time of the finished attempts \(10\.6 s against a median of 0\.50 s; budget 20×\)$/,
    );
  });
});

describe('stop and keep the best', () => {
  // A slow job whose target no mesh reaches (SICN 0.99), one attempt at a time in catalogue order: only a stop ends it.
  const unreachableTarget = [
    'mesh',
    bracket,
    '--size-factor',
    '0.3',
    '--min-sicn',
    '0.99',
    '--jobs',
    '1',
    '--cascade',
    'plain',
  ];

  const m = new JobManager({ home: tmpHome(), remote: null });
  afterAll(() => m.close());

  it('the API stop ends the attempts and completes the job with the best mesh so far', async () => {
    const id = m.submit({
      inputPath: bracket,
      settings: settingsWith({ sizeFactor: 0.3, jobs: 1, cascade: 'plain', targets: { minSicn: 0.99 } }),
      backend: 'local',
    });
    for (let i = 0; i < 300 && !m.store.attemptRows(id).some((a) => a.status === 'completed'); i++) await sleep(100);
    m.stop(id);
    const job = await m.wait(id);
    expect(job.status).toBe('completed');
    expect(job.stopped).toEqual({ reason: 'stopped by the user' });
    expect(job.targets?.met).toBe(false);
    expect(existsSync(job.mesh!.path)).toBe(true);
    expect(job.attempts.some((a) => a.status === 'cancelled' && a.error === 'stopped by the user')).toBe(true);
  });

  it('the job time budget stops and keeps the best', async () => {
    const home = tmpHome();
    const r = await cli([...unreachableTarget, '--time-budget', '8', '--json'], home);
    const job = r.json();
    expect(r.code).toBe(0);
    expect(job.stopped.reason).toBe("stopped: the job's time budget of 8 s ran out");
    expect(job.mesh).not.toBeNull();
  });

  it('the first Ctrl-C (SIGINT) keeps the best valid mesh so far', async () => {
    const home = tmpHome();
    const child = spawn(process.execPath, [cliPath, ...unreachableTarget, '--json'], {
      env: { ...process.env, MESHBENCH_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const completed = () => {
      try {
        const d = new Database(join(home, 'meshbench.sqlite'), { readonly: true, fileMustExist: true });
        const n = (d.prepare(`SELECT COUNT(*) n FROM attempts WHERE status='completed'`).get() as { n: number }).n;
        d.close();
        return n;
      } catch {
        return 0;
      }
    };
    for (let i = 0; i < 300 && completed() === 0; i++) await sleep(100);
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('close', r));
    expect(code).toBe(0);
    const job = JSON.parse(out);
    expect(job.status).toBe('completed');
    expect(job.stopped).toEqual({ reason: 'stopped by the user' });
    expect(existsSync(job.mesh.path)).toBe(true);
    expect(job.targets.met).toBe(false);
  });
});

describe('targeted repair', () => {
  const thinWall = join(repoRoot, 'resources/hard-parts/thin-wall.step');

  // The repair itself (local, kept only if better, deterministic): test/engine/local-repair.test.ts.
  it('the plain cascade keeps the default mesh below target (no repair)', async () => {
    const r = await cli(
      ['mesh', thinWall, '--size-factor', '0.5', '--strategy', 'default', '--cascade', 'plain', '--json'],
      tmpHome(),
    );
    const job = r.json();
    expect(job.attempts.map((a: { strategy: string }) => a.strategy)).toEqual(['default']);
    expect(job.targets.met).toBe(false);
  });
});

describe('learned order (opt-in)', () => {
  it("tries this part's last winner with the same sizes and targets first, never one of another size factor; doctor shows the win rates", async () => {
    const home = tmpHome();
    // `best` picks the lowest score among acceptable meshes: on the bracket that is not `default`.
    const first = (
      await cli(['mesh', bracket, '--policy', 'best', '--jobs', '2', '--learned-order', '--json'], home)
    ).json();
    expect(first.targets.met).toBe(true);
    expect(first.strategy).not.toBe('default');
    const second = (await cli(['mesh', bracket, '--jobs', '1', '--learned-order', '--json'], home)).json();
    expect(second.attempts[0].strategy).toBe(first.strategy);
    expect(second.strategy).toBe(first.strategy);
    const log = await cli(['show', second.id, '--log'], home);
    expect(log.stdout + log.stderr).toContain(
      `Learned order: ${first.strategy} first (it won on this part with these sizes and targets in job ${first.id})`,
    );
    const doctor = (await cli(['doctor', '--json'], home)).json();
    expect(doctor.winRates.find((w: { strategy: string }) => w.strategy === first.strategy)).toMatchObject({
      runs: 2,
      wins: 2,
    });
    // Another size factor: the part's winner at size factor 1 is not this job's.
    const other = (
      await cli(['mesh', bracket, '--size-factor', '0.7', '--jobs', '1', '--learned-order', '--json'], home)
    ).json();
    const otherLog = await cli(['show', other.id, '--log'], home);
    expect(otherLog.stdout + otherLog.stderr).toContain(
      'Learned order: no winner on this part with these sizes and targets yet',
    );
    // Without --learned-order the catalogue order holds, whatever the history.
    const plain = (await cli(['mesh', bracket, '--jobs', '1', '--json'], home)).json();
    expect(plain.attempts[0].strategy).toBe('default');
    const plainLog = await cli(['show', plain.id, '--log'], home);
    expect(plainLog.stdout + plainLog.stderr).not.toContain('Learned order');
  });
});
