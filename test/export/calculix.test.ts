// The .inp export checked by the solver that reads it: CalculiX runs a static analysis with one face group fixed
// and gravity on every body group, for linear and for quadratic tets. A wrong C3D10 node order or face numbering
// shows up as a negative Jacobian or a refused surface, and fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportMesh } from '../../src/export/export-mesh';
import { readMshFile } from '../../src/mesh/msh-reader';
import { needsSamples } from '../helpers/paths';
import { bracket, haveCcx, meshPart, samplePart, solveCcx } from './helpers';

function ccxStatic(part: string, order: 1 | 2, sizeFactor: number) {
  const { msh, dir } = meshPart(part, { elementOrder: order, sizeFactor });
  const { exports, groups = [] } = exportMesh(msh, ['inp'], dir, 'part');
  const bodies = groups.filter((g) => g.dim === 3);
  const [fixed, loaded] = groups.filter((g) => g.dim === 2).sort((a, b) => b.nodes - a.nodes); // the two largest faces
  const deck = [
    '*INCLUDE, INPUT=part.inp',
    '*MATERIAL, NAME=STEEL',
    '*ELASTIC',
    '210000., 0.3',
    '*DENSITY',
    '7.85E-9',
    ...bodies.map((b) => `*SOLID SECTION, ELSET=${b.name}, MATERIAL=STEEL`),
    '*BOUNDARY',
    `${fixed.name}, 1, 3`,
    '*STEP',
    '*STATIC',
    '*DLOAD',
    ...bodies.map((b) => `${b.name}, GRAV, 9810., 0., 0., -1.`),
    '*DSLOAD', // the element-face *SURFACE of a face group carries a pressure
    `${loaded.name}, P, 0.01`,
    '*NODE PRINT, NSET=NALL',
    'U',
    '*END STEP',
    '',
  ].join('\n');
  const r = solveCcx(dir, deck);
  return { r, log: r.log, dir, exports, groups, mesh: readMshFile(msh, undefined, { full: true }) };
}

function maxDisplacement(dat: string): number {
  let max = 0;
  for (const line of dat.split('\n')) {
    const f = line.trim().split(/\s+/).map(Number);
    if (f.length === 4 && f.every(Number.isFinite)) max = Math.max(max, Math.hypot(f[1], f[2], f[3]));
  }
  return max;
}

describe.skipIf(!haveCcx)('CalculiX runs the exported .inp', () => {
  it.each([1, 2] as const)(
    'static analysis of the demo bracket, order %i: fixed face, gravity on the body, no error',
    (order) => {
      const { r, log, dir, groups, mesh } = ccxStatic(bracket, order, 1.5);
      expect(log).not.toMatch(/\*ERROR|negative jacobian/i);
      expect(r.status, log).toBe(0);
      expect(log).toMatch(/Job finished/);
      const dat = readFileSync(join(dir, 'static.dat'), 'utf8');
      const u = maxDisplacement(dat);
      expect(u).toBeGreaterThan(0);
      expect(u).toBeLessThan(1); // steel under its own weight: far below a millimetre
      const inp = readFileSync(join(dir, 'part.inp'), 'utf8');
      expect(inp).toContain(order === 2 ? 'TYPE=C3D10' : 'TYPE=C3D4');
      expect(inp).not.toMatch(/TYPE=(CPS|S3|T3D|B3)/);
      // the solver read every node and tet we wrote
      expect(dat.match(/^\s+\d+\s+\S+\s+\S+\s+\S+\s*$/gm)!.length).toBe(mesh.nodeCount);
      expect(groups.some((g) => g.dim === 3 && g.elements === mesh.tetEntities.length)).toBe(true);
    },
  );

  const angled = samplePart('Angled.step');
  it.skipIf(!angled).each([1, 2] as const)(
    'static analysis of the real part Angled.step, order %i' + needsSamples,
    (order) => {
      const { r, log } = ccxStatic(angled!, order, 1);
      expect(log).not.toMatch(/\*ERROR|negative jacobian/i);
      expect(r.status, log).toBe(0);
      expect(log).toMatch(/Job finished/);
    },
  );
});
