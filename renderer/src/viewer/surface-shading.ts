// What makes a triangulated CAD surface look like CAD: normals averaged over the triangles of one CAD face (and across
// faces that meet tangentially), so cylinders and fillets shade smoothly while real edges stay crisp; and the feature
// edges, where two CAD faces meet or the surface folds sharply, drawn as lines instead of every triangle's edges.
// Both work on node indices (not on rounded coordinates), so they hold for a part of any size or unit.

/** Unit normal of each triangle, and twice its area (the weight of its normal). */
export function faceNormals(pos: ArrayLike<number>, tri: ArrayLike<number>): { n: Float32Array; w: Float32Array } {
  const count = tri.length / 3;
  const n = new Float32Array(count * 3);
  const w = new Float32Array(count);
  for (let t = 0; t < count; t++) {
    const a = tri[t * 3] * 3,
      b = tri[t * 3 + 1] * 3,
      c = tri[t * 3 + 2] * 3;
    const ux = pos[b] - pos[a],
      uy = pos[b + 1] - pos[a + 1],
      uz = pos[b + 2] - pos[a + 2];
    const vx = pos[c] - pos[a],
      vy = pos[c + 1] - pos[a + 1],
      vz = pos[c + 2] - pos[a + 2];
    const x = uy * vz - uz * vy,
      y = uz * vx - ux * vz,
      z = ux * vy - uy * vx;
    const len = Math.hypot(x, y, z);
    w[t] = len;
    if (len > 0) {
      n[t * 3] = x / len;
      n[t * 3 + 1] = y / len;
      n[t * 3 + 2] = z / len;
    }
  }
  return { n, w };
}

/** Triangles around each node, as compressed rows (start offsets into a flat list). */
function incidence(tri: ArrayLike<number>, nodes: number): { start: Int32Array; list: Int32Array } {
  const start = new Int32Array(nodes + 1);
  for (let i = 0; i < tri.length; i++) start[tri[i] + 1]++;
  for (let i = 0; i < nodes; i++) start[i + 1] += start[i];
  const fill = start.slice(0, nodes);
  const list = new Int32Array(tri.length);
  for (let i = 0; i < tri.length; i++) list[fill[tri[i]]++] = (i / 3) | 0;
  return { start, list };
}

export interface ShadingOptions {
  /** CAD face of each triangle; absent (STL), the crease angle alone decides. */
  tags?: ArrayLike<number> | null;
  /** Faces meeting within this angle shade as one smooth surface (tangent faces); a wider angle is an edge. */
  creaseDeg?: number;
}

/**
 * A normal per triangle corner (9 floats per triangle, the layout of an unindexed geometry): the area-weighted mean
 * of the normals of the triangles around that node which belong to the same CAD face, or meet this one within the
 * crease angle.
 */
export function cornerNormals(pos: ArrayLike<number>, tri: ArrayLike<number>, o: ShadingOptions = {}): Float32Array {
  const count = tri.length / 3;
  const { n, w } = faceNormals(pos, tri);
  const { start, list } = incidence(tri, pos.length / 3);
  const cos = Math.cos(((o.creaseDeg ?? 20) * Math.PI) / 180);
  const tags = o.tags ?? null;
  const out = new Float32Array(count * 9);
  for (let t = 0; t < count; t++) {
    for (let k = 0; k < 3; k++) {
      const node = tri[t * 3 + k];
      let x = 0,
        y = 0,
        z = 0;
      for (let i = start[node]; i < start[node + 1]; i++) {
        const u = list[i];
        const dot = n[t * 3] * n[u * 3] + n[t * 3 + 1] * n[u * 3 + 1] + n[t * 3 + 2] * n[u * 3 + 2];
        // One CAD face is smooth by construction (short of folding back on itself); across faces, only a tangent one.
        if (u !== t && !((tags && tags[u] === tags[t] && dot > 0) || dot >= cos)) continue;
        x += n[u * 3] * w[u];
        y += n[u * 3 + 1] * w[u];
        z += n[u * 3 + 2] * w[u];
      }
      const len = Math.hypot(x, y, z) || 1;
      out[t * 9 + k * 3] = x / len;
      out[t * 9 + k * 3 + 1] = y / len;
      out[t * 9 + k * 3 + 2] = z / len;
    }
  }
  return out;
}

/**
 * The feature edges of a triangulated surface, as line-segment positions: where two CAD faces meet (the CAD's own
 * curves), where the surface folds by more than the crease angle, and free boundaries (an open shell's rim).
 */
export function featureEdges(pos: ArrayLike<number>, tri: ArrayLike<number>, o: ShadingOptions = {}): Float32Array {
  const count = tri.length / 3;
  const { n } = faceNormals(pos, tri);
  const cos = Math.cos(((o.creaseDeg ?? 30) * Math.PI) / 180);
  const tags = o.tags ?? null;
  let cap = 16;
  while (cap < count * 6) cap *= 2;
  const mask = cap - 1;
  const ka = new Int32Array(cap).fill(-1);
  const kb = new Int32Array(cap);
  const first = new Int32Array(cap); // the first triangle seen on the edge
  const seen = new Uint8Array(cap); // 1: one triangle so far, 2: decided
  const out: number[] = [];
  const push = (a: number, b: number) =>
    out.push(pos[a * 3], pos[a * 3 + 1], pos[a * 3 + 2], pos[b * 3], pos[b * 3 + 1], pos[b * 3 + 2]);
  for (let t = 0; t < count; t++) {
    for (let k = 0; k < 3; k++) {
      let a = tri[t * 3 + k];
      let b = tri[t * 3 + ((k + 1) % 3)];
      if (a > b) [a, b] = [b, a];
      let h = (Math.imul(a, -1640531535) ^ Math.imul(b, -2048144777)) & mask;
      while (ka[h] !== -1 && !(ka[h] === a && kb[h] === b)) h = (h + 1) & mask;
      if (ka[h] === -1) {
        ka[h] = a;
        kb[h] = b;
        first[h] = t;
        seen[h] = 1;
        continue;
      }
      if (seen[h] !== 1) continue;
      seen[h] = 2;
      const u = first[h];
      const dot = n[t * 3] * n[u * 3] + n[t * 3 + 1] * n[u * 3 + 1] + n[t * 3 + 2] * n[u * 3 + 2];
      if ((tags && tags[t] !== tags[u]) || dot < cos) push(a, b);
    }
  }
  for (let h = 0; h < cap; h++) if (seen[h] === 1) push(ka[h], kb[h]);
  return Float32Array.from(out);
}
