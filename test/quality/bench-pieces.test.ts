// The pieces `meshbench bench` uses for rows (b) and (c), run for real: Gmsh makes the big mesh, meshio and Gmsh's
// AnalyseMeshQuality plugin are timed against our reader and kernel.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { BIG_MESH_MIN_ELEMENTS, ensureBigMesh } from '../../src/bench/big-mesh';
import { benchQuality } from '../../src/bench/quality-bench';
import { benchReader } from '../../src/bench/reader-bench';
import { readMshFile } from '../../src/mesh/msh-reader';
import { tmpHome } from '../helpers/paths';
import { binary41 } from '../mesh/gmsh-fixtures';

const dir = tmpHome('meshbench-bigmesh-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench pieces', () => {
  it('benchReader and benchQuality on a small real mesh', async () => {
    const file = binary41('bracket.step');
    const r = await benchReader(file, 1);
    const m = readMshFile(file);
    expect(r.elements).toBe(m.counts.tetrahedra + m.counts.triangles + m.counts.lines + m.counts.points);
    expect(r.ours).toBeGreaterThan(0);
    expect(r.meshio).toBeGreaterThan(0);
    expect(r.ratio).toBeCloseTo(r.meshio / r.ours, 12);
    const q = await benchQuality(file, 1);
    expect(q.tetrahedra).toBe(m.counts.tetrahedra);
    expect(q.gmsh).toBeGreaterThan(0);
    expect(q.ratio).toBeCloseTo(q.gmsh / q.ours, 12);
  });

  it('ensureBigMesh makes a binary msh 4.1 with >= 200k elements once, then reuses it', async () => {
    const path = await ensureBigMesh(dir);
    const m = readMshFile(path);
    const total = m.counts.tetrahedra + m.counts.triangles + m.counts.lines + m.counts.points;
    expect(total).toBeGreaterThanOrEqual(BIG_MESH_MIN_ELEMENTS);
    expect(m.tetOrder).toBe(1);
    const t0 = performance.now();
    expect(await ensureBigMesh(dir)).toBe(path);
    expect(performance.now() - t0).toBeLessThan(2000); // cached: no second Gmsh run
  }, 600_000);
});
