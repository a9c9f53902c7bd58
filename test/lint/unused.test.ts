// `npm run lint` runs knip with the project's entry points (knip.json): on a small tree written for the purpose, an
// export used only by a test or a script counts as used, and an unused export or file is reported.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function knip(files: Record<string, string>): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mb-knip-'));
  dirs.push(dir);
  copyFileSync(join(repoRoot, 'knip.json'), join(dir, 'knip.json'));
  const all = { 'package.json': '{ "name": "probe", "private": true }', 'tsconfig.json': '{}', ...files };
  for (const [f, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  const r = spawnSync(join(repoRoot, 'node_modules', '.bin', 'knip'), ['--no-progress', '--no-config-hints'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

const tree = {
  'src/cli/main.ts': "import { used } from '../lib';\nconsole.log(used());\n",
  'src/lib.ts': 'export const used = () => 1;\nexport const forTests = () => 2;\n',
  'test/lib.test.ts': "import { forTests } from '../src/lib';\nconsole.log(forTests());\n",
};

describe('unused exports and files (knip)', () => {
  it('a tree whose exports are all used by an entry (the CLI, a test) passes', () => {
    const r = knip(tree);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('an unused export and an unused file are reported', () => {
    const r = knip({
      ...tree,
      'src/lib.ts': tree['src/lib.ts'] + 'export const nobodyCalls = () => 3;\n',
      'src/orphan.ts': 'export const x = 1;\n',
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Unused files[\s\S]*src\/orphan\.ts/);
    expect(r.out).toMatch(/Unused exports[\s\S]*nobodyCalls/);
  });
});
