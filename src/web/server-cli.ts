// `npm run web`: the browser harness. Serves out/renderer and the WorkbenchApi over a loopback WebSocket guarded
// by a per-run token; prints the address to open. Secrets go to a 0600 file in the data folder.
import { join, resolve } from 'node:path';
import { createWorkbenchService } from '../workbench/service';
import { FileSecretStore, MemorySecretStore } from '../workbench/secrets';
import { dataHome } from '../util/home';
import { projectRoot } from '../gmsh/locate';
import { startHarness } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const home = dataHome();
  const root = projectRoot(__dirname) ?? process.cwd();
  const rendererDir = resolve(arg('renderer') ?? join(root, 'out', 'renderer'));
  const secrets = process.argv.includes('--memory-secrets')
    ? new MemorySecretStore()
    : new FileSecretStore(join(home, 'harness-secrets.json'));
  // A browser has no folder dialog: the person starting the harness names the one folder exports may go to.
  const exportDir = arg('export-dir');
  const service = createWorkbenchService({
    home,
    secrets,
    ...(exportDir ? { pickFolder: async () => resolve(exportDir) } : {}),
  });
  const h = await startHarness({ api: service, rendererDir, port: arg('port') ? Number(arg('port')) : 0 });
  // One line a script can parse, then a friendly one.
  process.stdout.write(`${JSON.stringify({ url: h.url, port: h.port, home })}\n`);
  process.stderr.write(`MeshBench harness on ${h.url}\n(data folder ${home}; Ctrl+C to stop)\n`);
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await h.close();
    await service.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  process.stderr.write(`meshbench web: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(4);
});
