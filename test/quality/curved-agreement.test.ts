// The curved-element (quadratic tet) scaled Jacobian against Gmsh's own Jacobian analysis, on real order-2 meshes.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { analyzeMeshSync } from '../../src/mesh/analyze';
import { readMshFile } from '../../src/mesh/msh-reader';
import { measureQuadTets } from '../../src/quality/curved';
import { PYTHON, fixturesPy, gmshMesh } from '../mesh/gmsh-fixtures';

interface GmshJacobian {
  tags: number[];
  sampled: number[];
  plugin: number[];
}
const gmshJacobian = (mesh: string): GmshJacobian =>
  JSON.parse(
    execFileSync(PYTHON, [fixturesPy('gmsh_jacobian.py'), mesh], { maxBuffer: 1 << 28, timeout: 120_000 }).toString(),
  );

function compare(mesh: string) {
  const m = readMshFile(mesh);
  const ours = measureQuadTets(m.nodes, m.quadTets);
  const g = gmshJacobian(mesh);
  const quadOfTag = new Map<number, number>();
  m.quadTetIndex.forEach((tetIndex, q) => quadOfTag.set(m.tetTags[tetIndex], q));
  let worst = 0;
  let pluginAbove = 0;
  let pluginInverted = 0;
  g.tags.forEach((tag, k) => {
    const q = quadOfTag.get(tag);
    expect(q, `Gmsh element ${tag} is one of our quadratic tets`).toBeDefined();
    worst = Math.max(worst, Math.abs(ours.scaledJacobian[q!] - g.sampled[k]));
    // The plugin bounds det J from below/above (Bezier coefficients), so its ratio is never above the sampled one.
    if (g.plugin[k] > ours.scaledJacobian[q!] + 1e-9) pluginAbove++;
    if (g.plugin[k] <= 0) pluginInverted++;
  });
  const min = (a: ArrayLike<number>) => Math.min(...Array.from(a));
  return {
    m,
    ours,
    g,
    worst,
    pluginAbove,
    pluginInverted,
    minOurs: min(ours.scaledJacobian),
    minPlugin: min(g.plugin),
  };
}

describe('scaled Jacobian of quadratic tets agrees with Gmsh', () => {
  it("after Gmsh's high-order optimisation (sliver-boss.step, --order 2)", () => {
    const mesh = gmshMesh('sliver-boss.step', 'sliver.o2.msh', [
      '-clscale',
      '0.6',
      '-order',
      '2',
      '-setnumber',
      'Mesh.HighOrderOptimize',
      '2',
      '-format',
      'msh41',
      '-bin',
    ]);
    const r = compare(mesh);
    expect(r.m.tetOrder).toBe(2);
    expect(r.g.tags.length).toBe(r.m.counts.tetrahedra);
    expect(r.g.tags.length).toBeGreaterThan(1000);
    expect(r.worst).toBeLessThan(1e-6); // element by element, against gmsh.model.mesh.getJacobians
    expect(Math.abs(r.minOurs - r.minPlugin)).toBeLessThan(1e-6); // the mesh's worst element, against the plugin
    expect(r.pluginAbove).toBe(0);
    expect(r.ours.inverted).toBe(0);
    expect(r.pluginInverted).toBe(0);
    // straight-sided interior elements score 1, and the optimised mesh is mostly close to it
    const q = analyzeMeshSync(mesh).quality!;
    expect(q.scaledJacobian!.max).toBeGreaterThan(0.99);
    expect(q.scaledJacobian!.avg).toBeGreaterThan(0.8);
    expect(q.invertedCurved).toBe(0);
    // the viewer gets it per tet, to colour the mesh by it
    const payload = analyzeMeshSync(mesh, { payload: true }).payload!;
    const sj = payload.quality.scaledJacobian!;
    expect(sj.length).toBe(payload.tets.length / 4);
    expect(Math.min(...sj)).toBeCloseTo(q.scaledJacobian!.min, 6);
  });

  it('without the optimisation: the same folded curved elements as Gmsh, and the attempt is disqualified', () => {
    const mesh = gmshMesh('sliver-boss.step', 'sliver.o2raw.msh', [
      '-order',
      '2',
      '-setnumber',
      'Mesh.HighOrderOptimize',
      '0',
      '-format',
      'msh41',
      '-bin',
    ]);
    const r = compare(mesh);
    expect(r.worst).toBeLessThan(1e-6);
    expect(Math.abs(r.minOurs - r.minPlugin)).toBeLessThan(1e-6);
    expect(r.ours.inverted).toBeGreaterThan(0);
    expect(r.ours.inverted).toBe(r.pluginInverted);
    const a = analyzeMeshSync(mesh);
    const q = a.quality!;
    // Every corner tet is valid: only the curved shape is folded, and that alone must disqualify the attempt.
    expect(q.sicn.min).toBeGreaterThan(0);
    expect(q.invertedCurved).toBe(r.pluginInverted);
    expect(q.inverted).toBe(r.pluginInverted);
    expect(a.score).toBeNull();
  });
});
