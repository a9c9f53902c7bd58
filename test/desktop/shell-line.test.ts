// "Copy command line": bash reads the copied string back into exactly the attempt's argv.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellLine } from '../../renderer/src/shell-line';

const reparse = (line: string) =>
  execFileSync('bash', ['-c', 'eval "set -- $1"; printf "%s\\0" "$@"', '_', line], { encoding: 'utf8' })
    .split('\0')
    .slice(0, -1);

describe('shellLine', () => {
  it('quotes spaces, quotes, dollars, globs and empty words so the shell gets the same argv back', () => {
    const argv = [
      '/opt/gmsh 4.8/bin/gmsh',
      '/data/My Part\'s "v2".step',
      '-3',
      '-setnumber',
      'Mesh.MeshSizeFactor',
      '0.5',
      '$HOME',
      '*.msh',
      '',
      'a;b|c&d',
      '-o',
      '/tmp/out.msh',
    ];
    expect(reparse(shellLine(argv))).toEqual(argv);
  });
  it('leaves plain words bare', () => {
    expect(shellLine(['gmsh', '-3', '-nt', '1', '/tmp/a-b_c.step'])).toBe('gmsh -3 -nt 1 /tmp/a-b_c.step');
  });
});
