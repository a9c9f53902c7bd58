// Bundles the engine's Node entry points into out/engine/ (CommonJS, Node 20).
// The CLI keeps npm packages external (they live in node_modules); the attempt runner is self-contained
// because it is shipped alone to the Modal worker image.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = [
  { in: 'src/cli/main.ts', out: 'cli', external: true },
  { in: 'src/mesh/analyze-worker.ts', out: 'mesh-worker', external: true },
  // Debian bookworm's nodejs (the Modal image) is Node 18.
  { in: 'src/attempt/runner-cli.ts', out: 'attempt-runner', external: false, target: 'node18' },
  { in: 'src/web/server-cli.ts', out: 'web-server', external: true },
  { in: 'src/cloud/s3-stand-in-cli.ts', out: 's3-stand-in', external: true },
  // `meshbench bench --only export` reads a writer's peak memory in a fresh process.
  { in: 'src/bench/export-child.ts', out: 'export-child', external: true },
];

for (const e of entries.filter((e) => existsSync(e.in))) {
  await build({
    entryPoints: [e.in],
    outfile: `out/engine/${e.out}.cjs`,
    bundle: true,
    platform: 'node',
    target: e.target ?? 'node20',
    format: 'cjs',
    sourcemap: true,
    packages: e.external ? 'external' : undefined,
    tsconfig: 'tsconfig.node.json',
    logLevel: 'warning',
  });
}
console.log('engine built into out/engine/');
