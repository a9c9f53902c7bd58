// A quality histogram as people read it, the same in the desktop (the per-job chart, Compare) and the CLI
// (`meshbench show`): the part worth drawing and a few bands with their counts (the target's mark: ./targets.ts).
// Aspect-ratio bins run to a cap of 1e6 so no value falls off, but on a linear axis to 1e6 every bar sits in one
// sliver at the left: the axis stops at the bin holding each series' 99th percentile, and the rarer values beyond
// are counted in one overflow band.
import type { Histogram } from './job';

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

/** One band of a histogram: bins merged. The first band also holds values below its edge, the last values beyond. */
export interface Band {
  lo: number;
  /** null: the overflow band (every value at or beyond `lo`). */
  hi: number | null;
  count: number;
}

/**
 * A histogram as at most `max` bands: the axis cut where the data stops (shownRange, the rest in an overflow band)
 * and adjacent bins merged, so each band is wide enough to carry its count. The counts add up to the histogram's.
 */
export function qualityBands(h: Histogram, max = 10): Band[] {
  const [s] = shownRange([h]);
  const bins = s.edges.length - 1;
  const room = Math.max(1, max - (s.overflowFrom === null ? 0 : 1));
  const per = Math.ceil(bins / room);
  const out: Band[] = [];
  for (let i = 0; i < bins; i += per) {
    const j = Math.min(bins, i + per);
    let count = 0;
    for (let k = i; k < j; k++) count += s.counts[k];
    out.push({ lo: s.edges[i], hi: s.edges[j], count });
  }
  if (s.overflowFrom !== null) out.push({ lo: s.overflowFrom, hi: null, count: s.counts[bins] });
  return out;
}
