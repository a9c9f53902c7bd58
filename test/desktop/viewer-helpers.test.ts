// The renderer's pure helpers behind the workbench: how runs are told apart, a job's progress over its attempts, the
// histogram's bands, and what makes a triangulated part look like CAD (smooth normals per face, feature edges,
// tangent faces). The browser suites show them on screen; these pin down their rules on small, known inputs.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type JobResult } from '../../src/contract/job';
import { qualityBands } from '../../src/contract/histogram-bands';
import { differingFacts, runFacts } from '../../renderer/src/job-facts';
import { addProgress, jobProgress } from '../../renderer/src/progress';
import { cornerNormals, featureEdges } from '../../renderer/src/viewer/surface-shading';
import { tangentFaces } from '../../renderer/src/viewer/face-topology';

const job = (patch: Partial<JobResult['settings']> = {}, path = '/parts/pump.stp'): JobResult =>
  ({
    id: 'j',
    status: 'completed',
    backend: 'local',
    requestedBackend: 'local',
    input: { path, sha256: null, bytes: null, format: 'step' },
    settings: { ...DEFAULT_SETTINGS, ...patch },
    strategy: 'default',
    winnerIndex: 0,
    score: 1,
    attempts: [],
    mesh: null,
    quality: null,
    timings: { totalMs: 1, phases: {} },
    transfer: { uploadedBytes: 0, downloadedBytes: 0 },
    modal: null,
    outDir: null,
    createdAt: '2026-01-02T10:11:12Z',
    startedAt: null,
    finishedAt: null,
    error: null,
  }) as JobResult;

describe('telling runs apart', () => {
  it('a row leaves the defaults out but names what was asked; two runs list exactly what differs', () => {
    const plain = job();
    const refined = job({
      sizeFactor: 0.5,
      sizing: { local: [{ target: 'face:4', size: 1.5 }] },
      groups: [{ name: 'fixed', dim: 2, tags: [4] }],
      exports: ['inp'],
      algorithms: { algorithm3d: 'hxt' },
    });
    const row = (j: JobResult) =>
      runFacts(j)
        .filter((f) => !f.usual)
        .map((f) => f.text)
        .join(' · ');
    expect(row(plain)).toBe('size ×1');
    expect(row(refined)).toBe('size ×0.5 · 1 local size · groups fixed · exports inp · algorithm 3d hxt');
    expect(differingFacts(plain, refined)).toEqual([
      { name: 'size', a: '×1', b: '×0.5' },
      { name: 'local sizes', a: 'none', b: 'face:4=1.5 mm' },
      { name: 'groups', a: 'none', b: 'fixed' },
      { name: 'exports', a: 'none', b: 'inp' },
      { name: 'algorithm 3d', a: 'default', b: 'hxt' },
    ]);
    expect(differingFacts(plain, job({}, '/parts/other.stp'))).toEqual([
      { name: 'part', a: 'pump.stp', b: 'other.stp' },
    ]);
  });
});

describe('progress over the attempts started', () => {
  it('a repair round pulls the bar back and is named', () => {
    let p = addProgress(undefined, { type: 'progress', jobId: 'j', attempt: 0, percent: 100, phase: 'default' });
    p = addProgress(p, { type: 'progress', jobId: 'j', attempt: 1, percent: 100, phase: 'hxt' });
    expect(jobProgress(p)!.percent).toBe(100);
    p = addProgress(p, { type: 'progress', jobId: 'j', attempt: 2, percent: 40, phase: 'targeted-repair' });
    expect(jobProgress(p)).toEqual({ percent: 80, label: 'repair round 1 40 % · 3 attempts started, 80 % overall' });
  });
});

