// The viewer's element list (renderer/src/viewer/cells.ts): tets, prisms and pyramids drawn whole need every face,
// outward, covering the element's surface, and every edge once.
import { describe, expect, it } from 'vitest';
import { CELL_EDGES, CELL_TRIANGLES, cellCount, cellNodes } from '../../renderer/src/viewer/cells';

const S3 = Math.sqrt(3);
const shapes: Record<4 | 5 | 6, { xyz: number[][]; area: number }> = {
  4: {
    xyz: [
      [0, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    area: 1.5 + S3 / 2,
  },
  6: {
    xyz: [
      [0, 0, 0],
      [1, 0, 0],
      [0.5, S3 / 2, 0],
      [0, 0, 1],
      [1, 0, 1],
      [0.5, S3 / 2, 1],
    ],
    area: 3 + S3 / 2,
  },
  5: {
    xyz: [
      [0, 0, 0],
      [1, 0, 0],
      [1, 1, 0],
      [0, 1, 0],
      [0.5, 0.5, 1 / Math.SQRT2],
    ],
    area: 1 + S3,
  },
};

describe('viewer cells', () => {
  for (const k of [4, 5, 6] as const)
    it(`${k}-node element: outward faces covering its surface, ${CELL_EDGES[k].length} distinct edges`, () => {
      const { xyz, area } = shapes[k];
      const c = [0, 1, 2].map((i) => xyz.reduce((s, p) => s + p[i], 0) / xyz.length);
      let total = 0;
      for (const [a, b, d] of CELL_TRIANGLES[k]) {
        const u = [0, 1, 2].map((i) => xyz[b][i] - xyz[a][i]);
        const v = [0, 1, 2].map((i) => xyz[d][i] - xyz[a][i]);
        const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
        const out = [0, 1, 2].map((i) => (xyz[a][i] + xyz[b][i] + xyz[d][i]) / 3 - c[i]);
        expect(n[0] * out[0] + n[1] * out[1] + n[2] * out[2]).toBeGreaterThan(0);
        total += Math.hypot(...n) / 2;
      }
      expect(total).toBeCloseTo(area, 12);
      expect(new Set(CELL_EDGES[k].map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`)).size).toBe(
        CELL_EDGES[k].length,
      );
    });

  it('numbers tets, then prisms, then pyramids', () => {
    const m = {
      tets: Uint32Array.of(0, 1, 2, 3),
      prisms: Uint32Array.of(4, 5, 6, 7, 8, 9),
      pyramids: Uint32Array.of(10, 11, 12, 13, 14),
    };
    const out = new Uint32Array(6);
    expect(cellCount(m)).toBe(3);
    expect([cellNodes(m, 0, out), out[0]]).toEqual([4, 0]);
    expect([cellNodes(m, 1, out), out[5]]).toEqual([6, 9]);
    expect([cellNodes(m, 2, out), out[4]]).toEqual([5, 14]);
  });
});
