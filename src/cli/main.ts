// `meshbench`: the CLI over the engine (docs/architecture.md, "The CLI contract"). stdout carries only --json output; humans read stderr.
import { Command, CommanderError } from 'commander';
import pkg from '../../package.json';
import { UserError } from '../util/errors';
import { COMMANDS } from './commands';
import { say } from './io';

// The AWS SDK warns on every run that its 2027 releases will need Node 22; engineers cannot act on that here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const program = new Command('meshbench')
  .description('MeshBench: tetrahedral meshes of CAD parts with Gmsh, locally or offloaded to Modal')
  .version(pkg.version)
  .showHelpAfterError()
  .configureOutput({ writeOut: (s) => process.stderr.write(s), writeErr: (s) => process.stderr.write(s) })
  .exitOverride();
for (const c of COMMANDS) c.register(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 1);
  if (e instanceof UserError) {
    say(`meshbench: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}`);
    process.exit(e.exitCode);
  }
  say(`meshbench: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
