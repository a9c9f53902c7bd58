import type { Command } from 'commander';
import { compareJobs } from '../../jobs/compare';
import { ConfigError } from '../../util/errors';
import { fmtNum, fmtPct, table } from '../format';
import { fail, printJson, say } from '../io';
import { openManager } from '../manager';

export function register(program: Command) {
  program
    .command('compare')
    .description('two jobs side by side, differences in %, and a quality parity verdict (±5 %)')
    .argument('<jobA>')
    .argument('<jobB>')
    .option('--json', 'print the comparison object')
    .action(async (ra: string, rb: string, o) => {
      const m = openManager();
      const [a, b] = [ra, rb].map((r) => {
        const id = m.store.resolveId(r);
        return id ? m.get(id) : null;
      });
      await m.close();
      if (!a || !b)
        fail(new ConfigError('no-such-job', `No job matches "${!a ? ra : rb}".`, 'List them with: meshbench jobs'));
      const c = compareJobs(a, b);
      if (o.json) {
        printJson(c);
        return;
      }
      say(
        `A ${a.id} (${a.backend ?? a.requestedBackend}, ${a.strategy ?? '—'})   B ${b.id} (${b.backend ?? b.requestedBackend}, ${b.strategy ?? '—'})`,
      );
      say(
        table(
          ['metric', 'A', 'B', 'B vs A'],
          c.rows.map((r) => [r.metric, fmtNum(r.a), fmtNum(r.b), fmtPct(r.diffPct)]),
        ),
      );
      say(
        c.parity.method === 'sha256'
          ? c.parity.ok
            ? `Parity: OK (${c.parity.why})`
            : `Parity: NOT met (${c.parity.why})`
          : c.parity.ok
            ? `Parity: OK (${c.parity.why})`
            : `Parity: NOT met (${c.parity.why}; beyond: ${c.parity.failing.join(', ')})`,
      );
    });
}
