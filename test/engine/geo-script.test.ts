// The attempt's generated .geo: what Gmsh runs instead of the user's file. Groups are added without changing the
// mesh, names and file names are checked, and the recorded argv replays the attempt.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AttemptSpec } from '../../src/contract/attempt';
import { GeoScript, GeoScriptError } from '../../src/geo/geo-script';
import { readMshFile } from '../../src/mesh/msh-reader';
import { attemptCommand } from '../../src/geo/attempt-script';
import { inspectInput } from '../../src/input/inspect';
import { stageInput } from '../../src/input/stage';
import { repoRoot } from '../helpers/paths';
import { attemptSpec } from '../helpers/attempt-spec';

const bracket = join(repoRoot, 'resources/demo/bracket.step');

function physicalNames(msh: string): string[] {
  const text = readFileSync(msh, 'latin1');
  const a = text.indexOf('$PhysicalNames\n');
  if (a < 0) return [];
  const lines = text.slice(a, text.indexOf('$EndPhysicalNames')).split('\n').slice(2, -1);
  return lines.map((l) => l.replace(/^\d+ \d+ "(.*)"$/, '$1'));
}

function run(patch: Partial<AttemptSpec>, dir = mkdtempSync(join(tmpdir(), 'mb-geo-'))) {
  const staged = stageInput(inspectInput(bracket), dir);
  const cmd = attemptCommand('gmsh', attemptSpec(patch), staged, dir);
  for (const f of cmd.files) writeFileSync(f.path, f.content);
  execFileSync(cmd.argv[0], cmd.argv.slice(1), { cwd: dir, stdio: 'pipe' });
  return { cmd, dir, mesh: readMshFile(cmd.outFile), geo: cmd.files[0].content };
}

describe('GeoScript builder', () => {
  it('orders sections: import options before the Merge, groups last', () => {
    const s = new GeoScript()
      .physical(2, 'fixed', 7, [3, 4])
      .option('Mesh.SaveAll', 1)
      .option('Geometry.OCCFixSmallEdges', 1)
      .merge('input.step')
      .factory('OpenCASCADE')
      .text();
    const at = (t: string) => s.indexOf(t);
    expect(at('SetFactory("OpenCASCADE");')).toBeGreaterThan(0);
    expect(at('Geometry.OCCFixSmallEdges = 1;')).toBeLessThan(at('Merge "input.step";'));
    expect(at('Merge "input.step";')).toBeLessThan(at('Mesh.SaveAll = 1;'));
    expect(at('Mesh.SaveAll = 1;')).toBeLessThan(at('Physical Surface("fixed", 7) = {3, 4};'));
  });

  it('refuses text that is not a plain name instead of pasting it', () => {
    const g = new GeoScript();
    expect(() => g.merge('../x.step')).toThrow(GeoScriptError);
    expect(() => g.merge('a"; SystemCall "rm -rf /')).toThrow(GeoScriptError);
    expect(() => g.physical(2, 'bad name"', 1, [1])).toThrow(GeoScriptError);
    expect(() => g.physical(2, '1abc', 1, [1])).toThrow(GeoScriptError);
    expect(() => g.physical(2, 'a'.repeat(65), 1, [1])).toThrow(GeoScriptError);
    expect(() => g.option('Mesh.Algorithm; SystemCall "x"', 1)).toThrow(GeoScriptError);
    expect(() => g.option('Mesh.Algorithm', Number.NaN)).toThrow(GeoScriptError);
    expect(() => g.physical(2, 'ok', 1, [1.5])).toThrow(GeoScriptError);
    expect(() => g.save('../../elsewhere.msh')).toThrow(GeoScriptError);
    expect(() => g.save('x.msh"; SystemCall "rm')).toThrow(GeoScriptError);
    expect(() => g.massReport('facts"; Exit;')).toThrow(GeoScriptError);
    expect(() => g.field({ kind: 'Threshold', inField: 9, sizeMin: 1, sizeMax: 2, distMin: 0, distMax: 1 })).toThrow(
      /no field 9/,
    );
    expect(() => g.field({ kind: 'Constant', size: Number.POSITIVE_INFINITY })).toThrow(GeoScriptError);
  });

  it('numbers fields in order and refers to them only once they exist', () => {
    const g = new GeoScript();
    const d = g.field({ kind: 'Distance', surfaces: [3, 4] });
    const t = g.field({ kind: 'Threshold', inField: d, sizeMin: 0.5, sizeMax: 5, distMin: 0, distMax: 10 });
    const r = g.field({ kind: 'Restrict', inField: g.field({ kind: 'Constant', size: 0.5 }), volumes: [2] });
    g.backgroundField(g.field({ kind: 'Min', fields: [t, r] }));
    expect([d, t, r]).toEqual([1, 2, 4]);
    const text = g.text();
    expect(text).toContain('Field[1].SurfacesList = {3, 4};');
    expect(text).toContain('Field[2].InField = 1;');
    expect(text).toContain('Field[4].VolumesList = {2};');
    expect(text).toContain('Field[5].FieldsList = {2, 4};\nBackground Field = 5;');
  });
});

