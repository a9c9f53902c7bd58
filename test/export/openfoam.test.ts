// The CFD exports checked by the converters CFD users run: OpenFOAM's gmshToFoam on the msh 2.2 export,
// ideasUnvToFoam on the .unv and fluent3DMeshToFoam on the Fluent mesh, each followed by checkMesh. Every conversion
// must give "Mesh OK.", one patch per face group on the part's boundary under the group's own name, and, in an
// assembly, the interfaces between bodies as face zones (not patches). Coarse meshes: the point is the format.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobResult } from '../../src/contract/job';
import { readMshFile } from '../../src/mesh/msh-reader';
import { cli } from '../helpers/cli';
import { demoPart, needsSamples, tmpHome } from '../helpers/paths';
import { haveFoam, noFoam, toFoam } from './foam';
import { samplePart } from './helpers';

/** The CAD surfaces on the mesh's boundary: those of triangles that are a face of exactly one tet. */
function boundarySurfaces(mshPath: string): Set<number> {
  const m = readMshFile(mshPath, undefined, { full: true });
  const key = (a: number, b: number, c: number) => [a, b, c].sort((x, y) => x - y).join(' ');
  const seen = new Map<string, number>();
  const T = m.tets;
  for (let t = 0; t < T.length; t += 4)
    for (const [i, j, k] of [
      [0, 1, 2],
      [0, 1, 3],
      [0, 2, 3],
      [1, 2, 3],
    ]) {
      const s = key(T[t + i], T[t + j], T[t + k]);
      seen.set(s, (seen.get(s) ?? 0) + 1);
    }
  const out = new Set<number>();
  const tp = m.triNodes;
  for (let k = 0; k < m.triangleEntities.length; k++)
    if (seen.get(key(m.triangles[k * tp], m.triangles[k * tp + 1], m.triangles[k * tp + 2])) === 1)
      out.add(m.triangleEntities[k]);
  return out;
}

const TOOLS = [
  ['gmshToFoam', 'msh22'],
  ['ideasUnvToFoam', 'unv'],
  ['fluent3DMeshToFoam', 'fluent'],
] as const;

/** One attempt, coarse (the catalogue's walk to better quality would only cost time here). */
const coarse = (strategy = 'default', sizeFactor = 2) => ['--strategy', strategy, '--size-factor', String(sizeFactor)];

async function checkPart(part: string, meshArgs: string[], interfaces: string[] = []) {
  const out = mkdtempSync(join(tmpdir(), 'mb-foam-'));
  const r = await cli(['mesh', part, ...meshArgs, '--export', 'msh22,unv,fluent', '--out', out, '--json'], tmpHome());
  expect(r.code, r.stderr).toBe(0);
  const job = r.json<JobResult>();
  const onBoundary = boundarySurfaces(job.mesh!.path);
  const faceGroups = job.groups!.filter((g) => g.dim === 2);
  const boundaryGroups = faceGroups.filter((g) => g.tags.some((t) => onBoundary.has(t))).map((g) => g.name);
  expect(boundaryGroups.length).toBeGreaterThan(0);
  for (const name of interfaces) expect(faceGroups.map((g) => g.name)).toContain(name);
  const converted = await Promise.all(
    TOOLS.map(([tool, format]) => toFoam(tool, job.exports!.find((e) => e.format === format)!.path, out)),
  );
  // soft: one converter's miss does not hide another's
  TOOLS.forEach(([tool], i) => {
    const foam = converted[i];
    expect.soft(foam.check, `${tool}: checkMesh`).toMatch(/^Mesh OK\.$/m);
    expect.soft(Object.keys(foam.patches).sort(), `${tool}: patch names`).toEqual([...boundaryGroups].sort());
    for (const name of interfaces) expect.soft(foam.faceZones, `${tool}: face zones`).toContain(name);
  });
}

describe.skipIf(!haveFoam)('OpenFOAM converts the msh 2.2, .unv and Fluent exports' + noFoam, () => {
  it('demo bracket: Mesh OK., one patch per face group', () => checkPart(demoPart('bracket.step'), coarse()), 180_000);

  it(
    'demo knob (STL route): Mesh OK., one patch per face group',
    () => checkPart(demoPart('knob.stl'), coarse('stl-classify')),
    180_000,
  );

  it(
    'three-body assembly: Mesh OK., boundary face groups as patches, the interfaces as face zones',
    () => checkPart(demoPart('assembly.step'), coarse(), ['Interface_1_2', 'Interface_2_3']),
    180_000,
  );

  // Angled at its own size: coarser, its default attempt misses the SICN target and a repair attempt follows.
  for (const [name, sizeFactor] of [
    ['Angled.step', 1],
    ['wrenchnut.stp', 2],
  ] as const) {
    const part = samplePart(name);
    it.skipIf(!part)(
      `real part ${name}: Mesh OK., one patch per face group` + needsSamples,
      () => checkPart(part!, coarse('default', sizeFactor)),
      300_000,
    );
  }
});
