// Mesh-size controls and assemblies, through the real CLI and the real Gmsh on real parts.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMshFile, type MshMesh } from '../../src/mesh/msh-reader';
import { cli } from '../helpers/cli';
import { needsSamples, repoRoot, sample, samplesDir, tmpHome } from '../helpers/paths';
import { PYTHON, fixturesPy } from '../mesh/gmsh-fixtures';

const haveSamples = existsSync(samplesDir);
if (!haveSamples)
  console.warn(`sizing.test: sample parts not found in ${samplesDir}: the sample-part cases are skipped`);
const assembly = join(repoRoot, 'resources', 'demo', 'assembly.step');

const dist = (P: Float64Array, a: number, b: number) =>
  Math.hypot(P[3 * a] - P[3 * b], P[3 * a + 1] - P[3 * b + 1], P[3 * a + 2] - P[3 * b + 2]);

function longestTetEdge(m: MshMesh): number {
  let max = 0;
  const T = m.tets;
  for (let t = 0; t < T.length; t += 4)
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) max = Math.max(max, dist(m.nodes, T[t + i], T[t + j]));
  return max;
}

function meanTriangleEdge(m: MshMesh, surfaces: number[]): { mean: number; triangles: number } {
  let sum = 0;
  let n = 0;
  for (let k = 0; k < m.triangleEntities.length; k++) {
    if (!surfaces.includes(m.triangleEntities[k])) continue;
    const [a, b, c] = [m.triangles[3 * k], m.triangles[3 * k + 1], m.triangles[3 * k + 2]];
    sum += dist(m.nodes, a, b) + dist(m.nodes, b, c) + dist(m.nodes, c, a);
    n += 3;
  }
  return { mean: sum / n, triangles: n / 3 };
}

/** Node coordinates that occur more than once (a conformal mesh has none). */
function duplicatedNodes(m: MshMesh): number {
  const seen = new Set<string>();
  let dup = 0;
  for (let i = 0; i < m.nodeCount; i++) {
    const key = `${m.nodes[3 * i].toFixed(9)},${m.nodes[3 * i + 1].toFixed(9)},${m.nodes[3 * i + 2].toFixed(9)}`;
    if (seen.has(key)) dup++;
    else seen.add(key);
  }
  return dup;
}

interface Group {
  dim: number;
  name: string;
  entities: number[];
  nodes: number;
  elements: number;
}
const groupsOf = (mesh: string): Group[] =>
  JSON.parse(execFileSync(PYTHON, [fixturesPy('mesh_groups.py'), mesh], { timeout: 60_000 }).toString());

describe('assemblies: touching solids mesh conformally', () => {
  it('the three bodies share nodes on their shared faces, keep one group each, and the shared faces are Interface groups', async () => {
    const r = await cli(['mesh', assembly, '--strategy', 'default', '--json'], tmpHome());
    expect(r.code, r.stderr).toBe(0);
    const job = r.json();
    const geo = readFileSync(job.attempts[0].argv[1], 'utf8');
    expect(geo).toContain('BooleanFragments');
    const m = readMshFile(job.mesh.path);
    expect(m.counts.tetrahedra).toBeGreaterThan(100);
    expect(duplicatedNodes(m)).toBe(0);
    const groups = groupsOf(job.mesh.path);
    const bodies = groups.filter((g) => g.dim === 3);
    expect(bodies.map((g) => g.name).sort()).toEqual(['Body_1', 'Body_2', 'Body_3']);
    for (const b of bodies) expect(b.entities).toHaveLength(1);
    // the bodies' node sets overlap exactly on the interfaces: more body nodes than mesh nodes
    expect(bodies.reduce((s, b) => s + b.nodes, 0)).toBeGreaterThan(m.nodeCount);
    const interfaces = groups.filter((g) => g.name.startsWith('Interface_'));
    expect(interfaces.map((g) => g.name).sort()).toEqual(['Interface_1_2', 'Interface_2_3']);
    for (const g of interfaces) {
      expect(g.dim).toBe(2);
      expect(g.elements).toBeGreaterThan(0);
    }
    // computed once from the model and written as lists: exactly the faces two bodies of the mesh both bound
    expect(geo).not.toMatch(/^\s*For\b/m);
    const owners = new Map<number, number>();
    for (const v of m.volumeFaces) for (const f of v.faces) owners.set(Math.abs(f), (owners.get(Math.abs(f)) ?? 0) + 1);
    const shared = [...owners].filter(([, k]) => k === 2).map(([f]) => f);
    expect(interfaces.flatMap((g) => g.entities).sort((a, b) => a - b)).toEqual(shared.sort((a, b) => a - b));
  });

  it('--size on a body refines that body throughout', async () => {
    const r = await cli(
      ['mesh', assembly, '--strategy', 'default', '--size-max', '12', '--size', 'body:3=1.5', '--json'],
      tmpHome(),
    );
    expect(r.code, r.stderr).toBe(0);
    const bodies = groupsOf(r.json().mesh.path).filter((g) => g.dim === 3);
    const perVolume = (name: string, volume: number) => bodies.find((b) => b.name === name)!.elements / volume;
    // cylinder Ø16 × 20 at size 1.5 against a 40 × 20 × 20 box at Gmsh size 0.45 × 12: (5.4 / 1.5)³ ≈ 47 times denser
    expect(perVolume('Body_3', Math.PI * 64 * 20)).toBeGreaterThan(20 * perVolume('Body_1', 16_000));
  });

  it('--no-fragment keeps the bodies apart (contact analyses): duplicated nodes on the shared faces, no interfaces', async () => {
    const r = await cli(['mesh', assembly, '--strategy', 'default', '--no-fragment', '--json'], tmpHome());
    expect(r.code, r.stderr).toBe(0);
    const job = r.json();
    expect(readFileSync(job.attempts[0].argv[1], 'utf8')).not.toContain('BooleanFragments');
    const m = readMshFile(job.mesh.path);
    expect(duplicatedNodes(m)).toBeGreaterThan(0);
    const groups = groupsOf(job.mesh.path);
    const bodies = groups.filter((g) => g.dim === 3);
    expect(bodies).toHaveLength(3);
    expect(bodies.reduce((s, b) => s + b.nodes, 0)).toBe(m.nodeCount); // disjoint
    expect(groups.some((g) => g.name.startsWith('Interface_'))).toBe(false);
  });
});

