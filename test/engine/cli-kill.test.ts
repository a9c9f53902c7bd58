// The CLI stopped mid-mesh. Killed with -9: its job becomes `interrupted` (not `running`) and no Gmsh process stays
// behind. Interrupted (Ctrl-C) before any mesh exists: nothing to keep, so the job ends `cancelled` and the CLI exits
// 130, the contract's code.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../src/util/proc';
import { cli } from '../helpers/cli';
import { cliPath, repoRoot, tmpHome } from '../helpers/paths';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `meshbench mesh` of a fine demo bracket (Gmsh busy for several seconds), once its Gmsh process runs. */
async function meshing(home: string) {
  const child = spawn(
    process.execPath,
    [
      cliPath,
      'mesh',
      join(repoRoot, 'resources/demo/bracket.step'),
      '--strategy',
      'default',
      '--size-factor',
      '0.12',
      '--json',
    ],
    { env: { ...process.env, MESHBENCH_HOME: home }, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const closed = new Promise<number | null>((r) => child.once('close', r));
  const db = () => new Database(join(home, 'meshbench.sqlite'), { readonly: true, fileMustExist: true });
  let gmshPid: number | null = null;
  for (let i = 0; i < 200 && gmshPid === null; i++) {
    await sleep(100);
    try {
      const d = db();
      gmshPid =
        (
          d.prepare(`SELECT gmsh_pid p FROM attempts WHERE status='running' AND gmsh_pid IS NOT NULL`).get() as
            { p: number } | undefined
        )?.p ?? null;
      d.close();
    } catch {
      /* store not created yet */
    }
  }
  expect(gmshPid, 'Gmsh never started').not.toBeNull();
  expect(isAlive(gmshPid!)).toBe(true);
  return { child, gmshPid: gmshPid!, closed, stdout: () => stdout };
}

describe('the CLI stopped mid-mesh', () => {
  it('kill -9 leaves the job interrupted and no Gmsh behind', async () => {
    const home = tmpHome();
    const { child, gmshPid, closed } = await meshing(home);
    child.kill('SIGKILL');
    await closed;

    // The next CLI opening the store recovers the job; Gmsh is gone (parent-death signal, else recovery).
    const r = await cli(['jobs', '--json'], home);
    const [job] = r.json();
    expect(job.status).toBe('interrupted');
    expect(job.error.message).toMatch(/ended before it finished/);
    expect(job.attempts[0].status).toBe('cancelled');
    for (let i = 0; i < 50 && isAlive(gmshPid); i++) await sleep(100);
    expect(isAlive(gmshPid)).toBe(false);
  });

  it('Ctrl-C before any mesh: the job ends cancelled, Gmsh ends, exit 130', async () => {
    const home = tmpHome();
    const { child, gmshPid, closed, stdout } = await meshing(home);
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    const job = JSON.parse(stdout());
    expect(job.status).toBe('cancelled');
    expect(job.mesh).toBeNull();
    for (let i = 0; i < 50 && isAlive(gmshPid); i++) await sleep(100);
    expect(isAlive(gmshPid)).toBe(false);
  });
});
