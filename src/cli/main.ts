// `meshbench`: the CLI over the engine (docs/architecture.md, "The CLI contract"). stdout carries only --json output; humans read stderr.
import { Command, CommanderError } from 'commander';
import pkg from '../../package.json';
import { COMMANDS } from './commands';
import { fail, say } from './io';

// The AWS SDK warns on every run that its 2027 releases will need Node 22; engineers cannot act on that here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const program = new Command('meshbench')
  .description('MeshBench: tetrahedral meshes of CAD parts with Gmsh, locally or offloaded to Modal')
  .version(pkg.version)
  .showHelpAfterError()
  .configureOutput({ writeOut: (s) => process.stderr.write(s), writeErr: (s) => process.stderr.write(s) })
  .exitOverride();
for (const c of COMMANDS) c.register(program);

/** A bug: its stack is the one thing that helps. */
const internal = (e: unknown) => {
  say(`meshbench: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
};

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 1);
  try {
    fail(e); // expected failures (ours, or the machine's: a full disk, a damaged store) in words; exits
  } catch {
    internal(e);
  }
});
// The machine's failures can surface outside the command's promise too (a timer writing the store); same words.
process.on('uncaughtException', (e) => {
  try {
    fail(e);
  } catch {
    internal(e);
  }
});
