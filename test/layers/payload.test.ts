// What the viewer receives for a mesh with boundary layers: the skin of all its elements (the layers' quadrangles
// as two triangles each, every triangle on its CAD face), prisms and pyramids numbered after the tets, and their
// metrics in the same numbering, NaN where Gmsh defines none.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inflateMesh } from '../../src/layers/inflate';
import { analyzeMeshSync } from '../../src/mesh/analyze';
import { readMshFile } from '../../src/mesh/msh-reader';
import { measurePrisms, measurePyramids } from '../../src/quality/prism-pyramid';
import { demoPart } from '../helpers/paths';
import { attemptMesh, layerDir } from './fixtures';

describe('the viewer payload of a layered mesh', async () => {
  // faces 3 and 11 of the bracket: layers end on faces without them (quadrangles) and stop at concave corners (pyramids)
  const tets = await attemptMesh(demoPart('bracket.step'), 'bracket', { sizing: { sizeMax: 12 } });
  const out = join(layerDir(), 'bracket-3-11.msh');
  inflateMesh(
    tets,
    out,
    { groups: [{ target: 'w', faces: [3, 11], count: 3, first: 0.1, growth: 1.3 }], minSicn: 0.1 },
    1,
  );
  const m = readMshFile(out);
  const p = analyzeMeshSync(out, { payload: true }).payload!;

  it('the skin is the boundary: the triangles and the halves of the quadrangles, each on its CAD face', () => {
    expect(m.counts.quadrangles).toBeGreaterThan(0);
    expect(m.counts.pyramids).toBeGreaterThan(0);
    expect(p.skin.length / 3).toBe(m.counts.triangles + 2 * m.counts.quadrangles);
    expect(p.skinFaces!.every((f) => f > 0)).toBe(true);
    // the same faces as the file's surface elements carry
    const fileFaces = new Set([...m.triangleEntities, ...m.quadEntities]);
    expect(new Set(p.skinFaces)).toEqual(fileFaces);
  });

  it('elements numbered tets, prisms, pyramids; their metrics in that order, NaN where Gmsh has none', () => {
    const nt = m.counts.tetrahedra,
      np = m.counts.prisms,
      ny = m.counts.pyramids;
    expect(p.prisms).toEqual(m.prisms);
    expect(p.pyramids).toEqual(m.pyramids);
    for (const values of Object.values(p.quality)) expect(values.length).toBe(nt + np + ny);
    const prismSicn = measurePrisms(m.nodes, m.prisms).sicn;
    expect(p.quality.sicn[nt]).toBeCloseTo(prismSicn[0], 6);
    expect(p.quality.sicn[nt + np]).toBeCloseTo(measurePyramids(m.nodes, m.pyramids)[0], 6);
    expect(Number.isNaN(p.quality.aspectRatio[nt])).toBe(true);
    expect(Number.isNaN(p.quality.gamma[nt + np])).toBe(true);
    expect(Math.max(...p.skinTet)).toBeGreaterThanOrEqual(nt); // layer elements own part of the skin
    expect(Math.max(...p.skinTet)).toBeLessThan(nt + np + ny);
  });
});
