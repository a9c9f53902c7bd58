// Our SICN against Gmsh's own Plugin(AnalyseMeshQuality) ICN, element by element, on real meshes of the project's
// parts (and of the sample parts, when present).
import { describe, expect, it } from 'vitest';
import { readMshFile } from '../../src/mesh/msh-reader';
import { measureTets, summarize } from '../../src/quality/kernel';
import { hasSamples, needsSamples } from '../helpers/paths';
import { binary41, gmshIcn, gmshMesh } from '../mesh/gmsh-fixtures';

function compare(mesh: string) {
  const m = readMshFile(mesh);
  const ours = measureTets(m.nodes, m.tets);
  const gmsh = gmshIcn(mesh);
  const index = new Map<number, number>();
  m.tetTags.forEach((tag, i) => index.set(tag, i));
  let worst = 0;
  let matched = 0;
  gmsh.tags.forEach((tag, k) => {
    const i = index.get(tag);
    expect(i, `Gmsh element ${tag} is one of our tets`).toBeDefined();
    worst = Math.max(worst, Math.abs(ours.sicn[i!] - gmsh.icn[k]));
    matched++;
  });
  return { m, ours, matched, worst };
}

describe('SICN agrees with Gmsh AnalyseMeshQuality (ICNMeasure) per element', () => {
  const parts = ['bracket.step', 'small-fillet.step', 'sliver-boss.step'].map((p) => ({ p, skip: false, note: '' }));
  for (const p of ['t20_data.step', 'wrenchnut.stp', 'Angled.step'])
    parts.push({ p, skip: !hasSamples, note: needsSamples });
  for (const { p: part, skip, note } of parts) {
    it.skipIf(skip)(part + note, () => {
      const { m, ours, matched, worst } = compare(binary41(part));
      expect(m.counts.tetrahedra).toBeGreaterThan(400);
      expect(matched).toBe(m.counts.tetrahedra);
      expect(worst).toBeLessThan(1e-9);
      // and the report built on it is sane for a Gmsh default mesh
      const q = summarize(ours, { cornerNodesOnly: false });
      expect(q.inverted).toBe(0);
      expect(q.sicn.min).toBeGreaterThan(0);
      expect(q.sicn.max).toBeLessThanOrEqual(1 + 1e-12);
    });
  }

  it('finer meshes from the Delaunay and HXT 3D generators', () => {
    const delaunay = gmshMesh('sliver-boss.step', 'sliver.fine.msh', ['-clscale', '0.3', '-format', 'msh41', '-bin']);
    const hxt = gmshMesh('sliver-boss.step', 'sliver.hxt.msh', [
      '-clscale',
      '0.3',
      '-setnumber',
      'Mesh.Algorithm3D',
      '10',
      '-format',
      'msh41',
      '-bin',
    ]);
    for (const f of [delaunay, hxt]) {
      const { m, matched, worst } = compare(f);
      expect(m.counts.tetrahedra).toBeGreaterThan(5000);
      expect(matched).toBe(m.counts.tetrahedra);
      expect(worst).toBeLessThan(1e-9);
    }
  });
});
