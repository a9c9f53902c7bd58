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
  // One interleaved slot per face: a, b, c (sorted key), owner = face id + 1 (0 empty, INTERIOR seen twice).
  // A probe touches one cache line instead of four separate arrays.
  const table = new Int32Array(4 * cap);
  if (nFaces >= 0x7ffffff0) throw new RangeError('too many tetrahedra for the skin table');
  let boundary = 0;

  for (let t = 0; t < nTets; t++) {
    const base = 4 * t;
    const v0 = tets[base], v1 = tets[base + 1], v2 = tets[base + 2], v3 = tets[base + 3];
    boundary += insert(table, mask, v1, v2, v3, base + 1);
    boundary += insert(table, mask, v0, v3, v2, base + 2);
    boundary += insert(table, mask, v0, v1, v3, base + 3);
    boundary += insert(table, mask, v0, v2, v1, base + 4);
  }

  const tris = new Uint32Array(3 * boundary);
  const tetOf = new Uint32Array(boundary);
  let k = 0;
  for (let h = 0; h < cap && k < boundary; h++) {
    const o = table[4 * h + 3];
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

const INTERIOR = -1;

/** Adds one face; returns +1 when it became a boundary face, -1 when it became interior. */
function insert(table: Int32Array, mask: number, a: number, b: number, c: number, owner: number): number {
  let s: number;
  if (a > b) { s = a; a = b; b = s; }
  if (b > c) { s = b; b = c; c = s; }
  if (a > b) { s = a; a = b; b = s; }
  let h = Math.imul(a, -1640531535) ^ Math.imul(b, -2048144777) ^ Math.imul(c, -1028477379);
  h = (h ^ (h >>> 15)) & mask;
  for (;;) {
    const i = 4 * h;
    const o = table[i + 3];
    if (o === 0) {
      table[i] = a;
      table[i + 1] = b;
      table[i + 2] = c;
      table[i + 3] = owner;
      return 1;
    }
    if (table[i] === a && table[i + 1] === b && table[i + 2] === c) {
      // A second use makes the face interior; a third (non-manifold input) makes it boundary again, like a parity.
      if (o !== INTERIOR) {
        table[i + 3] = INTERIOR;
        return -1;
      }
      table[i + 3] = owner;
      return 1;
    }
    h = (h + 1) & mask;
  }
}
