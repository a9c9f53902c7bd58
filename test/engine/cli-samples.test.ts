// The real CLI on the real sample parts with the real Gmsh, each job in a fresh store.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { demoPart, repoRoot, sample, testPart, tmpHome, hasSamples, needsSamples } from '../helpers/paths';
import { DEFAULT_SETTINGS } from '../../src/contract/job';

describe('meshbench mesh on the sample parts', () => {
  it.skipIf(!hasSamples)(
    'meshes Kurbelwelle although Gmsh defaults fail, keeping the failed default attempt and its reason' + needsSamples,
    async () => {
      const home = tmpHome();
      const r = await cli(['mesh', sample('Kurbelwelle.stp'), '--json'], home);
      expect(r.code).toBe(0);
      const job = r.json();
      expect(job.status).toBe('completed');
      expect(job.backend).toBe('local');
      const def = job.attempts.find((a: any) => a.strategy === 'default');
      expect(def.status).toBe('failed');
      expect(def.error).toMatch(/Invalid boundary mesh \(segment-facet intersection\) on surface 8/);
      expect(def.failedSurfaces).toContain(8);
      expect(def.argv[0]).toMatch(/gmsh/);
      // Gmsh runs the attempt's script, which merges a staged copy: the user's path never reaches Gmsh.
      expect(def.argv).not.toContain(sample('Kurbelwelle.stp'));
      expect(def.argv[1]).toMatch(/attempt-\d+-default\.geo$/);
      expect(readFileSync(def.argv[1], 'utf8')).toContain('Merge "input.step";');
      expect(job.strategy).not.toBe('default');
      expect(job.mesh.elements.tetrahedra).toBeGreaterThan(500);
      expect(job.quality.inverted).toBe(0);
      expect(job.quality.sicn.min).toBeGreaterThanOrEqual(0.1);
      expect(job.score).toBeGreaterThan(0);
      // Result files beside the mesh.
      expect(existsSync(job.mesh.path)).toBe(true);
      expect(readFileSync(job.mesh.path).subarray(0, 11).toString()).toBe('$MeshFormat');
      const out = job.outDir as string;
      expect(JSON.parse(readFileSync(join(out, 'Kurbelwelle_result.json'), 'utf8')).id).toBe(job.id);
      expect(JSON.parse(readFileSync(join(out, 'Kurbelwelle.quality.json'), 'utf8')).sicn.min).toBe(
        job.quality.sicn.min,
      );
      // Contract fields.
      for (const k of [
        'id',
        'status',
        'backend',
        'input',
        'strategy',
        'score',
        'attempts',
        'mesh',
        'quality',
        'timings',
        'transfer',
        'error',
      ])
        expect(job).toHaveProperty(k);
      expect(job.input.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(job.timings.totalMs).toBeGreaterThan(0);
      expect(job.timings.phases.mesh).toBeGreaterThan(0);
    },
  );

  it.skipIf(!hasSamples).each(['t20_data.step', 'wrenchnut.stp', 'Angled.step'])(
    'meshes %s with targets met' + needsSamples,
    async (name) => {
      const r = await cli(['mesh', sample(name), '--json'], tmpHome());
      expect(r.code, r.stderr).toBe(0);
      const job = r.json();
      expect(job.quality.inverted).toBe(0);
      expect(job.quality.sicn.min).toBeGreaterThanOrEqual(0.1);
      expect(job.mesh.elements.tetrahedra).toBeGreaterThan(100);
    },
  );

  it('meshes the demo parts (STEP and the STL route)', async () => {
    const home = tmpHome();
    for (const part of ['bracket.step', 'knob.stl']) {
      const r = await cli(['mesh', join(repoRoot, 'resources/demo', part), '--json'], home);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json().mesh.elements.tetrahedra).toBeGreaterThan(500);
      // Without flags the CLI meshes with the contract's defaults, the same the desktop starts from.
      expect(r.json().settings).toMatchObject(DEFAULT_SETTINGS);
    }
    const list = (await cli(['jobs', '--json'], home)).json();
    expect(list).toHaveLength(2);
    expect(list.every((j: any) => j.status === 'completed')).toBe(true);
  });

  it('best policy runs every attempt and keeps the lowest score; exhaustive runs the whole catalogue', async () => {
    const home = tmpHome();
    const r = await cli(
      ['mesh', demoPart('bracket.step'), '--strategy', 'exhaustive', '--policy', 'best', '--json'],
      home,
    );
    expect(r.code, r.stderr).toBe(0);
    const job = r.json();
    const done = job.attempts.filter((a: any) => a.status === 'completed' && a.score !== null);
    expect(done.length).toBeGreaterThan(2);
    const best = Math.min(...done.map((a: any) => a.score));
    expect(job.score).toBe(best);
    // skipped only where this Gmsh lacks the mesher, or where an attempt planned from the model has nothing to do
    // on this part (bracket: no fillet strip for compound-fillets)
    expect(
      job.attempts
        .filter((a: any) => a.status === 'skipped')
        .every((a: any) => /no (Netgen|Mmg)$|^the part has no /.test(a.error)),
    ).toBe(true);
  });

  it('--strategy runs exactly one attempt; an unknown name exits 4 with the choices', async () => {
    const home = tmpHome();
    const r = await cli(
      ['mesh', demoPart('bracket.step'), '--strategy', 'hxt', '--size-factor', '0.8', '--json'],
      home,
    );
    expect(r.code, r.stderr).toBe(0);
    const job = r.json();
    expect(job.attempts).toHaveLength(1);
    expect(job.attempts[0].argv).toEqual(
      expect.arrayContaining(['-clscale', '0.8', '-setnumber', 'Mesh.Algorithm3D', '10']),
    );
    const bad = await cli(['mesh', demoPart('bracket.step'), '--strategy', 'magic'], home);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/No strategy "magic".*default, hxt/s);
  });

  it('--strategy a,b runs those attempts, in that order, and only them; a name twice is refused', async () => {
    const home = tmpHome();
    const r = await cli(
      ['mesh', demoPart('bracket.step'), '--strategy', 'finer-size,default', '--policy', 'best', '--json'],
      home,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().attempts.map((a: { strategy: string }) => a.strategy)).toEqual(['finer-size', 'default']);
    const twice = await cli(['mesh', demoPart('bracket.step'), '--strategy', 'default,hxt,default'], home);
    expect(twice.code).toBe(4);
    expect(twice.stderr).toMatch(/"default" is named twice/);
  });

  it('quadratic elements are measured on their corner nodes', async () => {
    const r = await cli(
      ['mesh', demoPart('bracket.step'), '--order', '2', '--strategy', 'default', '--json'],
      tmpHome(),
    );
    expect(r.code, r.stderr).toBe(0);
    const job = r.json();
    expect(job.quality.cornerNodesOnly).toBe(true);
    expect(job.attempts[0].argv).toEqual(
      expect.arrayContaining(['-order', '2', '-setnumber', 'Mesh.HighOrderOptimize', '2']),
    );
    // the curved shape is judged too: Gmsh's optimisation leaves no folded element
    expect(job.quality.scaledJacobian.min).toBeGreaterThan(0);
    expect(job.quality.scaledJacobian.max).toBeLessThanOrEqual(1 + 1e-12);
    expect(job.quality.invertedCurved).toBe(0);
  });
});

