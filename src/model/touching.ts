// Which bodies touch. After fragmenting (the attempts' and the model read's BooleanFragments), two bodies that touch
// share the faces between them: each such face bounds both. Computed here from the one list of each body's faces, in
// one pass over the faces, instead of comparing every pair of bodies inside each Gmsh run.

interface BodyBoundary {
  tag: number;
  /** Face tags (a sign, when present, is the face's orientation in the body's shell). */
  faces: readonly number[];
}

/** Faces shared by each pair of bodies a < b that share any, ordered by (a, b); faces in a's order. */
export function sharedFaces(bodies: readonly BodyBoundary[]): { a: number; b: number; faces: number[] }[] {
  const owners = new Map<number, number[]>();
  for (const b of bodies)
    for (const f of b.faces) {
      const o = owners.get(Math.abs(f));
      if (o) o.push(b.tag);
      else owners.set(Math.abs(f), [b.tag]);
    }
  const pairs = new Map<string, { a: number; b: number; faces: number[] }>();
  for (const body of bodies)
    for (const f of body.faces)
      for (const other of owners.get(Math.abs(f))!) {
        if (other <= body.tag) continue;
        const key = `${body.tag}:${other}`;
        const p = pairs.get(key);
        if (p) p.faces.push(Math.abs(f));
        else pairs.set(key, { a: body.tag, b: other, faces: [Math.abs(f)] });
      }
  return [...pairs.values()].sort((x, y) => x.a - y.a || x.b - y.b);
}

/** Each body with its faces and the bodies it shares a face with (the preview's part panel). */
export function bodiesWithNeighbours(
  bodies: readonly BodyBoundary[],
): { tag: number; faces: number[]; touches: number[] }[] {
  const touches = new Map<number, Set<number>>(bodies.map((b) => [b.tag, new Set()]));
  for (const p of sharedFaces(bodies)) {
    touches.get(p.a)!.add(p.b);
    touches.get(p.b)!.add(p.a);
  }
  return [...bodies]
    .sort((x, y) => x.tag - y.tag)
    .map((b) => ({
      tag: b.tag,
      faces: b.faces.map(Math.abs),
      touches: [...touches.get(b.tag)!].sort((x, y) => x - y),
    }));
}
