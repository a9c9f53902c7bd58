import type { Command } from 'commander';
import { resetBreaker } from '../../compute/breaker';
import { doctorReport } from '../../workbench/doctor';
import { table } from '../format';
import { printJson, say } from '../io';
import { openManager } from '../manager';

export function register(program: Command) {
  program
    .command('doctor')
    .description('check Gmsh, the data folder, the job store and the offload path')
    .option('--json', 'print the report as JSON')
    .option('--reset-breaker', 'close the offload circuit breaker (after Modal/S3 are healthy again)')
    .action(async (o) => {
      const m = openManager({ checkWholeStore: true }); // a damaged store is healed here, and reported below
      if (o.resetBreaker) {
        resetBreaker(m.store);
        say('Circuit breaker reset: jobs on auto offload to Modal again.');
      }
      const r = await doctorReport(m);
      await m.close();
      if (o.json) printJson(r);
      else {
        say(`Data folder: ${r.dataDir}`);
        for (const c of r.checks) say(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(12)} ${c.detail}`);
        if (r.winRates?.length) {
          say(
            "Learned order, with --learned-order (attempts by win rate on this machine; a part's own last winner with the same sizes and targets goes first):",
          );
          say(
            table(
              ['attempt', 'jobs run', 'wins (targets met)', 'win rate'],
              r.winRates.map((w) => [w.strategy, w.runs, w.wins, `${(100 * w.rate).toFixed(0)} %`]),
            ),
          );
        }
      }
      process.exitCode = r.ok ? 0 : 4;
    });
}
