// A job that keeps a mesh below its targets reads "below target" in the CLI (mesh, jobs, show) and has
// targets.met false in --json; a strategy named on its own runs alone (no repair without --repair). The dihedral
// target is judged: thin-wall at size factor 0.5 with default has a 1.9° dihedral angle.
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { repoRoot, tmpHome } from '../helpers/paths';
import { join } from 'node:path';

describe('a below-target job in the CLI', () => {
  it('says "below target" in jobs and show, targets.met false in --json, and runs only the named strategy', async () => {
    const home = tmpHome();
    const part = join(repoRoot, 'resources', 'hard-parts', 'thin-wall.step');
    const r = await cli(
      [
        'mesh',
        part,
        '--strategy',
        'default',
        '--size-factor',
        '0.5',
        '--min-sicn',
        '0.05',
        '--min-dihedral',
        '5',
        '--json',
      ],
      home,
      {},
      120_000,
    );
    expect(r.code, r.stderr).toBe(0);
    const job = r.json();
    expect(job.status).toBe('completed');
    expect(job.targets).toMatchObject({ minSicn: 0.05, minDihedral: 5, met: false });
    expect(job.targets.missed).toEqual([expect.stringMatching(/^min dihedral angle \d\.\d\d° < 5°$/)]);
    expect(job.attempts.map((a: { strategy: string }) => a.strategy)).toEqual(['default']);
    const jobs = await cli(['jobs'], home);
    expect(jobs.stdout + jobs.stderr).toMatch(new RegExp(`${job.id} +│ below target`));
    const show = await cli(['show', job.id], home);
    expect(show.stdout + show.stderr).toMatch(new RegExp(`Job ${job.id}: below target`));
    expect(show.stdout + show.stderr).toMatch(/0 +│ default +│ completed \(kept\)/);
  });
});
