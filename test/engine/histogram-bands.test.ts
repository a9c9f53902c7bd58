// Compare's histograms stop at the bin holding the 99th percentile, the rest in one overflow bar.
import { describe, expect, it } from 'vitest';
import { shownRange } from '../../src/contract/histogram-bands';

const ASPECT = [1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 7.5, 10, 20, 50, 100, 1e6];

describe('shownRange', () => {
  it('cuts the aspect-ratio axis far below the cap and keeps every element counted', () => {
    const a = { edges: ASPECT, counts: [100, 400, 300, 150, 30, 10, 5, 3, 1, 1, 0, 0, 0, 0, 1] };
    const b = { edges: ASPECT, counts: [50, 450, 300, 150, 40, 6, 2, 1, 0, 0, 0, 0, 0, 0, 0] };
    const [sa, sb] = shownRange([a, b]);
    expect(sa.edges.at(-1)).toBe(3);
    expect(sa.overflowFrom).toBe(3);
    expect(sa.counts).toEqual([100, 400, 300, 150, 30, 10, 5, 6]);
    expect(sb.counts.reduce((x, y) => x + y, 0)).toBe(999);
    expect(sb.edges).toEqual(sa.edges);
  });
  it('leaves a histogram whose values spread to the end as it is', () => {
    const edges = Array.from({ length: 21 }, (_, i) => i / 20);
    const h = { edges, counts: edges.slice(1).map((_, i) => (i < 10 ? 1 : 50)) };
    expect(shownRange([h])).toEqual([{ edges, counts: h.counts, overflowFrom: null }]);
  });
});
