// The small-features attempt's sizes, from the model read: CAD curves much shorter than the element size (tiny
// edges, the ends of narrow faces) make Gmsh's worst tetrahedra — all four nodes on CAD edges, where its optimisers
// never move them. Sizing each group of short curves to its own length, growing 1.3× back to the element size, lets
// the surface mesh resolve them (measured on the hard parts: micro-fillet SICN 0.006 → 0.2 at 2.6× the tets).
import type { FeatureSizing } from '../contract/attempt';
import { gmshDefaultSize } from './requested-size';
import { DEFAULT_GROWTH } from './size-max';

/** A curve is short below this fraction of the element size. */
const SHORT = 0.5;
/**
 * Curves below this fraction of Gmsh's default size are collapsed edges (poles, apices: 1e-10 mm long) that no
 * element can follow: sizing them never finishes, so they are left out.
 */
const DEGENERATE = 1e-6;
/** No size below this fraction of the element size (a handful of near-degenerate edges would run away otherwise). */
const FLOOR = 1e-3;

/** What the plan needs of the model read. */
interface CurveFacts {
  /** The bounding box's diagonal: Gmsh's default element size is a tenth of it. */
  diagonal: number;
  curves: readonly { tag: number; length: number }[];
}

/**
 * The sizes of the small-features attempt at `sizeFactor`, or null when the part has no short curve (then the
 * attempt would mesh exactly like `default`). Curves are grouped by length in factors of two; each group is sized
 * to its shortest curve (at least 1/1000 of the element size) and sampled densely enough that the distance to a
 * curve is smooth along it.
 */
export function smallFeatureSizing(model: CurveFacts, sizeFactor: number): FeatureSizing | null {
  const H = gmshDefaultSize(model.diagonal);
  const h = H * sizeFactor;
  if (!(h > 0)) return null;
  const bins = new Map<number, { tag: number; length: number }[]>();
  for (const c of model.curves) {
    if (c.length < DEGENERATE * H || c.length >= SHORT * h) continue;
    const k = Math.floor(Math.log2(c.length));
    bins.set(k, [...(bins.get(k) ?? []), c]);
  }
  if (!bins.size) return null;
  const curves = [...bins.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, cs]) => {
      const lengths = cs.map((c) => c.length);
      const size = Math.max(Math.min(...lengths), FLOOR * h);
      return {
        tags: cs.map((c) => c.tag).sort((a, b) => a - b),
        size,
        samples: Math.min(1000, Math.max(20, Math.ceil(Math.max(...lengths) / size) + 1)),
      };
    });
  return { elementSize: h, growth: DEFAULT_GROWTH, curves };
}
