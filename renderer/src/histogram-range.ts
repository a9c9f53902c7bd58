// The part of a histogram worth drawing. Aspect-ratio bins run to a cap of 1e6 so no value falls off, but on a linear
// axis to 1e6 every bar sits in one sliver at the left. The axis stops at the bin holding each series' 99th
// percentile; the rarer values beyond are counted in one overflow bar.
import type { Histogram } from '../../src/contract/job';

export interface ShownHistogram {
  /** Edges of the bins drawn (a prefix of the input's). */
  edges: number[];
  /** Counts of those bins, then the overflow (values at or beyond the last edge drawn) when there is one. */
  counts: number[];
  /** Values beyond the axis, counted in the overflow bar; null when the axis runs to the last bin. */
  overflowFrom: number | null;
}

/** Cuts every series at the same bin: the last one any series needs to hold `keep` of its values. */
export function shownRange(hs: Histogram[], keep = 0.99): ShownHistogram[] {
  const bins = Math.min(...hs.map((h) => h.counts.length));
  let last = 0;
  for (const h of hs) {
    const total = h.counts.reduce((a, b) => a + b, 0);
    if (!total) continue;
    let run = 0;
    let i = 0;
    for (; i < bins; i++) {
      run += h.counts[i];
      if (run >= keep * total) break;
    }
    last = Math.max(last, Math.min(i, bins - 1));
  }
  // Only worth an overflow bar when it cuts off more than one bin.
  if (last >= bins - 2) return hs.map((h) => ({ edges: h.edges, counts: h.counts, overflowFrom: null }));
  return hs.map((h) => ({
    edges: h.edges.slice(0, last + 2),
    counts: [...h.counts.slice(0, last + 1), h.counts.slice(last + 1).reduce((a, b) => a + b, 0)],
    overflowFrom: h.edges[last + 1],
  }));
}
