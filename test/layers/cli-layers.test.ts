// `meshbench mesh --layers` end to end through the built CLI: the job's JSON says per group what was asked and what
// the kept mesh measures, the store keeps it, and requests that cannot work are refused before Gmsh meshes.
import { describe, expect, it } from 'vitest';
import type { JobResult } from '../../src/contract/job';
import { cli } from '../helpers/cli';
import { demoPart, tmpHome } from '../helpers/paths';
import { cfdPart } from './fixtures';

const home = tmpHome('meshbench-layers-cli-');

describe('meshbench mesh --layers', () => {
  it('duct walls: prisms in the mesh, per group the layers asked and measured, kept in the store', async () => {
    const r = await cli(
      [
        'mesh',
        cfdPart('duct.step'),
        '--strategy',
        'default',
        '--size-max',
        '4',
        '--layers',
        'Face_1=3,0.1,1.3',
        '--layers',
        'face:3,4=3,0.1,1.3',
        '--json',
      ],
      home,
    );
    expect(r.code, r.stderr).toBe(0);
    const job = r.json<JobResult>();
    expect(job.status).toBe('completed');
    expect(job.mesh!.elements.prisms).toBeGreaterThan(0);
    expect(job.quality!.layers!.prisms.elements).toBe(job.mesh!.elements.prisms);
    expect(job.quality!.inverted).toBe(0);
    expect(job.layers!.map((g) => [g.target, g.faces])).toEqual([
      ['Face_1', [1]],
      ['face:3,4', [3, 4]],
    ]);
    for (const g of job.layers!) {
      expect(g.asked).toEqual({ count: 3, first: 0.1, growth: 1.3, total: 0.399 });
      expect(g.measured.count).toBe(3);
      expect(Math.abs(g.measured.first.min - 0.1)).toBeLessThanOrEqual(0.02);
      expect(g.measured.firstWithin20Pct).toBe(1);
      expect(g.measured.total.mean).toBeCloseTo(0.399, 3);
    }
    expect(job.attempts[0].layers).toEqual(job.layers);
    expect(job.timings.phases.layers).toBeGreaterThan(0);
    const shown = (await cli(['show', job.id, '--json'], home)).json<JobResult>();
    expect(shown.layers).toEqual(job.layers);
    const text = (await cli(['show', job.id, '--log'], home)).stderr;
    expect(text).toMatch(/Layers on Face_1: 3 x 0\.1 \(growth 1\.3, total 0\.399\); first layer 0\.1\.\.0\.1/); // the log
    expect(text).toMatch(/Layers +face:3,4: 3 x 0\.1 \(growth 1\.3, total 0\.399\); measured first 0\.1\.\.0\.1/); // the summary
  });

  it('refuses what cannot work, before meshing, with the reason', async () => {
    const bad = async (args: string[], message: RegExp) => {
      const r = await cli(['mesh', ...args, '--json'], home);
      expect(r.code, r.stderr).toBe(4);
      expect(r.json<JobResult>().error!.message).toMatch(message);
      expect(r.json<JobResult>().attempts.every((a) => a.status !== 'completed')).toBe(true);
    };
    const duct = cfdPart('duct.step');
    await bad([duct, '--layers', 'Walls=3,0.1,1.2'], /--layers Walls: there is no face group named "Walls"/);
    await bad(
      [duct, '--layers', 'Face_1=3,0.1,1.2', '--layers', 'Face_3=5,0.1,1.2'],
      /every group needs the same COUNT/,
    );
    await bad([duct, '--layers', 'Body_1=3,0.1,1.2'], /names a body; layers grow from faces/);
    await bad([duct, '--layers', 'Face_1=3,0.1,1.2', '--order', '2'], /needs linear elements/);
    await bad([demoPart('knob.stl'), '--layers', 'Face_1=3,0.1,1.2'], /an STL file has no CAD faces/);
    await bad([duct, '--layers', 'Face_99=3,0.1,1.2'], /the part has no face 99/);
  });
});
