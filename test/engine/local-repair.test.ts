// Local repair on real Gmsh runs: a mesh below its targets is refined around its bad tetrahedra themselves (balls
// around clusters of them, in the replayable script), not over whole CAD faces; the mesh away from them stays the
// parent's; the same repair gives the same bytes, and the same balls in any written unit; bad means breaking any target
// set; a few only (at most 1 % or 50); a round no better than its parent is set aside and its parent kept.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readMshFile } from '../../src/mesh/msh-reader';
import { measureTets } from '../../src/quality/kernel';
import { REPAIR_RULES, planRepair } from '../../src/repair/plan-repair';
import { cli } from '../helpers/cli';
import { hardPart, tmpHome } from '../helpers/paths';

interface Ball {
  centre: number[];
  /** Where the size is back to the part's own (the ramp's end): the refinement's reach. */
  reach: number;
}

/** The repair's balls as its script hands them to Gmsh (MathEval ramps; sizes and slope share the -clscale). */
function ballsOf(geo: string): Ball[] {
  const n = '\\((-?[\\d.]+)\\)';
  const re = new RegExp(
    `Min\\(${n}, ${n} \\+ ${n}\\*Max\\(0, Sqrt\\(\\(x-${n}\\)\\^2\\+\\(y-${n}\\)\\^2\\+\\(z-${n}\\)\\^2\\) - ${n}\\)\\)`,
    'g',
  );
  return [...geo.matchAll(re)].map((m) => {
    const [far, size, slope, x, y, z, radius] = m.slice(1).map(Number);
    return { centre: [x, y, z], reach: radius + (far - size) / slope };
  });
}

/** Tetrahedra whose centroid lies within any ball's reach, and the others. */
function split(meshPath: string, balls: Ball[]): { near: number; far: number } {
  const m = readMshFile(meshPath);
  let near = 0;
  const nTets = m.tets.length / 4;
  for (let t = 0; t < nTets; t++) {
    const c = [0, 1, 2].map((k) => {
      let s = 0;
      for (let v = 0; v < 4; v++) s += m.nodes[3 * m.tets[4 * t + v] + k];
      return s / 4;
    });
    if (balls.some((b) => Math.hypot(c[0] - b.centre[0], c[1] - b.centre[1], c[2] - b.centre[2]) <= b.reach)) near++;
  }
  return { near, far: nTets - near };
}

const thinWall = hardPart('thin-wall.step');
const repairJob = (home: string, repair = '--repair', ...more: string[]) =>
  cli(['mesh', thinWall, '--size-factor', '0.5', '--strategy', 'default', repair, ...more, '--json'], home);
