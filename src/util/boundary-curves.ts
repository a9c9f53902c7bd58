// A face's (or a group of faces') boundary: the curves used once. A seam is used twice by its own face, and a curve
// two faces of a group share is inside the group.

/** The curves, by tag, that appear once in `curves` (signed tags, with repeats). */
export function usedOnce(curves: readonly number[]): number[] {
  const uses = new Map<number, number>();
  for (const c of curves) uses.set(Math.abs(c), (uses.get(Math.abs(c)) ?? 0) + 1);
  return [...uses].filter(([, n]) => n === 1).map(([c]) => c);
}
