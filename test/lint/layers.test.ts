// The layer rules `npm run lint` enforces (.dependency-cruiser.cjs), run on small trees written for the purpose:
// a tree that keeps the layers passes, and each deliberate violation is reported under its rule's name.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Writes `files` into a scratch repository beside this one's node_modules and runs the layer check on it. */
function cruise(files: Record<string, string>): { code: number; output: string } {
  const root = mkdtempSync(join(tmpdir(), 'meshbench-layers-'));
  dirs.push(root);
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  copyFileSync(join(repoRoot, 'package.json'), join(root, 'package.json'));
  writeFileSync(
    join(root, 'tsconfig.node.json'),
    JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', strict: true } }),
  );
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const bin = join(repoRoot, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  const args = [
    bin,
    '--config',
    join(repoRoot, '.dependency-cruiser.cjs'),
    '--output-type',
    'err-long',
    'src',
    'main',
    'preload',
    'renderer',
  ];
  try {
    return { code: 0, output: execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, output: `${err.stdout}${err.stderr}` };
  }
}

const layered = {
  'src/contract/job.ts': 'export interface Job { id: string }\n',
  'src/jobs/run.ts': "import type { Job } from '../contract/job';\nexport const idOf = (j: Job) => j.id;\n",
  'src/workbench/service.ts': "import { idOf } from '../jobs/run';\nexport const service = { idOf };\n",
  'src/cli/main.ts': "import { service } from '../workbench/service';\nexport const cli = service;\n",
  'main/index.ts':
    "import { service } from '../src/workbench/service';\nimport type { Job } from '../src/contract/job';\nexport const m = (j: Job) => service.idOf(j);\n",
  'preload/index.ts': "import type { Job } from '../src/contract/job';\nexport type P = Job;\n",
  'renderer/src/app.ts': "import type { Job } from '../../src/contract/job';\nexport type R = Job;\n",
};

describe('layer rules', () => {
  it('a tree that keeps the layers passes', () => {
    const r = cruise(layered);
    expect(r.output).toMatch(/no dependency violations/);
    expect(r.code).toBe(0);
  });

  it('each deliberate violation fails under its rule', () => {
    const r = cruise({
      ...layered,
      // the engine reaching into a shell, and into Electron
      'src/jobs/up.ts':
        "import { m } from '../../main/index';\nimport { app } from 'electron';\nexport const x = [m, app];\n",
      // the renderer importing engine internals and Node
      'renderer/src/bad.ts':
        "import { idOf } from '../../src/jobs/run';\nimport { readFileSync } from 'node:fs';\nexport const y = [idOf, readFileSync];\n",
      // main importing below the workbench
      'main/bad.ts': "import { idOf } from '../src/jobs/run';\nexport const z = idOf;\n",
      // the workbench importing the CLI
      'src/workbench/cli-use.ts': "import { cli } from '../cli/main';\nexport const w = cli;\n",
      // two engine folders importing each other
      'src/mesh/a.ts': "import { b } from '../quality/b';\nexport const a = () => b;\n",
      'src/quality/b.ts': "import { a } from '../mesh/a';\nexport const b = () => a;\n",
      // a package that is installed (as someone else's dependency) but not declared
      'src/util/semver-use.ts': "import semver from 'semver';\nexport const s = semver;\n",
      // an import that resolves to nothing
      'src/util/typo.ts': "import { nothing } from './no-such-file';\nexport const t = nothing;\n",
    });
    expect(r.code).not.toBe(0);
    const rules = new Set([...r.output.matchAll(/error ([a-z-]+):/g)].map((m) => m[1]));
    expect([...rules].sort()).toEqual(
      [
        'cli-is-a-leaf',
        'declared-packages-only',
        'engine-not-electron',
        'engine-not-shells',
        'no-folder-cycles',
        'renderer-no-node',
        'renderer-only-contract',
        'resolvable',
        'shells-only-contract-and-workbench',
      ].sort(),
    );
  });
});
