// The coarse-cusps attempt: the CAD vertices where a face's two curves meet at under 10° (cusps, from the model
// read's corner angles) get twice Gmsh's default element size, so fewer sliver triangles crowd into the corner.
// Planned only when the part has cusps; last in the catalogue, since it lowers other parts.
import { describe, expect, it } from 'vitest';
import { inspectInput } from '../../src/input/inspect';
import { readCadModel } from '../../src/model/read-model';
import { catalogueFor, findEntry } from '../../src/strategy/catalogue';
import { cuspSizing } from '../../src/strategy/cusp-points';
import { planFromModel, type PlannedAttempt } from '../../src/strategy/plan';
import { attemptSpec } from '../helpers/attempt-spec';
import { attemptAlone } from '../helpers/cli';
import { hardPart, hasSamples, needsSamples, sample, tmpHome } from '../helpers/paths';

// diagonal 100: Gmsh's default element size 10
const model = (corners: [number, number][]) => ({
  diagonal: 100,
  curves: [],
  faces: [],
  faceAngles: [],
  bodies: [1],
  corners: corners.map(([vertex, angle]) => ({ vertex, angle })),
});

describe('coarse-cusps plan', () => {
  it('sizes each vertex of a corner under 10° at twice the default element size, once', () => {
    expect(
      cuspSizing(
        model([
          [7, 0],
          [3, 9.9],
          [7, 2.5],
          [4, 10],
          [5, 90],
        ]),
      ),
    ).toEqual({ points: [3, 7], size: 20 });
    expect(cuspSizing(model([[4, 10]]))).toBeNull();
  });

  it('is skipped with the reason without cusps or without a model; last of the Gmsh attempts', () => {
    const plan = (m: ReturnType<typeof model> | null) => {
      const p: PlannedAttempt = {
        entry: findEntry('coarse-cusps')!,
        skip: null,
        spec: attemptSpec({ strategy: 'coarse-cusps' }),
      };
      planFromModel([p], m, { reason: 'no netgen' });
      return p;
    };
    expect(plan(model([[1, 45]])).skip).toBe('the part has no face corner under 10° (a cusp)');
    expect(plan(null).skip).toBe("the part's model could not be read");
    expect(plan(model([[2, 1]])).spec.cusps).toEqual({ points: [2], size: 20 });
    const names = catalogueFor('step').map((e) => e.name);
    expect(names.indexOf('coarse-cusps')).toBe(names.indexOf('compound-slivers') + 1);
  });

  it("tangent-boss: the model read's corners give the designed cusps' vertices (real Gmsh)", async () => {
    const m = await readCadModel('gmsh', inspectInput(hardPart('tangent-boss.step')));
    expect(cuspSizing(m)?.points).toEqual([5, 7, 9]);
    const thin = await readCadModel('gmsh', inspectInput(hardPart('thin-wall.step')));
    expect(cuspSizing(thin)).toBeNull();
  }, 120_000);
});

describe('coarse-cusps on a part with cusps (real Gmsh)', () => {
  it.skipIf(!hasSamples)(
    `t20_data ×0.5: a better worst element than the default attempt, with fewer tetrahedra${needsSamples}`,
    async () => {
      const home = tmpHome();
      const run = (strategy: string) => attemptAlone(sample('t20_data.step'), strategy, home, 0.5);
      const def = await run('default');
      const coarse = await run('coarse-cusps');
      // measured: default 0.208 (3,694 tets), coarse-cusps 0.355 (3,299 tets)
      expect(coarse.quality.sicn.min).toBeGreaterThan(def.quality.sicn.min + 0.05);
      expect(coarse.elements.tetrahedra).toBeLessThan(def.elements.tetrahedra);
    },
    240_000,
  );
});
