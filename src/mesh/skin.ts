// Boundary skin of a tet mesh: the faces used by exactly one tet, oriented outward (for positively oriented tets).
// Faces are bucketed by their smallest node with a counting sort, then matched inside each (small) bucket. Unlike a
// hash table over all faces, the scattered accesses land in arrays a few MB large, so this is about twice as fast.
// Typed arrays only, no per-face objects.

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
  if (nFaces >= 0x7fffffff) throw new RangeError('too many tetrahedra for the skin extraction');
  let maxNode = -1;
  for (let i = 0; i < 4 * nTets; i++) if (tets[i] > maxNode) maxNode = tets[i];
  const N = maxNode + 1;

  // 1. bucket sizes: faces per smallest node
  const start = new Int32Array(N + 1);
  for (let t = 0; t < nTets; t++) {
    const b = 4 * t;
    const v0 = tets[b],
      v1 = tets[b + 1],
      v2 = tets[b + 2],
      v3 = tets[b + 3];
    const m01 = v0 < v1 ? v0 : v1;
    const m23 = v2 < v3 ? v2 : v3;
    start[(v1 < m23 ? v1 : m23) + 1]++; // face 0: 1 2 3
    start[(v0 < m23 ? v0 : m23) + 1]++; // face 1: 0 3 2
    start[(m01 < v3 ? m01 : v3) + 1]++; // face 2: 0 1 3
    start[(m01 < v2 ? m01 : v2) + 1]++; // face 3: 0 2 1
  }
  for (let i = 0; i < N; i++) start[i + 1] += start[i];

  // 2. place each face's other two nodes (sorted) and its id (4 * tet + face) in its bucket
  const next = start.slice(0, N);
  const kb = new Uint32Array(nFaces);
  const kc = new Uint32Array(nFaces);
  const owner = new Int32Array(nFaces);
  for (let t = 0; t < nTets; t++) {
    const b = 4 * t;
    const v0 = tets[b],
      v1 = tets[b + 1],
      v2 = tets[b + 2],
      v3 = tets[b + 3];
    place(v1, v2, v3, b, next, kb, kc, owner);
    place(v0, v3, v2, b + 1, next, kb, kc, owner);
    place(v0, v1, v3, b + 2, next, kb, kc, owner);
    place(v0, v2, v1, b + 3, next, kb, kc, owner);
  }

  // 3. inside each bucket, pair up equal faces (interior); the unpaired ones are the skin. A face used three times
  //    (non-manifold input) leaves one copy unpaired, like a parity count.
  let boundary = 0;
  for (let a = 0; a < N; a++) boundary += matchBucket(start[a], start[a + 1], kb, kc, owner);

  const tris = new Uint32Array(3 * boundary);
  const tetOf = new Uint32Array(boundary);
  let k = 0;
  for (let i = 0; i < nFaces; i++) {
    const o = owner[i];
    if (o < 0) continue;
    const t = o >>> 2;
    const F = FACE[o & 3];
    tris[3 * k] = tets[4 * t + F[0]];
    tris[3 * k + 1] = tets[4 * t + F[1]];
    tris[3 * k + 2] = tets[4 * t + F[2]];
    tetOf[k++] = t;
  }
  return { tris, tetOf };
}

function place(
  a: number,
  b: number,
  c: number,
  id: number,
  next: Int32Array,
  kb: Uint32Array,
  kc: Uint32Array,
  owner: Int32Array,
): void {
  let s: number;
  if (a > b) {
    s = a;
    a = b;
    b = s;
  }
  if (b > c) {
    s = b;
    b = c;
    c = s;
  }
  if (a > b) {
    s = a;
    a = b;
    b = s;
  }
  const p = next[a]++;
  kb[p] = b;
  kc[p] = c;
  owner[p] = id;
}

/** Marks paired faces of bucket [from, to) with owner -1; returns how many stay unpaired. */
function matchBucket(from: number, to: number, kb: Uint32Array, kc: Uint32Array, owner: Int32Array): number {
  let unpaired = 0;
  for (let i = from; i < to; i++) {
    if (owner[i] < 0) continue;
    const b = kb[i];
    const c = kc[i];
    let j = i + 1;
    while (j < to && !(kb[j] === b && kc[j] === c && owner[j] >= 0)) j++;
    if (j < to) {
      owner[i] = -1;
      owner[j] = -1;
    } else unpaired++;
  }
  return unpaired;
}
