// Bundles a TypeScript helper into a runnable CommonJS file (npm packages stay external, found via NODE_PATH).
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/paths';

export async function bundleHelper(entry: string): Promise<{ file: string; env: Record<string, string> }> {
  const file = join(mkdtempSync(join(tmpdir(), 'meshbench-child-')), 'child.cjs');
  await build({ entryPoints: [entry], outfile: file, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'warning' });
  return { file, env: { NODE_PATH: join(repoRoot, 'node_modules') } };
}
