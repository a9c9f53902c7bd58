// A kept mesh below its targets names the small CAD features next to its bad elements (each bad tet goes to the
// nearest feature within its longest edge), stored with the job and shown by the CLI (mesh, show, --json); a met job
// names none; bad elements near no feature are said to be unexplained. Every job of a CAD part also holds its tet
// count against what the requested size implies. Real Gmsh, real store, the built CLI.
import { describe, expect, it } from 'vitest';
import type { GeometryReport, JobResult } from '../../src/contract/job';
import { inspectInput } from '../../src/input/inspect';
import type { MshMesh } from '../../src/mesh/msh-reader';
import { explainMisses } from '../../src/model/explain-misses';
import { readCadModel } from '../../src/model/read-model';
import { cli } from '../helpers/cli';
import { hardPart, tmpHome } from '../helpers/paths';

const mesh = async (part: string, home: string, more: string[] = []) => {
  const r = await cli(['mesh', hardPart(part), '--strategy', 'default', ...more, '--json'], home, {}, 120_000);
  expect(r.code, r.stderr).toBe(0);
  return r.json<JobResult>();
};
/** `meshbench show` as the terminal prints it (stdout and stderr). */
const show = async (id: string, home: string, more: string[] = []) => {
  const r = await cli(['show', id, ...more], home);
  return r.stdout + r.stderr;
};
const facesOf = (g: GeometryReport) => g.causes.flatMap((c) => c.faces).sort((a, b) => a - b);

describe('what the geometry prevents, on a missed job', () => {
  it('fillet-rim: every bad tet is next to one of the four 0.235-wide fillet strips, in JSON, the store and the text', async () => {
    const home = tmpHome();
    const job = await mesh('fillet-rim.step', home);
    expect(job.targets?.met).toBe(false);
    const g = job.geometry!;
    expect(g.elementSize).toBeCloseTo(11.83, 2);
    expect(g.badElements).toBeGreaterThan(0);
    expect(g.unexplained).toBe(0);
    expect(g.causes.reduce((s, c) => s + c.badElements, 0)).toBe(g.badElements);
    expect(facesOf(g)).toEqual([3, 4, 7, 9]);
    for (const c of g.causes) {
      expect(c.kind).toBe('narrow-face');
      expect(c.text).toBe(
        `face ${c.faces[0]} is 0.235 mm wide, 1/50 of the element size: a fillet strip or sliver face`,
      );
    }
    // stored with the job: `show` reads it back, in JSON and in words
    const shown = await cli(['show', job.id, '--json'], home);
    expect(shown.json<JobResult>().geometry).toEqual(g);
    const text = await show(job.id, home);
    expect(text).toContain("Geometry what the CAD prevents, next to the kept mesh's elements below the targets");
    expect(text).toMatch(
      /face 3 is 0\.235 mm wide, 1\/50 of the element size: a fillet strip or sliver face \(\d+ of the \d+ elements below the targets\)/,
    );
    // and the job's log says it too
    const log = await show(job.id, home, ['--log']);
    expect(log).toMatch(/Geometry: face 7 is 0\.235 mm wide/);
  });

  it('crossing-boss: the three 0.0133-wide sliver faces, 1/516 of the element size', async () => {
    const g = (await mesh('crossing-boss.step', tmpHome())).geometry!;
    expect(facesOf(g)).toEqual([4, 9, 12]);
    expect(g.causes[0].text).toMatch(/^face \d+ is 0\.0133 mm wide, 1\/516 of the element size/);
    expect(g.unexplained).toBe(0);
  });

  it('slot-cusp at size factor 0.5: bad tets at a thin wall are said to be unexplained, not pinned on a feature', async () => {
    const home = tmpHome();
    const job = await mesh('slot-cusp.step', home, ['--size-factor', '0.5']);
    expect(job.targets?.met).toBe(false);
    expect(job.geometry).toMatchObject({ causes: [], unexplained: job.geometry!.badElements });
    const text = await show(job.id, home);
    expect(text).toMatch(
      /\d+ of the \d+ elements below the targets are not explained by a small CAD feature: maybe a thin wall/,
    );
  });

  it('a job that meets its targets names no geometry', async () => {
    const home = tmpHome();
    const job = await mesh('tangent-boss.step', home);
    expect(job.targets?.met).toBe(true);
    expect(job.geometry ?? null).toBeNull();
    expect(await show(job.id, home)).not.toContain('Geometry');
  });
});

describe('tets against what the requested size implies', () => {
  it('the job holds the size asked for and the count it implies; the CLI shows each attempt against it', async () => {
    const home = tmpHome();
    const job = await mesh('fillet-rim.step', home, ['--size-factor', '0.5']);
    const model = await readCadModel('gmsh', inspectInput(hardPart('fillet-rim.step')));
    const h = (model.diagonal / 10) * 0.5;
    const volume = model.bodies.reduce((s, b) => s + b.volume, 0);
    expect(job.requested!.size).toBeCloseTo(h, 6);
    expect(job.requested!.tets).toBe(Math.round((6 * volume) / h ** 3));
    const ratio = job.mesh!.elements.tetrahedra / job.requested!.tets;
    const text = await show(job.id, home);
    expect(text).toContain(`tetrahedra (${ratio.toFixed(1)}× what size 5.92 implies)`);
    expect(text).toMatch(
      new RegExp(
        `│ ${job.mesh!.elements.tetrahedra.toLocaleString('en-US')} \\(${ratio.toFixed(1)}× size 5\\.92 implies\\) +│`,
      ),
    );
    // --size-max below the default size is the size asked for
    const capped = await mesh('fillet-rim.step', home, ['--size-max', '8']);
    expect(capped.requested!.size).toBe(8);
  });
});

describe('attribution rule', () => {
  it('a bad tet goes to the nearest feature within its longest edge, else it is unexplained', async () => {
    const model = await readCadModel('gmsh', inspectInput(hardPart('tangent-boss.step')));
    const h = model.diagonal / 10;
    const v7 = model.vertices.find((v) => v.tag === 7)!.xyz;
    // two flat tets (SICN 0) of edge 1: one with a corner on vertex 7 (a cusp), one 50 mm away from every cusp
    const flat = (o: number[]) => [o, [o[0] + 1, o[1], o[2]], [o[0], o[1] + 1, o[2]], [o[0] + 1, o[1] + 1, o[2]]];
    const far = [v7[0], v7[1], v7[2] + 50];
    const nodes = new Float64Array([...flat(v7), ...flat(far)].flat());
    const m = {
      nodes,
      tets: new Uint32Array([0, 1, 2, 3, 4, 5, 6, 7]),
      tetTags: new Float64Array([1, 2]),
      layerTags: null,
    } as unknown as MshMesh;
    const g = explainMisses(m, model, h, { minSicn: 0.1 });
    expect(g.badElements).toBe(2);
    expect(g.unexplained).toBe(1);
    expect(g.causes).toHaveLength(1);
    expect(g.causes[0]).toMatchObject({ kind: 'cusp', faces: [3], vertices: [7], curves: [7, 10], badElements: 1 });
    expect(g.causes[0].text).toMatch(
      /^face 3 has a \d\.\d° corner at vertex 7 between curves 7 and 10 \(two edges meet tangentially: a cusp\)$/,
    );
  });
});
