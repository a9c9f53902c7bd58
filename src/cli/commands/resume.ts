// meshbench resume [JOB...] [--json]: pick up remote jobs whose desktop side died, by their Modal call ids.
import type { Command } from 'commander';
import { exitCodeOf } from '../exit-code';
import { ConfigError } from '../../util/errors';
import { fail, printJson, say } from '../io';
import { openManager } from '../manager';

export function register(program: Command) {
  program
    .command('resume')
    .description('pick up offloaded jobs whose CLI or desktop ended before they finished (by their Modal call ids)')
    .argument('[jobs...]', 'job ids or unique prefixes (default: every resumable job)')
    .option('--json', 'print the resumed jobs as a JSON array on stdout')
    .action(async (jobs: string[], o) => {
      // The Modal/S3 modules (and the AWS SDK) load only for this command.
      const { resumableJobs, resumeJobs } = await import('../../jobs/pipeline/resume');
      const m = openManager(); // opening the store marks jobs of dead processes interrupted
      try {
        let ids: string[];
        if (jobs.length) {
          ids = jobs.map((j) => {
            const id = m.store.resolveId(j);
            if (!id) throw new ConfigError('no-such-job', `No job matches "${j}".`, 'List jobs with `meshbench jobs`.');
            return id;
          });
        } else ids = resumableJobs(m.store);
        if (!ids.length) {
          say('Nothing to resume: no interrupted job has a Modal call pending.');
          if (o.json) printJson([]);
          return;
        }
        const results = await resumeJobs({
          store: m.store,
          home: m.home,
          remote: m.remote!,
          ids,
          say: o.json ? undefined : say,
        });
        if (o.json) printJson(results);
        else
          for (const j of results)
            say(
              `${j.id}: ${j.status}${j.mesh ? ` -> ${j.mesh.path} (sha256 ${j.mesh.sha256.slice(0, 16)}…)` : ''}${j.error ? ` — ${j.error.message}` : ''}`,
            );
        const bad = results.find((j) => j.status !== 'completed');
        process.exitCode = bad ? exitCodeOf(bad) : 0;
      } catch (e) {
        await m.close();
        fail(e);
      }
      await m.close();
    });
}
