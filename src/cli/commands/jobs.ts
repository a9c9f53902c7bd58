import type { Command } from 'commander';
import { ConfigError } from '../../util/errors';
import { Option } from 'commander';
import { HISTOGRAM_METRICS, jobDetails, jobsTable, textHistogram } from '../format';
import { fail, printJson, say } from '../io';
import { openManager } from '../manager';

export function register(program: Command) {
  program
    .command('jobs')
    .description('list jobs (newest first)')
    .option('--json', 'print an array of job objects')
    .action(async (o) => {
      const m = openManager();
      const jobs = m.list();
      if (o.json) printJson(jobs);
      else say(jobs.length ? jobsTable(jobs) : 'No jobs yet. Mesh a part: meshbench mesh PART.step');
      await m.close();
    });

  program
    .command('show')
    .description('one job in detail: quality, attempts with their reasons and command lines, timings')
    .argument('<job>', 'job id (or a unique prefix)')
    .option('--json', 'print the job object')
    .option('--log', 'print its log lines too')
    .addOption(
      new Option('--histogram <metric>', 'the quality histogram printed (the same bands the desktop draws)')
        .choices(Object.keys(HISTOGRAM_METRICS))
        .default('sicn'),
    )
    .action(async (ref: string, o) => {
      const m = openManager();
      const id = m.store.resolveId(ref);
      if (!id) {
        await m.close();
        fail(new ConfigError('no-such-job', `No job matches "${ref}".`, 'List them with: meshbench jobs'));
      }
      const job = m.get(id)!;
      if (o.json) printJson(o.log ? { ...job, log: m.log(id) } : job);
      else {
        say(jobDetails(job));
        if (job.quality) say(textHistogram(job, o.histogram));
        for (const a of job.attempts) if (a.argv.length) say(`  argv[${a.strategy}]: ${JSON.stringify(a.argv)}`);
        if (o.log) for (const l of m.log(id)) say(l.text);
      }
      await m.close();
    });
}
