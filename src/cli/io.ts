// Output helpers that keep stdout clean for --json and put everything for humans on stderr.
import { UserError } from '../util/errors';

export const printJson = (v: unknown) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
export const say = (s: string) => process.stderr.write(`${s}\n`);

/** Expected failures print their message (and hint), never a stack trace. */
export function fail(e: unknown): never {
  if (e instanceof UserError) {
    say(`meshbench: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}`);
    process.exit(e.exitCode);
  }
  throw e;
}
