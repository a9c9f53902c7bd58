// Rules of `npm run lint` beyond the recommended sets, each shown refusing what it is there to refuse.
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';

const eslint = new ESLint({ cwd: repoRoot });
const rulesHit = async (file: string, code: string) =>
  (await eslint.lintText(code, { filePath: join(repoRoot, file) }))[0].messages.map((m) => m.ruleId);

describe('lint rules', () => {
  it('`as never` (a cast that switches the type check off) is refused in product code', async () => {
    const code = 'const schemas: Record<string, number> = { a: 1 } as never;\nexport default schemas;\n';
    expect(await rulesHit('src/workbench/probe.ts', code)).toContain('no-restricted-syntax');
    expect(
      await rulesHit(
        'src/workbench/probe.ts',
        'const schemas: Record<string, number> = { a: 1 };\nexport default schemas;\n',
      ),
    ).toEqual([]);
  });

  it('the engine never writes process.env (values are passed, not planted in the environment)', async () => {
    for (const code of [
      "process.env.MESHBENCH_GMSH = '/opt/gmsh';\n",
      "process.env['MESHBENCH_GMSH'] = '/opt/gmsh';\n",
      'delete process.env.MESHBENCH_GMSH;\n',
    ])
      expect(await rulesHit('src/workbench/probe.ts', code)).toContain('no-restricted-syntax');
    expect(await rulesHit('src/workbench/probe.ts', 'export const gmsh = process.env.MESHBENCH_GMSH;\n')).toEqual([]);
    // `as never` is still refused there.
    expect(await rulesHit('src/workbench/probe.ts', 'export const x = 1 as never;\n')).toContain(
      'no-restricted-syntax',
    );
    // and src/geo/, where Gmsh script text is allowed, still may not write it
    expect(await rulesHit('src/geo/probe.ts', 'delete process.env.MESHBENCH_GMSH;\n')).toContain(
      'no-restricted-syntax',
    );
  });

  it('Gmsh script text is refused outside src/geo/, whose builder checks what goes into a script', async () => {
    const statements = [
      'export const s = `Physical Surface("${name}", 3) = {1};`;\n',
      "export const s = 'Field[1] = Distance';\n",
      'export const s = `Merge "${file}"`;\n',
      "export const s = ['mbV[] = Volume{:};', 'For i In {0:3}'];\n",
      "export const s = 'BooleanFragments{ Volume{1}; Delete; }{ Volume{2}; Delete; }';\n",
      'export const s = `Printf("%g", x) > "out.txt";`;\n',
      "export const s = 'Mesh 3';\n",
    ];
    for (const code of statements) {
      expect(await rulesHit('src/model/probe.ts', code), code).toContain('no-restricted-syntax');
      expect(await rulesHit('src/geo/probe.ts', code), code).toEqual([]);
    }
    // Gmsh's words in prose, option names on an argv and log patterns stay allowed
    const prose = [
      "export const s = 'Mesh 3D: the volume mesher failed on surface 8';\n",
      "export const s = ['-setnumber', 'Mesh.Algorithm3D', '1'];\n",
      "export const s = 'the attempt merges the staged input and saves the mesh';\n",
    ];
    for (const code of prose) expect(await rulesHit('src/model/probe.ts', code), code).toEqual([]);
  });

  it('hooks follow the rules of hooks in the renderer', async () => {
    const code =
      "import { useState } from 'react';\nexport function C(p: { on: boolean }) {\n  if (p.on) useState(0);\n  return null;\n}\n";
    expect(await rulesHit('renderer/src/components/Probe.tsx', code)).toContain('react-hooks/rules-of-hooks');
  });
});
