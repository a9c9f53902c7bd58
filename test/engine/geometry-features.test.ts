// What the geometry prevents, found by the model read (one Gmsh run, real parts): face corners near 0° at CAD
// vertices (from triangle angles of a surface mesh fine at the vertices), curves far shorter than the element size,
// faces far narrower than it. The hard parts were made with these features (resources/hard-parts/*.geo).
import { describe, expect, it } from 'vitest';
import { inspectInput } from '../../src/input/inspect';
import { smallFeatures, type LocatedFeature } from '../../src/model/features';
import { readCadModel, type CadModel } from '../../src/model/read-model';
import { hardPart, needsSamples, hasSamples, sample } from '../helpers/paths';

const read = (path: string) => readCadModel('gmsh', inspectInput(path));
/** Features at size factor 1 (Gmsh's default size: a tenth of the diagonal). */
const features = (m: CadModel) => smallFeatures(m, m.diagonal / 10);
const ofKind = (fs: LocatedFeature[], kind: string) => fs.filter((f) => f.feature.kind === kind);

describe('model read: topology, corners, widths', () => {
  it('tangent-boss: six 0° corners, one each side of the three points where the boss touches the outline', async () => {
    const m = await read(hardPart('tangent-boss.step'));
    const cusps = ofKind(features(m), 'cusp').map(
      (f) => f.feature as { face: number; vertex: number; angle: number; curves: number[] },
    );
    expect(cusps.map((c) => [c.face, c.vertex])).toEqual([
      [3, 5],
      [3, 7],
      [4, 5],
      [4, 9],
      [8, 7],
      [8, 9],
    ]);
    // exact 0° reads within 2° (the chord of the first segment along the circle)
    for (const c of cusps) expect(c.angle).toBeLessThan(2);
    expect(cusps[1].curves).toEqual([7, 10]);
    // its ordinary corners read as designed: the plate's 90° corners
    const right = m.corners.filter((c) => Math.abs(c.angle - 90) < 0.5);
    expect(right.length).toBeGreaterThanOrEqual(24);
    // the topology the corners are named by: the face's curves, the curve's vertices
    const face3 = m.faces.find((f) => f.tag === 3)!;
    expect(face3.curves.map(Math.abs)).toEqual(expect.arrayContaining([7, 10]));
    expect(m.curves.find((c) => c.tag === 10)!.points).toEqual(expect.arrayContaining([7]));
    expect(ofKind(features(m), 'narrow-face')).toEqual([]);
  });

  it('crossing-boss: twelve 3° corners and three 0.0133-wide sliver faces', async () => {
    const m = await read(hardPart('crossing-boss.step'));
    const fs = features(m);
    const cusps = ofKind(fs, 'cusp');
    expect(cusps).toHaveLength(12);
    for (const c of cusps) expect((c.feature as { angle: number }).angle).toBeLessThan(6);
    const narrow = ofKind(fs, 'narrow-face').map((f) => f.feature as { face: number; width: number });
    expect(narrow.map((f) => f.face)).toEqual([4, 9, 12]);
    for (const f of narrow) expect(f.width).toBeCloseTo(0.0133, 4);
  });

  it('fillet-rim: four 0.235-wide fillet strips, no cusp, no tiny edge; named in words', async () => {
    const m = await read(hardPart('fillet-rim.step'));
    const fs = features(m);
    expect(ofKind(fs, 'cusp')).toEqual([]);
    expect(ofKind(fs, 'tiny-edge')).toEqual([]);
    const narrow = ofKind(fs, 'narrow-face');
    expect(narrow.map((f) => (f.feature as { face: number }).face)).toEqual([3, 4, 7, 9]);
    expect(narrow[0].text).toBe('face 3 is 0.235 mm wide, 1/50 of the element size: a fillet strip or sliver face');
    // the box it is found in: the strip's own (a rim of the part), not a point
    const b = narrow[0].box;
    expect(Math.max(b[3] - b[0], b[4] - b[1], b[5] - b[2])).toBeGreaterThan(10);
  });

  it('thin-wall: nothing (a thin wall is not a small feature: said, not detected)', async () => {
    expect(features(await read(hardPart('thin-wall.step')))).toEqual([]);
  });

  it(`Kurbelwelle: four collapsed curves 1e-10 to 5e-14 mm long${needsSamples}`, { skip: !hasSamples }, async () => {
    const m = await read(sample('Kurbelwelle.stp'));
    const tiny = ofKind(features(m), 'tiny-edge');
    expect(tiny.map((f) => (f.feature as { curve: number }).curve)).toEqual([15, 19, 147, 149]);
    expect(tiny[0].text).toMatch(/^curve 15 is 1\.1e-10 mm long, 1\/6e10 of the element size: a collapsed edge$/);
  });

  it(`t20_data: twelve exact cusps${needsSamples}`, { skip: !hasSamples }, async () => {
    const m = await read(sample('t20_data.step'));
    expect(ofKind(features(m), 'cusp')).toHaveLength(12);
  });
});
