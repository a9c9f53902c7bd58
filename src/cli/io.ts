// Output helpers that keep stdout clean for --json and put everything for humans on stderr.
import { markStoreDamaged, storeFile } from '../jobs/store/store';
import { UserError } from '../util/errors';
import { StoreDamagedError, describeFault } from '../util/faults';
import { dataHome } from '../util/home';

export const printJson = (v: unknown) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
export const say = (s: string) => process.stderr.write(`${s}\n`);

/**
 * Expected failures print their message (and hint), never a stack trace: the CLI's own refusals (UserError) and the
 * machine's (a full disk, a damaged or locked store, a folder that cannot be written: src/util/faults.ts). Anything
 * else is a bug and is rethrown. Damage met in the store is marked, so the next command heals it.
 */
export function fail(e: unknown): never {
  const f = e instanceof UserError ? e : machineFault(e);
  if (!f) throw e;
  say(`meshbench: ${f.message}${f.hint ? `\n  hint: ${f.hint}` : ''}`);
  process.exit(f.exitCode);
}

function machineFault(e: unknown): UserError | null {
  let home: string | null = null;
  try {
    home = dataHome();
  } catch {
    /* the data folder itself is the problem: describeFault names it from the error */
  }
  const f = describeFault(e, home ? { store: storeFile(home) } : {});
  if (f instanceof StoreDamagedError && home) markStoreDamaged(home, f.reason);
  return f;
}