describe("an attempt's sizes, checked where its script is built", () => {
  it('refuses a local or repair size out of range in a spec that did not come through the plan (the worker runner)', () => {
    const staged = stageInput(inspectInput(bracket), mkdtempSync(join(tmpdir(), 'mb-geo-')));
    const build = (patch: Partial<AttemptSpec>) => () =>
      attemptCommand('gmsh', attemptSpec(patch), staged, dirname(staged));
    const local = (size: number) => ({ sizing: { local: [{ target: 'face:1', dim: 2 as const, tags: [1], size }] } });
    const repair = (size: number) => ({
      repair: {
        from: 'default',
        balls: [{ centre: [-9.4, 0, 1e-9] as [number, number, number], radius: 0.8, size }],
        slope: 0.3,
        farSize: 6.8,
        surfaces: [1],
        badTets: 1,
        worstSicn: 0,
        netgen: false,
      },
    });
    expect(build(local(1e-300))).toThrow(/--size face:1=1e-300: a size must be from 1e-6 to 1e9/);
    expect(build(local(1e308))).toThrow(/--size face:1=1e\+308: a size must be from 1e-6 to 1e9/);
    expect(build(repair(1e-300))).toThrow(/--size repair of default=1e-300: a size must be from 1e-6 to 1e9/);
    // In range, both reach the script as size fields: the repair's as a ramp around its ball, every number in
    // parentheses and without an exponent (`x--9.4` or `1e-09` would leave Gmsh without a volume mesh).
    const geo = build({ ...local(0.5), ...repair(0.25) })().files[0].content;
    expect(geo).toContain('Field[2].SizeMin = 0.5;');
    expect(geo).toContain(
      'Field[3].F = "Min((6.8), (0.25) + (0.3)*Max(0, Sqrt((x-(-9.4))^2+(y-(0))^2+(z-(0.000000001))^2) - (0.8)))";',
    );
  });
});

describe('attempt .geo with the real Gmsh', () => {
  it('adds one group per body and per face, keeping exactly the nodes and elements of a run without groups', () => {
    const { mesh, cmd, dir, geo } = run({});
    expect(cmd.argv[1]).toBe(join(dir, 'attempt-0-default.geo'));
    expect(geo).toContain('Merge "input.step";');
    const names = physicalNames(cmd.outFile);
    expect(names).toContain('Body_1');
    expect(names.filter((n) => /^Face_\d+$/.test(n)).length).toBe(mesh.entities.surfaces);
    // The same Gmsh on the file itself, no script, no groups (Delaunay is deterministic).
    const plain = join(dir, 'plain.msh');
    execFileSync('gmsh', [bracket, '-3', '-nt', '1', '-format', 'msh41', '-bin', '-o', plain], { stdio: 'pipe' });
    const ref = readMshFile(plain);
    expect(physicalNames(plain)).toEqual([]);
    expect(mesh.nodeCount).toBe(ref.nodeCount);
    expect(mesh.counts).toEqual(ref.counts);
    expect(Array.from(mesh.tets.slice(0, 400))).toEqual(Array.from(ref.tets.slice(0, 400)));
  });

  it("writes a model's groups as literal lists: no loop in the script, interfaces included", () => {
    const groups = [
      { name: 'Body_1', label: 'Body_1', dim: 3 as const, tags: [1], physical: 200001 },
      { name: 'Interface_1_2', label: 'Interface_1_2', dim: 2 as const, tags: [5, 9], physical: 1000001 },
    ];
    const staged = stageInput(inspectInput(bracket), mkdtempSync(join(tmpdir(), 'mb-geo-')));
    const geo = attemptCommand('gmsh', attemptSpec({ groups }), staged, join(staged, '..')).files[0].content;
    expect(geo).toContain('Physical Surface("Interface_1_2", 1000001) = {5, 9};');
    expect(geo).not.toMatch(/^\s*For\b/m);
  });

  it('writes the given groups instead, and scales to metres', () => {
    const groups = [
      { name: 'Bracket', label: 'bracket body', dim: 3 as const, tags: [1], physical: 200001 },
      { name: 'fixed', label: 'fixed', dim: 2 as const, tags: [1, 2], physical: 100001 },
    ];
    const mm = run({}).mesh;
    const { mesh, cmd } = run({ groups, units: 'm' });
    expect(physicalNames(cmd.outFile)).toEqual(['Points', 'Curves', 'fixed', 'Bracket']);
    expect(mesh.counts).toEqual(mm.counts);
    for (let k = 0; k < 3; k++) expect(mesh.bbox.max[k]).toBeCloseTo(mm.bbox.max[k] / 1000, 9);
  });
});