describe.skipIf(!haveSamples)('sizes on a real part (Angled.step)' + needsSamples, () => {
  it('--size-max bounds the longest edge (≤ 1.2 × size-max)', async () => {
    for (const strategy of ['default', 'hxt']) {
      const r = await cli(
        ['mesh', sample('Angled.step'), '--strategy', strategy, '--size-max', '14', '--json'],
        tmpHome(),
      );
      expect(r.code, r.stderr).toBe(0);
      const job = r.json();
      const m = readMshFile(job.mesh.path);
      expect(m.counts.tetrahedra).toBeGreaterThan(8_000); // Gmsh's default makes ~2.3k: the bound did refine
      expect(longestTetEdge(m)).toBeLessThanOrEqual(1.2 * 14);
    }
  });

  it('--size on a face group refines it (mean edge ≤ 1.3 × its size), away from it the size grows', async () => {
    const r = await cli(
      [
        'mesh',
        sample('Angled.step'),
        '--strategy',
        'default',
        '--size-max',
        '16',
        '--size',
        'face:30=1.5',
        '--size',
        'Face_43=1.5',
        '--growth',
        '1.3',
        '--json',
      ],
      tmpHome(),
    );
    expect(r.code, r.stderr).toBe(0);
    const job = r.json();
    const geo = readFileSync(job.attempts[0].argv[1], 'utf8');
    expect(geo).toMatch(/Field\[\d+\] = Threshold;/);
    expect(geo).toContain('Background Field');
    const m = readMshFile(job.mesh.path);
    const refined = meanTriangleEdge(m, [30, 43]);
    expect(refined.triangles).toBeGreaterThan(500);
    expect(refined.mean).toBeLessThanOrEqual(1.3 * 1.5);
    const elsewhere = meanTriangleEdge(m, [68, 69]); // the two largest faces, far from 30 and 43
    expect(elsewhere.mean).toBeGreaterThan(2 * refined.mean);
    expect(longestTetEdge(m)).toBeLessThanOrEqual(1.2 * 16);
  });

  it('--target-elements lands within ±15 % and reports the count and the deviation', async () => {
    const r = await cli(
      ['mesh', sample('t20_data.step'), '--strategy', 'default', '--target-elements', '10000', '--json'],
      tmpHome(),
    );
    expect(r.code, r.stderr).toBe(0);
    const job = r.json();
    const t = job.attempts[0].targetCount;
    expect(t.target).toBe(10_000);
    expect(t.reached).toBe(job.mesh.elements.tetrahedra);
    expect(Math.abs(job.mesh.elements.tetrahedra - 10_000)).toBeLessThanOrEqual(1500);
    expect(t.deviationPct).toBeCloseTo(((t.reached - 10_000) / 10_000) * 100, 9);
    expect(t.passes.length).toBeGreaterThanOrEqual(3); // a 4th only when the correction missed by more than 10 %
    expect(t.passes[0].size).toBeNull(); // Gmsh's default size, to measure the volume
    expect(t.volume).toBeGreaterThan(0);
    // the run that made the mesh is the one its argv and .geo replay: the last size
    expect(readFileSync(job.attempts[0].argv[1], 'utf8')).toContain(
      `Mesh.MeshSizeMax = ${Number(t.passes.at(-1).size.toPrecision(12))};`,
    );
  });

  it("--target-elements takes a secant step with the part's own exponent when the h^-3 correction misses", async () => {
    // Angled.step at 5000 tets is surface-dominated: the h^-3 correction lands near +28 % (6,398 tets).
    const r = await cli(
      ['mesh', sample('Angled.step'), '--strategy', 'default', '--target-elements', '5000', '--json'],
      tmpHome(),
    );
    expect(r.code, r.stderr).toBe(0);
    const t = r.json().attempts[0].targetCount;
    expect(t.passes).toHaveLength(4);
    expect(Math.abs(t.passes[2].elements / 5000 - 1)).toBeGreaterThan(0.1); // why the 4th run happened
    expect(t.reached).toBe(t.passes[3].elements);
    expect(Math.abs(t.deviationPct)).toBeLessThanOrEqual(15);
    // the step grows the size from the correction's (fewer tets wanted), by the bounded secant exponent
    const [, a, b, c] = t.passes;
    const k = Math.min(3, Math.max(1.5, -Math.log(b.elements / a.elements) / Math.log(b.size / a.size)));
    expect(c.size).toBeCloseTo(b.size * Math.pow(b.elements / 5000, 1 / k), 6);
  });

  it('an unknown group in --size fails the job with the names that would work', async () => {
    const r = await cli(['mesh', sample('Angled.step'), '--size', 'Flange=1', '--json'], tmpHome());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--size Flange=1: there is no group named "Flange"/);
    expect(r.stderr).toMatch(/face:3,7/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
