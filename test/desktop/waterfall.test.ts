// The timings panel's waterfall layout: top-level phases end to end, sub-phases from their parent's start.
import { describe, expect, it } from 'vitest';
import { layoutPhases } from '../../renderer/src/components/charts';

describe('layoutPhases', () => {
  it('nests Gmsh dimensions under mesh and mesh/read/quality under attempts, in job order', () => {
    const rows = layoutPhases({
      quality: 26,
      read: 2,
      inspect: 1,
      hash: 32,
      plan: 0,
      prepare: 0,
      mesh: 6170,
      attempts: 7680,
      collect: 0,
      gmsh1d: 2010,
      gmsh2d: 442,
      gmsh3d: 3070,
    });
    expect(rows.map((r) => `${'  '.repeat(r.depth)}${r.name}@${r.start}`)).toEqual([
      'inspect@0',
      'hash@1',
      'plan@33',
      'prepare@33',
      'attempts@33',
      '  mesh@33',
      '    gmsh1d@33',
      '    gmsh2d@2043',
      '    gmsh3d@2485',
      '  read@6203',
      '  quality@6205',
      'collect@7713',
    ]);
  });

  it('lays out a Modal job: upload under prepare, queue and worker phases under attempts, download/verify under collect', () => {
    const rows = layoutPhases({
      inspect: 1,
      hash: 5,
      prepare: 900,
      health: 100,
      upload: 700,
      attempts: 20000,
      submit: 50,
      queue: 8000,
      workerDownload: 300,
      workerAttempt: 9000,
      mesh: 8000,
      read: 200,
      quality: 500,
      workerUpload: 400,
      repairDownload: 40,
      collect: 600,
      download: 500,
      verify: 80,
    });
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by.upload.depth).toBe(1);
    expect(by.upload.start).toBe(by.health.start + 100);
    expect(by.queue.depth).toBe(1);
    expect(by.mesh.depth).toBe(2);
    expect(by.mesh.start).toBe(by.workerAttempt.start);
    // A targeted repair's download of the mesh it refines happens between attempts.
    expect(by.repairDownload.depth).toBe(1);
    expect(by.repairDownload.start).toBe(by.workerUpload.start + 400);
    expect(by.download.depth).toBe(1);
    expect(by.collect.start).toBe(1 + 5 + 900 + 20000);
    expect(rows.filter((r) => r.name === 'mesh')).toHaveLength(1);
  });
});
