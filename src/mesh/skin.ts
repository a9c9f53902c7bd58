// Boundary skin of a tet mesh: the faces used by exactly one tet, oriented outward (for positively oriented tets).
// Open-addressing hash table keyed by the sorted node triple, all in typed arrays (no per-face objects).

/** Faces of tet (n0 n1 n2 n3), each listed so that its normal points away from the opposite node. */
const FACE = [
  [1, 2, 3],
  [0, 3, 2],
  [0, 1, 3],
  [0, 2, 1],
] as const;

export function extractSkin(tets: Uint32Array): { tris: Uint32Array; tetOf: Uint32Array } {
  const nTets = (tets.length / 4) | 0;
  const nFaces = 4 * nTets;
  // Unique faces are about 2 per tet; size the table to keep the load factor at or under ~0.5.
  let cap = 16;
  while (cap < 2 * (2 * nTets + 8)) cap *= 2;
  const mask = cap - 1;
  const ka = new Uint32Array(cap);
  const kb = new Uint32Array(cap);
  const kc = new Uint32Array(cap);
  // owner face id + 1 (0 = empty slot); -1 marks a face seen twice (interior)
  const owner = new Int32Array(cap);
  if (nFaces >= 0x7fffffff) throw new RangeError('too many tetrahedra for the skin table');
  let boundary = 0;

  for (let t = 0; t < nTets; t++) {
    const base = 4 * t;
    for (let f = 0; f < 4; f++) {
      const F = FACE[f];
      let a = tets[base + F[0]];
      let b = tets[base + F[1]];
      let c = tets[base + F[2]];
      // sort the key a <= b <= c
      let s: number;
      if (a > b) { s = a; a = b; b = s; }
      if (b > c) { s = b; b = c; c = s; }
      if (a > b) { s = a; a = b; b = s; }
      let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d)) >>> 0;
      h = (h ^ (h >>> 15)) & mask;
      for (;;) {
        const o = owner[h];
        if (o === 0) {
          ka[h] = a;
          kb[h] = b;
          kc[h] = c;
          owner[h] = base + f + 1;
          boundary++;
          break;
        }
        if (ka[h] === a && kb[h] === b && kc[h] === c) {
          // Second use: interior face. A third use (non-manifold input) makes it boundary again, like a parity count.
          if (o > 0) {
            owner[h] = -1;
            boundary--;
          } else {
            owner[h] = base + f + 1;
            boundary++;
          }
          break;
        }
        h = (h + 1) & mask;
      }
    }
  }

  const tris = new Uint32Array(3 * boundary);
  const tetOf = new Uint32Array(boundary);
  let k = 0;
  for (let h = 0; h < cap && k < boundary; h++) {
    const o = owner[h];
    if (o <= 0) continue;
    const id = o - 1;
    const t = id >>> 2;
    const F = FACE[id & 3];
    tris[3 * k] = tets[4 * t + F[0]];
    tris[3 * k + 1] = tets[4 * t + F[1]];
    tris[3 * k + 2] = tets[4 * t + F[2]];
    tetOf[k] = t;
    k++;
  }
  return { tris, tetOf };
}