describe('histogram bands', () => {
  it('merges bins into at most ten bands whose counts add up, with an overflow band where the data stops', () => {
    const edges = Array.from({ length: 21 }, (_, i) => i / 20);
    const sicn = qualityBands({ edges, counts: edges.slice(1).map((_, i) => i) });
    expect(sicn.map((b) => [b.lo, b.hi, b.count])).toEqual(
      Array.from({ length: 10 }, (_, i) => [edges[2 * i], edges[2 * i + 2], 4 * i + 1]),
    );
    const aspect = [1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 7.5, 10, 20, 50, 100, 1e6];
    const b = qualityBands({ edges: aspect, counts: [100, 400, 300, 150, 30, 10, 5, 3, 1, 1, 0, 0, 0, 0, 1] });
    expect(b.at(-1)).toEqual({ lo: 3, hi: null, count: 6 });
    expect(b.reduce((s, x) => s + x.count, 0)).toBe(1001);
    expect(b.length).toBeLessThanOrEqual(10);
  });
});

// A unit cube's two faces meeting at the edge x = 1, z = 0..1 (face 1: the bottom z = 0, face 2: the side x = 1),
// and a face 3 continuing face 1 at a 5° bend: tangent to it.
const pos = [0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, -1, 0, -0.0875, -1, 1, -0.0875];
const tri = [0, 1, 2, 0, 2, 3, 1, 2, 5, 1, 5, 4, 0, 3, 7, 0, 7, 6];
const tags = [1, 1, 2, 2, 3, 3];

describe('a triangulated part drawn like CAD', () => {
  it('feature edges: where faces meet and the free rim, not the diagonals inside a face', () => {
    const lines = featureEdges(pos, tri, { tags });
    const segs = lines.length / 6;
    // 1-2 (x = 1 edge), 1-3 (x = 0 edge), and the rim; never the diagonals 0-2, 1-5, 0-7
    const has = (a: number, b: number) =>
      Array.from({ length: segs }, (_, i) => lines.slice(i * 6, i * 6 + 6)).some(
        (s) =>
          (s[0] === pos[a * 3] &&
            s[1] === pos[a * 3 + 1] &&
            s[2] === pos[a * 3 + 2] &&
            s[3] === pos[b * 3] &&
            s[4] === pos[b * 3 + 1] &&
            s[5] === pos[b * 3 + 2]) ||
          (s[0] === pos[b * 3] &&
            s[1] === pos[b * 3 + 1] &&
            s[2] === pos[b * 3 + 2] &&
            s[3] === pos[a * 3] &&
            s[4] === pos[a * 3 + 1] &&
            s[5] === pos[a * 3 + 2]),
      );
    expect(has(1, 2)).toBe(true);
    expect(has(0, 3)).toBe(true);
    expect(has(0, 2)).toBe(false);
    expect(has(1, 5)).toBe(false);
    // Without faces (an STL), only the sharp fold at x = 1 and the rim: the 5° bend is no edge.
    const stl = featureEdges(pos, tri, { creaseDeg: 30 });
    expect(stl.length / 6).toBe(segs - 1);
  });

  it('normals: smooth across the tangent bend, crisp at the right angle', () => {
    const n = cornerNormals(pos, tri, { tags, creaseDeg: 20 });
    const at = (t: number, k: number) => Array.from(n.slice(t * 9 + k * 3, t * 9 + k * 3 + 3));
    // node 0 in face 1 (triangle 0, corner 0): averaged with face 3's triangles (5° away), not face 2's (90°)
    const [x, y, z] = at(0, 0);
    expect(x).toBeLessThan(-0.02); // leaning towards the bend
    expect(y).toBe(0);
    expect(z).toBeGreaterThan(0.99);
    // node 1 in face 1 stays the plane's normal: face 2 meets it at 90°
    expect(at(0, 1).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0, 0, 1]);
  });

  it('tangent faces: the chain continues through the 5° bend, not over the right angle', () => {
    expect(tangentFaces(pos, tri, tags, [1])).toEqual([1, 3]);
    expect(tangentFaces(pos, tri, tags, [2])).toEqual([2]);
  });
});
