// Boundary skin of a volume mesh: the faces used by exactly one element, oriented outward (for positively oriented
// elements). Faces are bucketed by their smallest node with a counting sort, then matched inside each (small) bucket.
// Unlike a hash table over all faces, the scattered accesses land in arrays a few MB large, so this is about twice as
// fast. Typed arrays only, no per-face objects. Boundary layers add prisms and pyramids: their triangles join the
// tets' in the same pass, their quadrangles are matched apart and come out as two triangles each.

/** Faces of tet (n0 n1 n2 n3), each listed so that its normal points away from the opposite node. */
const FACE = [
  [1, 2, 3],
  [0, 3, 2],
  [0, 1, 3],
  [0, 2, 1],
] as const;

/** Prism (Gmsh order) triangles and quadrangles, outward: bottom 0 2 1, top 3 4 5; sides. */
const PRISM_TRIS = [
  [0, 2, 1],
  [3, 4, 5],
] as const;
const PRISM_QUADS = [
  [0, 1, 4, 3],
  [1, 2, 5, 4],
  [2, 0, 3, 5],
] as const;
/** Pyramid (base 0 1 2 3, apex 4) sides and base, outward. */
const PYRAMID_TRIS = [
  [0, 1, 4],
  [1, 2, 4],
  [2, 3, 4],
  [3, 0, 4],
] as const;
const PYRAMID_QUAD = [0, 3, 2, 1] as const;

/**
 * The skin; `tetOf` is the element owning each triangle, numbered tets first, then prisms, then pyramids (what the
 * viewer's per-element arrays follow).
 */
export function extractSkin(
  tets: Uint32Array,
  cells: { prisms: Uint32Array; pyramids: Uint32Array } = { prisms: new Uint32Array(0), pyramids: new Uint32Array(0) },
): { tris: Uint32Array; tetOf: Uint32Array } {
  if (cells.prisms.length || cells.pyramids.length) return mixedSkin(tets, cells.prisms, cells.pyramids);
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

/**
 * The skin of tets, prisms and pyramids: every triangular face (tets', prism caps, pyramid sides) and every
 * quadrangular one (prism sides, pyramid bases) keyed by its sorted nodes; unpaired faces are the skin.
 */
function mixedSkin(
  tets: Uint32Array,
  prisms: Uint32Array,
  pyramids: Uint32Array,
): { tris: Uint32Array; tetOf: Uint32Array } {
  const nT = tets.length / 4,
    nP = prisms.length / 6,
    nY = pyramids.length / 5;
  const nF = 4 * nT + 5 * nP + 5 * nY;
  const NONE = 0xffffffff;
  // each face: up to 4 nodes in outward order (the 4th NONE for a triangle) and its element
  const F = new Uint32Array(4 * nF).fill(NONE);
  const elem = new Uint32Array(nF);
  let f = 0;
  const add = (conn: Uint32Array, per: number, e: number, id: number, local: readonly (readonly number[])[]) => {
    for (const l of local) {
      for (let k = 0; k < l.length; k++) F[4 * f + k] = conn[e * per + l[k]];
      elem[f++] = id;
    }
  };
  for (let t = 0; t < nT; t++) add(tets, 4, t, t, FACE);
  const prismFaces = [...PRISM_TRIS, ...PRISM_QUADS];
  for (let p = 0; p < nP; p++) add(prisms, 6, p, nT + p, prismFaces);
  const pyramidFaces = [...PYRAMID_TRIS, PYRAMID_QUAD];
  for (let y = 0; y < nY; y++) add(pyramids, 5, y, nT + nP + y, pyramidFaces);
  // key: the smallest node (the bucket), then the others sorted (NONE last, so a triangle never meets a quadrangle)
  let maxNode = 0;
  for (let i = 0; i < F.length; i++) if (F[i] !== NONE && F[i] > maxNode) maxNode = F[i];
  const N = maxNode + 1;
  const start = new Int32Array(N + 1);
  const sorted = new Uint32Array(4);
  const keyOf = (i: number) => {
    for (let k = 0; k < 4; k++) sorted[k] = F[4 * i + k];
    sorted.sort();
    return sorted;
  };
  for (let i = 0; i < nF; i++) start[keyOf(i)[0] + 1]++;
  for (let v = 0; v < N; v++) start[v + 1] += start[v];
  const next = start.slice(0, N);
  const kb = new Uint32Array(nF),
    kc = new Uint32Array(nF),
    kd = new Uint32Array(nF);
  const owner = new Int32Array(nF);
  for (let i = 0; i < nF; i++) {
    const k = keyOf(i);
    const p = next[k[0]]++;
    kb[p] = k[1];
    kc[p] = k[2];
    kd[p] = k[3];
    owner[p] = i;
  }
  // pair equal faces inside each bucket; the unpaired ones are the skin
  for (let a = 0; a < N; a++)
    for (let i = start[a]; i < start[a + 1]; i++) {
      if (owner[i] < 0) continue;
      let j = i + 1;
      while (j < start[a + 1] && !(owner[j] >= 0 && kb[j] === kb[i] && kc[j] === kc[i] && kd[j] === kd[i])) j++;
      if (j < start[a + 1]) {
        owner[i] = -1;
        owner[j] = -1;
      }
    }
  const left: number[] = [];
  for (let i = 0; i < nF; i++) if (owner[i] >= 0) left.push(owner[i]);
  left.sort((x, y) => x - y); // element order, like the tet skin
  let nTris = 0;
  for (const i of left) nTris += F[4 * i + 3] === NONE ? 1 : 2;
  const tris = new Uint32Array(3 * nTris);
  const tetOf = new Uint32Array(nTris);
  let o = 0;
  for (const i of left) {
    const [a, b, c, d] = [F[4 * i], F[4 * i + 1], F[4 * i + 2], F[4 * i + 3]];
    tris.set([a, b, c], 3 * o);
    tetOf[o++] = elem[i];
    if (d !== NONE) {
      tris.set([a, c, d], 3 * o);
      tetOf[o++] = elem[i];
    }
  }
  return { tris, tetOf };
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