describe('a surface model', () => {
  // open-shell.step (test/parts) holds 6 faces of a filleted cube and no solid: Gmsh "succeeds" with a surface
  // mesh and no tetrahedra. MeshBench must not call that a volume mesh.
  it('an open shell fails every attempt with the reason in words, exit 3', async () => {
    const r = await cli(['mesh', testPart('open-shell.step'), '--json'], tmpHome());
    expect(r.code).toBe(3);
    const job = r.json();
    expect(job.status).toBe('failed');
    expect(job.mesh).toBeNull();
    expect(job.attempts[0].error).toMatch(/no solid: 6 surfaces and no volume/);
    expect(job.attempts[0].elements.tetrahedra).toBe(0);
    expect(job.attempts[0].elements.triangles).toBeGreaterThan(0);
  });
});

describe('other formats and shapes', () => {
  it('meshes a two-solid assembly as STEP and BREP, and a binary STL, all written by Gmsh itself', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'mb-formats-'));
    writeFileSync(
      join(dir, 'make.geo'),
      [
        'SetFactory("OpenCASCADE");',
        'Cylinder(1) = {0,0,0, 0,0,20, 6};',
        'Box(2) = {-10,-10,-4, 20,20,4};',
        'BooleanFragments{ Volume{1}; Delete; }{ Volume{2}; Delete; }',
        'Save "assembly.step";',
        'Save "assembly.brep";',
        // The STL is of one fused solid: an STL of touching solids has inner walls, which no single volume can take.
        'Delete All;',
        'SetFactory("OpenCASCADE");',
        'Cylinder(1) = {0,0,0, 0,0,20, 6};',
        'Box(2) = {-10,-10,-4, 20,20,4};',
        'BooleanUnion{ Volume{1}; Delete; }{ Volume{2}; Delete; }',
        'Mesh.MeshSizeMax = 2;',
        'Mesh 2;',
        'Mesh.Binary = 1;',
        'Save "fused.stl";',
        '',
      ].join('\n'),
    );
    execFileSync('gmsh', ['make.geo', '-parse_and_exit'], { cwd: dir, stdio: 'pipe' });
    const home = tmpHome();
    for (const f of ['assembly.step', 'assembly.brep']) {
      const r = await cli(['mesh', join(dir, f), '--json'], home);
      expect(r.code, `${f}: ${r.stderr}`).toBe(0);
      const job = r.json();
      expect(job.input.format).toBe(f.endsWith('step') ? 'step' : 'brep');
      expect(job.mesh.elements.tetrahedra).toBeGreaterThan(200);
    }
    // A binary STL goes through surface classification into one volume.
    const stl = await cli(['mesh', join(dir, 'fused.stl'), '--json'], home);
    expect(stl.json().input.format).toBe('stl-binary');
    expect(stl.code, stl.stderr).toBe(0);
    expect(stl.json().strategy).toMatch(/^stl-/);
  });
});
