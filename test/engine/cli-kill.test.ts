// A CLI killed with -9 mid-mesh: its job becomes `interrupted` (not `running`) and no Gmsh process stays behind.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../src/util/proc';
import { cli } from '../helpers/cli';
import { cliPath, repoRoot, tmpHome } from '../helpers/paths';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kill -9 of the CLI mid-mesh', () => {
  it('leaves the job interrupted and no Gmsh behind', async () => {
    const home = tmpHome();
    // A fine mesh of the demo bracket keeps Gmsh busy for several seconds.
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
      {
        env: { ...process.env, MESHBENCH_HOME: home },
        stdio: 'ignore',
      },
    );
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
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));

    // The next CLI opening the store recovers the job; Gmsh is gone (parent-death signal, else recovery).
    const r = await cli(['jobs', '--json'], home);
    const [job] = r.json();
    expect(job.status).toBe('interrupted');
    expect(job.error.message).toMatch(/ended before it finished/);
    expect(job.attempts[0].status).toBe('cancelled');
    for (let i = 0; i < 50 && isAlive(gmshPid!); i++) await sleep(100);
    expect(isAlive(gmshPid!)).toBe(false);
  });
});
