// analyzeMesh runs the reader + kernel in a worker thread (the bundled out/engine/mesh-worker.cjs) and must return
// exactly what analyzeMeshSync returns in-process.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeMesh, analyzeMeshSync, type AnalyzeResult } from '../../src/mesh/analyze';
import { MeshFormatError } from '../../src/mesh/msh-reader';
import { engineFile } from '../../src/util/engine-files';
import { repoRoot } from '../helpers/paths';
import { binary41, gmshMesh, meshDir } from './gmsh-fixtures';

beforeAll(async () => {
  // The same bundle scripts/build-engine.mjs makes (npm test builds it first); rebuilt here so this file tests the
  // current sources when run on its own.
  await build({
    entryPoints: [join(repoRoot, 'src/mesh/analyze-worker.ts')],
    outfile: join(repoRoot, 'out/engine/mesh-worker.cjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    packages: 'external',
    logLevel: 'warning',
  });
});

const withoutTimes = (r: AnalyzeResult) => ({ ...r, ms: null });
const readCounts = (f: string) => analyzeMeshSync(f).counts;

describe('analyzeMesh (worker thread)', () => {
  it('engineFile finds the bundled worker', () => {
    expect(engineFile('mesh-worker.cjs')).toBe(join(repoRoot, 'out', 'engine', 'mesh-worker.cjs'));
    expect(() => engineFile('no-such-file.cjs')).toThrow(/npm run build:engine/);
  });

  it('returns the same result as analyzeMeshSync, typed arrays included', async () => {
    const file = gmshMesh('sliver-boss.step', 'sliver.fine.msh', ['-clscale', '0.3', '-format', 'msh41', '-bin']);
    const opts = { payload: true, surface: true };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const viaWorker = await analyzeMesh(file, opts);
    clearInterval(timer);
    const inProcess = analyzeMeshSync(file, opts);
    expect(withoutTimes(viaWorker)).toEqual(withoutTimes(inProcess));
    expect(ticks).toBeGreaterThan(0); // the calling thread kept running meanwhile

    const q = viaWorker.quality!;
    expect(q.elements).toBe(viaWorker.counts.tetrahedra);
    expect(q.elements).toBeGreaterThan(5000);
    expect(viaWorker.score).toBeCloseTo(
      (1 - q.sicn.avg) * 100 + (q.sicn.min < 0.2 ? 20 : q.sicn.min < 0.3 ? 10 : 0) + 2 * Math.log10(q.elements),
      12,
    );
    expect(viaWorker.tetOrder).toBe(1);
    expect(viaWorker.ms.read).toBeGreaterThan(0);

    const p = viaWorker.payload!;
    expect(p.nodes).toBeInstanceOf(Float32Array);
    expect(p.nodes.length).toBe(3 * viaWorker.nodes);
    expect(p.tets).toBeInstanceOf(Uint32Array);
    expect(p.tets.length).toBe(4 * q.elements);
    expect(p.skin.length).toBe(3 * p.skinTet.length);
    expect(p.skinTet.length).toBe(viaWorker.counts.triangles); // one volume: skin = Gmsh's boundary triangles
    for (const k of ['sicn', 'gamma', 'aspectRatio', 'skewness', 'minDihedralDeg'] as const) {
      expect(p.quality[k]).toBeInstanceOf(Float32Array);
      expect(p.quality[k].length).toBe(q.elements);
    }
    expect(Math.min(...p.quality.sicn)).toBeCloseTo(q.sicn.min, 6);

    const s = viaWorker.surfaceTris!;
    expect(s.indices.length).toBe(3 * viaWorker.counts.triangles);
    expect(s.surfaceTags.length).toBe(viaWorker.counts.triangles);
    expect(Math.max(...s.indices)).toBe(s.positions.length / 3 - 1);
    expect(new Set(s.surfaceTags).size).toBe(viaWorker.entities.surfaces);
  });

  it('a mesh without tets: quality and score are null', async () => {
    const r = await analyzeMesh(binary41('open-shell.step'), { payload: true });
    expect(r).toMatchObject({ quality: null, score: null, tetOrder: 0 });
    expect(r.counts.triangles).toBeGreaterThan(0);
    expect(r.payload!.tets.length).toBe(0);
    expect(r.payload!.skin.length).toBe(0);
    expect(withoutTimes(r)).toEqual(withoutTimes(analyzeMeshSync(binary41('open-shell.step'), { payload: true })));
  });

  it('names a body the file lists but that holds no element (a multi-body mesh with one body missing)', () => {
    // Two boxes, only the first meshed: what Gmsh writes when one body of a part fails and the other does not
    const dir = meshDir();
    writeFileSync(
      join(dir, 'one-body-missing.geo'),
      [
        'SetFactory("OpenCASCADE");',
        'Box(1) = {0, 0, 0, 1, 1, 1};',
        'Box(2) = {2, 0, 0, 1, 1, 1};',
        'Mesh.MeshOnlyVisible = 1;',
        'Hide {Volume{2};}',
        'Mesh.SaveAll = 1;',
        'Mesh 3;',
        'Save "one-body-missing.msh";',
      ].join('\n'),
    );
    execFileSync('gmsh', ['one-body-missing.geo', '-nt', '1', '-format', 'msh41', '-parse_and_exit'], { cwd: dir });
    const r = analyzeMeshSync(join(dir, 'one-body-missing.msh'));
    expect(r.counts.tetrahedra).toBeGreaterThan(0);
    expect(r.emptyVolumes).toEqual([2]);
    expect(analyzeMeshSync(binary41('bracket.step')).emptyVolumes).toEqual([]);
  });

  it('without options: counts, quality and score only', async () => {
    const r = await analyzeMesh(binary41('bracket.step'));
    expect(r.payload).toBeUndefined();
    expect(r.surfaceTris).toBeUndefined();
    expect(r.quality!.inverted).toBe(0);
    expect(r.score).toBeGreaterThan(0);
  });

  it('several analyses at once (a pool of workers) each get their own result', async () => {
    const files = [
      binary41('bracket.step'),
      binary41('small-fillet.step'),
      binary41('sliver-boss.step'),
      binary41('bracket.step'),
    ];
    const results = await Promise.all(files.map((f) => analyzeMesh(f, { payload: true })));
    results.forEach((r, i) =>
      expect(withoutTimes(r)).toEqual(withoutTimes(analyzeMeshSync(files[i], { payload: true }))),
    );
    // and again, on the reused (warm) workers
    const again = await Promise.all(files.map((f) => analyzeMesh(f)));
    again.forEach((r, i) => expect(r.quality).toEqual(results[i].quality));
  });

  it('idle workers do not keep a process alive', () => {
    const entry = join(meshDir(), 'one-shot.ts');
    const bundle = join(meshDir(), 'one-shot.cjs');
    writeFileSync(
      entry,
      `import { analyzeMesh } from ${JSON.stringify(join(repoRoot, 'src/mesh/analyze'))};\n` +
        `analyzeMesh(process.argv[2]).then((r) => console.log(JSON.stringify(r.counts)));\n`,
    );
    execFileSync(join(repoRoot, 'node_modules/.bin/esbuild'), [
      entry,
      '--bundle',
      '--platform=node',
      `--outfile=${bundle}`,
      '--log-level=warning',
    ]);
    const out = execFileSync(process.execPath, [bundle, binary41('bracket.step')], {
      cwd: repoRoot,
      timeout: 20_000,
    }).toString();
    expect(JSON.parse(out)).toEqual(readCounts(binary41('bracket.step')));
  });

  it('a file the reader refuses rejects with MeshFormatError across the thread boundary', async () => {
    const v22 = gmshMesh('bracket.step', 'bracket.v22.msh', ['-format', 'msh22']);
    const err = await analyzeMesh(v22).catch((e) => e);
    expect(err).toBeInstanceOf(MeshFormatError);
    expect(err.message).toContain(v22);
    expect(err.message).toMatch(/msh 2\.2 is not supported/);
    await expect(analyzeMesh(join(repoRoot, 'nope.msh'))).rejects.toThrow(/no such file/);
  });
});
