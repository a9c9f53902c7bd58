// Layer arithmetic shared by the engine and the desktop's "Inflation…" dialog (which shows the total thickness).

/** Cumulative distance of each layer's far side from the wall: first, first + first·growth, ... */
export function layerDistances(count: number, first: number, growth: number): number[] {
  const out: number[] = [];
  let h = first;
  let d = 0;
  for (let k = 0; k < count; k++, h *= growth) out.push((d += h));
  return out;
}

/** Total thickness of COUNT layers, the first FIRST thick, each GROWTH times the one before. */
export function layerTotal(count: number, first: number, growth: number): number {
  return layerDistances(count, first, growth).at(-1) ?? 0;
}
