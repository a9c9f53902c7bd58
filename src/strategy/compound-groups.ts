// Virtual topology for the compound-fillets attempt: each narrow face (a fillet strip) is merged with a neighbour it
// meets tangentially into one `Compound Surface`, meshed as one patch, so the mesher no longer has to put nodes on
// both long sides of a strip narrower than the elements (measured on the hard parts: fillet-rim SICN 0.004 → 0.385,
// round-rim 0.010 → 0.358, with the small-features sizes at the strips' short end arcs).
import { gmshDefaultSize } from '../sizing/requested-size';
import { usedOnce } from '../util/boundary-curves';

/** A face is narrow when its width, 2·area/perimeter, is below this fraction of the element size. */
const NARROW = 0.5;
/** Faces meet tangentially when the angle between them across their shared curves is within this of 180°. */
const TANGENT_DEG = 15;

/** What the plan needs of the model read. */
export interface TopologyFacts {
  /** The bounding box's diagonal: Gmsh's default element size is a tenth of it. */
  diagonal: number;
  /** Each face with its boundary curves (signed, a seam twice) and width 2·area/perimeter (null: no boundary). */
  faces: readonly { tag: number; area: number; curves: readonly number[]; width: number | null }[];
  curves: readonly { tag: number; length: number; points: readonly number[] }[];
  faceAngles: readonly { faces: readonly [number, number]; angle: number }[];
}

/** Boundary loops of a set of curves: their connected components through shared end points. */
function loops(curves: readonly number[], points: ReadonlyMap<number, readonly number[]>): number {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const join = (a: string, b: string) => parent.set(find(a), find(b));
  for (const c of curves) {
    find(`c${c}`);
    for (const p of points.get(c) ?? []) join(`c${c}`, `p${p}`);
  }
  return new Set(curves.map((c) => find(`c${c}`))).size;
}

/**
 * The compound surfaces for the part at `sizeFactor`: each narrow face joined to the neighbour it meets tangentially
 * that has one boundary loop (not a face with a hole), the smallest such; narrowest faces first, pairs united, and a
 * merge refused when the group's boundary would not be one loop (two half-cylinders closing a tube cannot be
 * parametrized as one patch). With `slivers`, a narrow face that meets no neighbour tangentially (a sliver left by
 * a near-tangent intersection) is joined to the neighbour along its longest curve. Groups of face tags, each sorted,
 * in order of their first face; empty when none.
 */
export function compoundGroups(model: TopologyFacts, sizeFactor: number, opts: { slivers?: boolean } = {}): number[][] {
  const h = gmshDefaultSize(model.diagonal) * sizeFactor;
  if (!(h > 0)) return [];
  const length = new Map(model.curves.map((c) => [c.tag, c.length]));
  const points = new Map(model.curves.map((c) => [c.tag, c.points]));
  const faces = new Map(model.faces.map((f) => [f.tag, f]));
  const width = new Map(model.faces.map((f) => [f.tag, f.width ?? 0]));
  const oneLoop = (tags: readonly number[]) =>
    loops(usedOnce(tags.flatMap((t) => faces.get(t)?.curves ?? [])), points) === 1;
  const tangent = new Map<number, number[]>();
  for (const {
    faces: [a, b],
    angle,
  } of model.faceAngles)
    if (Math.abs(angle - 180) <= TANGENT_DEG && faces.has(a) && faces.has(b)) {
      tangent.set(a, [...(tangent.get(a) ?? []), b]);
      tangent.set(b, [...(tangent.get(b) ?? []), a]);
    }
  const narrow = model.faces
    .map((f) => f.tag)
    .filter((t) => width.get(t)! > 0 && width.get(t)! < NARROW * h)
    .sort((a, b) => width.get(a)! - width.get(b)! || a - b);
  const group = new Map<number, number>(model.faces.map((f) => [f.tag, f.tag]));
  const root = (t: number): number => {
    let r = t;
    while (group.get(r) !== r) r = group.get(r)!;
    return r;
  };
  const members = (r: number) => model.faces.map((f) => f.tag).filter((t) => root(t) === r);
  // each face's neighbours across a curve, with the length of the longest curve they share
  const onCurve = new Map<number, number[]>();
  for (const f of model.faces)
    for (const c of new Set(f.curves.map(Math.abs))) onCurve.set(c, [...(onCurve.get(c) ?? []), f.tag]);
  const shared = (t: number) => {
    const out = new Map<number, number>();
    for (const c of new Set(faces.get(t)!.curves.map(Math.abs)))
      for (const o of onCurve.get(c) ?? []) if (o !== t) out.set(o, Math.max(out.get(o) ?? 0, length.get(c) ?? 0));
    return out;
  };
  for (const t of narrow) {
    let partner = (tangent.get(t) ?? [])
      .map((o) => ({ o, single: oneLoop([o]), area: faces.get(o)!.area }))
      .sort((x, y) => Number(y.single) - Number(x.single) || x.area - y.area || x.o - y.o)[0];
    // a sliver (no tangent neighbour): the neighbour along its longest curve
    if (!partner && opts.slivers)
      partner = [...shared(t)]
        .map(([o, len]) => ({ o, single: oneLoop([o]), area: -len }))
        .sort((x, y) => Number(y.single) - Number(x.single) || x.area - y.area || x.o - y.o)[0];
    if (!partner) continue;
    const [a, b] = [root(t), root(partner.o)];
    if (a === b || !oneLoop([...members(a), ...members(b)])) continue;
    group.set(a, b);
  }
  const out = new Map<number, number[]>();
  for (const f of model.faces) out.set(root(f.tag), [...(out.get(root(f.tag)) ?? []), f.tag]);
  return [...out.values()]
    .filter((g) => g.length > 1)
    .map((g) => g.sort((a, b) => a - b))
    .sort((a, b) => a[0] - b[0]);
}
