// One tsconfig per runtime: the engine's (Node) refuses the DOM, the renderer's (web) refuses Node. Each check
// compiles a small probe file, placed in the folder the config covers, with that config's options.
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';

function errorsOf(config: string, folder: string, code: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(repoRoot, config),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!parsed) throw new Error(`cannot read ${config}`);
  const probe = join(repoRoot, folder, '__runtime_probe__.ts');
  const host = ts.createCompilerHost(parsed.options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang, ...rest) =>
    f === probe ? ts.createSourceFile(f, code, lang) : read(f, lang, ...rest);
  const exists = host.fileExists.bind(host);
  host.fileExists = (f) => f === probe || exists(f);
  const program = ts.createProgram([probe], { ...parsed.options, noEmit: true, composite: false }, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('a tsconfig per runtime', () => {
  it('the engine compiles against Node and not the DOM', () => {
    const errors = errorsOf(
      'tsconfig.node.json',
      'src/jobs',
      'export const pid: number = process.pid;\nexport const t: string = document.title;\n',
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Cannot find name 'document'/);
  });

  it('the renderer compiles against the DOM and not Node', () => {
    const errors = errorsOf(
      'tsconfig.web.json',
      'renderer/src',
      "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\nexport const t: string = document.title;\nexport const pid: number = process.pid;\n",
    );
    expect(errors).toHaveLength(2);
    expect(errors.join('\n')).toMatch(/Cannot find module 'node:fs'/);
    expect(errors.join('\n')).toMatch(/Cannot find name 'process'/);
  });
});