const fieldLines = (geoPath: string) =>
  readFileSync(geoPath, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Field['));

describe('local repair', () => {
  const home = tmpHome();
  const first = repairJob(home);

  it('thin-wall: refines around the sliver beside the wall; the mesh away from it stays the default one', async () => {
    const r = await first;
    expect(r.code).toBe(0);
    const job = r.json();
    const [dflt, fix] = job.attempts;
    expect(dflt.quality.sicn.min).toBeLessThan(0.1); // Delaunay leaves a sliver there at this size
    expect(fix).toMatchObject({ strategy: 'targeted-repair', status: 'completed', parent: 0 });
    expect(fix.repair).toMatchObject({ from: 'default', places: expect.any(Number), badTets: expect.any(Number) });
    expect(fix.quality.sicn.min).toBeGreaterThanOrEqual(0.1);
    expect(job.winnerIndex).toBe(fix.index);
    expect(job.targets.met).toBe(true);
    // The replayable script: one ramp per place, Relocate3D after meshing.
    const geo = readFileSync(fix.argv[1], 'utf8');
    const balls = ballsOf(geo);
    expect(balls).toHaveLength(fix.repair.places);
    expect(geo).not.toContain('SurfacesList'); // no face refined as a whole
    expect(geo).toMatch(/Background Field = \d+;[\s\S]*Mesh 3;\nOptimizeMesh "Relocate3D";/);
    // Local: the tetrahedra beyond the balls' reach are about as many as the default mesh has there; the new ones are
    // inside it. (Refining the faces the sliver touches made twice the default's tets on this part.)
    // (the attempts' own meshes are gone with the job's work folder: the default mesh again, without the repair)
    const parent = (await repairJob(home, '--no-repair')).json();
    expect(parent.mesh.sha256).toBe(dflt.mesh.sha256);
    const before = split(parent.mesh.path, balls);
    const after = split(job.mesh.path, balls);
    expect(Math.abs(after.far - before.far)).toBeLessThan(0.05 * before.far);
    expect(after.near).toBeGreaterThan(before.near);
    expect(fix.elements.tetrahedra).toBeLessThan(1.25 * dflt.elements.tetrahedra);
    const show = await cli(['show', job.id], home);
    expect(show.stdout + show.stderr).toMatch(
      /refined around \d+ tetrahedr(on|a) of default in \d+ places? on faces? [\d, ]+/,
    );
  });

  it('the same repair twice gives the same mesh, byte for byte (Delaunay)', async () => {
    const a = (await first).json();
    const b = (await repairJob(tmpHome())).json();
    expect(b.winnerIndex).toBe(a.winnerIndex);
    expect(b.attempts[a.winnerIndex].strategy).toBe('targeted-repair');
    expect(b.mesh.sha256).toBe(a.mesh.sha256);
  });

  it('plans in model units whatever unit the mesh is written in: a mesh in metres gets the same balls', async () => {
    const mm = (await first).json();
    const m = (await repairJob(tmpHome(), '--repair', '--units', 'm')).json();
    const fix = m.attempts[mm.winnerIndex];
    expect(fix.strategy).toBe('targeted-repair');
    expect(fieldLines(fix.argv[1])).toEqual(fieldLines(mm.attempts[mm.winnerIndex].argv[1]));
    expect(fix.quality.sicn.min).toBeCloseTo(mm.quality.sicn.min, 6);
  });
  it('repairs the tetrahedra breaking any target set: a minimum dihedral angle the default misses, SICN met', async () => {
    // small-fillet ×0.5: SICN min 0.064 meets 0.05, but its minimum dihedral angle (2.1°) misses 3°.
    const r = await cli(
      [
        'mesh',
        hardPart('small-fillet.step'),
        '--size-factor',
        '0.5',
        '--min-sicn',
        '0.05',
        '--min-dihedral',
        '3',
        '--strategy',
        'default',
        '--repair',
        '--json',
      ],
      tmpHome(),
    );
    const job = r.json();
    const [dflt, fix] = job.attempts;
    expect(dflt.quality.sicn.min).toBeGreaterThanOrEqual(0.05);
    expect(dflt.quality.minDihedralDeg.min).toBeLessThan(3);
    expect(fix).toMatchObject({ strategy: 'targeted-repair', status: 'completed' });
    expect(fix.repair.badTets).toBeGreaterThan(0);
    expect(fix.quality.minDihedralDeg.min).toBeGreaterThanOrEqual(3);
    expect(job.winnerIndex).toBe(fix.index);
    expect(job.targets.met).toBe(true);
  });

  it('refines at most maxPlaces clusters a round, the worst first, and counts the ones it left', async () => {
    const parent = (await repairJob(tmpHome(), '--no-repair')).json();
    const plan = (maxPlaces: number) => {
      const was = REPAIR_RULES.maxPlaces;
      REPAIR_RULES.maxPlaces = maxPlaces;
      try {
        const p = planRepair({
          from: 'default',
          meshPath: parent.mesh.path,
          targets: { minSicn: 0.3 },
          sizeFactor: 0.5,
          netgen: false,
          round: 0,
        });
        if ('skip' in p) throw new Error(p.skip);
        return p;
      } finally {
        REPAIR_RULES.maxPlaces = was;
      }
    };
    const all = plan(60);
    expect(all.left).toBe(0);
    expect(all.places).toBeGreaterThan(3); // thin-wall ×0.5 below SICN 0.3: tetrahedra in many places
    const few = plan(2);
    expect(few).toMatchObject({ places: 2, left: all.places - 2 });
    // the worst clusters: the first two of the full plan (clustered worst tetrahedron first)
    expect(few.spec.balls).toEqual(all.spec.balls.slice(0, 2));
    // the first ball is around the worst tetrahedron of the mesh
    const m = readMshFile(parent.mesh.path);
    const { sicn } = measureTets(m.nodes, m.tets);
    const worst = sicn.indexOf(Math.min(...sicn));
    const c = [0, 1, 2].map((k) => [0, 1, 2, 3].reduce((s, v) => s + m.nodes[3 * m.tets[4 * worst + v] + k], 0) / 4);
    const b = all.spec.balls[0];
    expect(Math.hypot(c[0] - b.centre[0], c[1] - b.centre[1], c[2] - b.centre[2])).toBeLessThanOrEqual(b.radius);
  });

  it('is planned only for a few bad tetrahedra (at most 1 % of the mesh or 50): more is not a local repair', async () => {
    // small-fillet at size factor 1 aiming for SICN 0.2: 63 of 789 default tetrahedra are below it.
    const home = tmpHome();
    const r = await cli(
      ['mesh', hardPart('small-fillet.step'), '--min-sicn', '0.2', '--strategy', 'default', '--repair', '--json'],
      home,
    );
    const job = r.json();
    expect(job.attempts.map((a: { strategy: string }) => a.strategy)).toEqual(['default']);
    expect(job.targets.met).toBe(false);
    const log = await cli(['show', job.id, '--log'], home);
    expect(log.stdout + log.stderr).toMatch(
      /No targeted repair of default: \d+ tetrahedra break a target: too many for a local repair \(at most 50\)/,
    );
  });
});

describe('a repair round no better than its parent', () => {
  it('crossing-boss at 0.5 aiming for SICN 0.2: round 2 is set aside, round 1 (its parent) is kept and shown so', async () => {
    // Round 1 lifts the default's 0.080 to 0.163; from there round 2's balls make the mesh worse (0.068), which the
    // job must not hand back. (Kurbelwelle, a sample part, does the same at 0.25 aiming for 0.26: 0.230, then 0.147.)
    const home = tmpHome();
    const r = await cli(
      [
        'mesh',
        hardPart('crossing-boss.step'),
        '--size-factor',
        '0.5',
        '--min-sicn',
        '0.2',
        '--strategy',
        'default',
        '--repair',
        '--json',
      ],
      home,
    );
    expect(r.code).toBe(0);
    const job = r.json();
    const [dflt, round1, round2] = job.attempts;
    expect(job.attempts).toHaveLength(3);
    expect(round1).toMatchObject({ strategy: 'targeted-repair', parent: dflt.index, status: 'completed' });
    expect(round1.discarded).toBeUndefined();
    expect(round1.quality.sicn.min).toBeGreaterThan(dflt.quality.sicn.min);
    expect(round2).toMatchObject({ strategy: 'targeted-repair', parent: round1.index, status: 'completed' });
    expect(round2.quality.sicn.min).toBeLessThanOrEqual(round1.quality.sicn.min);
    expect(round2.discarded).toMatch(
      /^not kept: its worst element is no better than its parent's \(SICN min 0\.\d+ against 0\.\d+\)$/,
    );
    // The job keeps the parent: its index, its mesh, its quality; below target, and marked so.
    expect(job.winnerIndex).toBe(round1.index);
    expect(job.mesh.sha256).toBe(round1.mesh.sha256);
    expect(job.quality.sicn.min).toBe(round1.quality.sicn.min);
    expect(job.targets.met).toBe(false);
    const log = await cli(['show', job.id, '--log'], home);
    const text = log.stdout + log.stderr;
    expect(text).toMatch(
      /Attempt targeted-repair \(from targeted-repair, attempt 1\): not kept: .*; no further repair round/,
    );
    expect(text).toMatch(
      /│ 2 │ targeted-repair │ completed \(set aside\) │[^\n]*│ not kept: its worst element is no better/,
    );
    expect(text).toMatch(/│ 1 │ targeted-repair │ completed \(kept\)/);
  });
});
