// The small-features attempt: the short CAD curves the model read found are sized to their own length, growing back
// to the element size, so the worst tetrahedra (all four nodes on short CAD edges) are resolved. Planned from the
// model; skipped, with the reason, when the part has nothing short.
import { describe, expect, it } from 'vitest';
import { smallFeatureSizing } from '../../src/sizing/small-features';
import { planFromModel, type PlannedAttempt } from '../../src/strategy/plan';
import { findEntry } from '../../src/strategy/catalogue';
import { attemptAlone } from '../helpers/cli';
import { attemptSpec } from '../helpers/attempt-spec';
import { hardPart, tmpHome } from '../helpers/paths';

// diagonal 100: Gmsh's default element size 10
const model = (lengths: number[]) => ({
  diagonal: 100,
  curves: lengths.map((length, i) => ({ tag: i + 1, length, points: [] })),
  bodies: [1],
  faces: [1, 2, 3].map((tag) => ({ tag, area: 1, curves: [], width: null })),
  faceAngles: [],
  corners: [],
});
const noNetgen = { reason: 'no netgen' };

describe('small-feature sizing plan', () => {
  it('sizes curves shorter than half the element size, grouped by length, each group at its shortest', () => {
    const s = smallFeatureSizing(model([50, 4.9, 0.3, 0.35, 0.9, 5]), 1)!;
    expect(s.elementSize).toBe(10);
    expect(s.growth).toBe(1.3);
    expect(s.curves).toEqual([
      { tags: [3, 4], size: 0.3, samples: 20 },
      { tags: [5], size: 0.9, samples: 20 },
      { tags: [2], size: 4.9, samples: 20 },
    ]);
    // at half the size the 4.9 curve is no longer short
    expect(smallFeatureSizing(model([4.9]), 0.5)).toBeNull();
  });

  it('leaves collapsed edges out and never sizes below 1/1000 of the element size', () => {
    // 1e-10 long: a collapsed edge (a pole); sizing it never finishes
    expect(smallFeatureSizing(model([1e-10, 50]), 1)).toBeNull();
    const s = smallFeatureSizing(model([1e-5, 50]), 1)!;
    expect(s.curves).toEqual([{ tags: [1], size: 0.01, samples: 20 }]);
  });

  it('is skipped with the reason when the part has nothing short, or no model', () => {
    const planned = (): PlannedAttempt[] => [
      { entry: findEntry('small-features')!, skip: null, spec: attemptSpec({ strategy: 'small-features' }) },
      { entry: findEntry('default')!, skip: null, spec: attemptSpec() },
    ];
    const none = planned();
    planFromModel(none, model([50, 20]), noNetgen);
    expect(none.map((p) => p.skip)).toEqual(['the part has no CAD curve shorter than half the element size', null]);
    const unread = planned();
    planFromModel(unread, null, noNetgen);
    expect(unread[0].skip).toBe("the part's CAD curves could not be read");
    const some = planned();
    planFromModel(some, model([50, 0.2]), noNetgen);
    expect(some[0].skip).toBeNull();
    expect(some[0].spec.features?.curves).toEqual([{ tags: [2], size: 0.2, samples: 20 }]);
    expect(some[1].spec.features).toBeUndefined();
  });
});

describe('small-features on a hard part (real Gmsh)', () => {
  it("micro-fillet: beats the default attempt's worst element, at a few times its tetrahedra", async () => {
    const home = tmpHome();
    // A target every mesh meets, so each job runs its one attempt and no repair.
    const run = (strategy: string) => attemptAlone(hardPart('micro-fillet.step'), strategy, home);
    const def = await run('default');
    const small = await run('small-features');
    expect(small.status).toBe('completed');
    // measured: default SICN 0.0057 (856 tets), small-features 0.079 (2,219 tets): the 0.31 mm fillet-end arcs
    expect(def.quality.sicn.min).toBeLessThan(0.01);
    expect(small.quality.sicn.min).toBeGreaterThan(5 * def.quality.sicn.min);
    expect(small.elements.tetrahedra).toBeLessThan(5 * def.elements.tetrahedra);
  }, 240_000);
});
