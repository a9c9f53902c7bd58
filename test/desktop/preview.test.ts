// Part preview with the real Gmsh: a coarse surface mesh, its triangles, surface tags, bbox and entity counts.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { previewPart } from '../../src/preview/preview';
import { findGmsh } from '../../src/gmsh/locate';
import { demoPart, hardPart, testPart, sample, hasSamples, needsSamples } from '../helpers/paths';

type Want = { path: string; volumes: number; minSurfaces: number; sample?: true };
// The project's own parts always; the sample parts as extra coverage when MESHBENCH_SAMPLES has them.
const expected: Want[] = [
  { path: testPart('open-shell.step'), volumes: 0, minSurfaces: 6 },
  { path: demoPart('bracket.step'), volumes: 1, minSurfaces: 10 },
  { path: hardPart('small-fillet.step'), volumes: 1, minSurfaces: 5 },
  { path: hardPart('sliver-boss.step'), volumes: 1, minSurfaces: 5 },
  { path: sample('cube_filet.stp'), volumes: 0, minSurfaces: 10, sample: true },
  { path: sample('t20_data.step'), volumes: 1, minSurfaces: 10, sample: true },
  { path: sample('wrenchnut.stp'), volumes: 2, minSurfaces: 20, sample: true },
  { path: sample('Angled.step'), volumes: 1, minSurfaces: 20, sample: true },
  { path: sample('Kurbelwelle.stp'), volumes: 1, minSurfaces: 20, sample: true },
];
const runs = expected.filter((w) => hasSamples || !w.sample);

describe('previewPart', () => {
  const times: string[] = [];
  for (const want of expected) {
    const name = basename(want.path);
    it.skipIf(want.sample && !hasSamples)(
      `previews ${name} with consistent geometry` + (want.sample ? needsSamples : ''),
      async () => {
        const p = await previewPart(want.path);
        times.push(`${name} ${p.ms} ms`);
        expect(p.name).toBe(name);
        expect(p.format).toBe('step');
        expect(p.volumes).toBe(want.volumes);
        expect(p.surfaces).toBeGreaterThanOrEqual(want.minSurfaces);
        const tris = p.indices.length / 3;
        expect(tris).toBeGreaterThan(50);
        expect(p.surfaceTags.length).toBe(tris);
        // Every index points at a node, every node lies inside the bbox.
        const nodes = p.positions.length / 3;
        expect(Math.max(...p.indices)).toBeLessThan(nodes);
        for (let i = 0; i < p.positions.length; i += 3)
          for (let a = 0; a < 3; a++) {
            expect(p.positions[i + a]).toBeGreaterThanOrEqual(p.bbox.min[a] - 1e-3);
            expect(p.positions[i + a]).toBeLessThanOrEqual(p.bbox.max[a] + 1e-3);
          }
        // Surface tags are Gmsh's own (1..surfaces).
        expect(Math.min(...p.surfaceTags)).toBeGreaterThanOrEqual(1);
        expect(Math.max(...p.surfaceTags)).toBeLessThanOrEqual(p.surfaces);
        // Its speed is measured by `meshbench bench --only preview`, not asserted here (load makes timed tests lie).
        expect(p.ms).toBeGreaterThan(0);
      },
    );
  }

  it('lists the bodies of an assembly and which of them touch', async () => {
    const p = await previewPart(demoPart('assembly.step'));
    expect(p.volumes).toBe(3);
    expect(p.bodies!.map((b) => [b.tag, b.touches])).toEqual([
      [1, [2]],
      [2, [1, 3]],
      [3, [2]],
    ]);
    // each body's faces are surfaces of the preview; the shared ones belong to two bodies
    const all = p.bodies!.flatMap((b) => b.faces);
    expect(new Set(all).size).toBe(p.surfaces);
    expect(all.length - p.surfaces).toBe(2);
    expect(new Set(p.surfaceTags)).toEqual(new Set(all));
    // a single solid touches nothing
    const one = await previewPart(demoPart('bracket.step'));
    expect(one.bodies).toEqual([expect.objectContaining({ tag: 1, touches: [] })]);
  });

  it('previews STL as is (ASCII and binary)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshbench-preview-stl-'));
    const a = join(dir, 'part.stl');
    const b = join(dir, 'part-bin.stl');
    execFileSync(findGmsh().path, [demoPart('bracket.step'), '-2', '-o', a, '-v', '0']);
    execFileSync(findGmsh().path, [demoPart('bracket.step'), '-2', '-bin', '-o', b, '-v', '0']);
    const pa = await previewPart(a);
    const pb = await previewPart(b);
    expect(pa.format).toBe('stl-ascii');
    expect(pb.format).toBe('stl-binary');
    expect(pa.indices.length).toBe(pb.indices.length);
    expect(pa.indices.length / 3).toBeGreaterThan(100);
  });

  it('names the file and the reason for input that is not CAD', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshbench-preview-bad-'));
    const f = join(dir, 'drawing.step');
    writeFileSync(f, 'hello\n');
    await expect(previewPart(f)).rejects.toThrow(
      /drawing\.step cannot be meshed: it is text that is not a model, not a STEP file/,
    );
    await expect(previewPart(join(dir, 'missing.step'))).rejects.toThrow(/missing\.step: no such file/);
    await expect(previewPart(dir)).rejects.toThrow(/is a folder/);
  });

  it('reports the timings it measured', () => {
    console.log(`preview times: ${times.join(', ')}`);
    expect(times.length).toBe(runs.length);
  });
});
