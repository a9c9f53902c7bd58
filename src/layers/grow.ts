// Prism boundary layers grown into a finished tetrahedral mesh ("push and insert", docs/architecture.md):
//  1. growth direction per wall node (the nodes of the layered faces, per body): the angle-weighted inward normal,
//     lengthened by 1/cos so each layer keeps its thickness perpendicular to every face around the node; a node that
//     also lies on a face without layers slides within that face (or along the curve leaving it there);
//  2. push: the tetrahedra let go of the wall nodes and take new nodes at the layers' far side; two rings of interior
//     nodes follow by a decaying share;
//  3. check every element that moved: tetrahedra keep SICN >= min(target, what they had), layer elements keep a
//     positive Jacobian at every corner (a neighbouring face's triangle cannot flip without inverting its tet); where one fails, the
//     thickness of its wall nodes shrinks (x0.8, neighbours tapered) and the check repeats; a node whose thickness
//     falls below 5 % of the request stops (its layers collapse to pyramids or tetrahedra);
//  4. insert the layers: prisms between consecutive layers, pyramids and tetrahedra where a node stopped, and
//     quadrangles (or triangles) on the neighbouring faces where the layers meet them.
// Deterministic: typed arrays walked in index order, no hashing of floats, no randomness.
import type { MshMesh } from '../mesh/msh-reader';
import { prismSicn, pyramidSicn } from '../quality/prism-pyramid';

/** The layers asked for on a set of faces, in the mesh's units. */
export interface LayerProfile {
  count: number;
  /** Cumulative distance of each layer's far side from the wall (first, first + first·growth, ...). */
  dists: number[];
}

export type StopReason = 'sharp' | 'corner' | 'concave' | 'smooth' | 'interface' | 'tets' | 'fold' | 'taper';

export interface GrowOptions {
  profiles: LayerProfile[];
  /** Profile index of each layered face (CAD surface tag). */
  faceProfile: ReadonlyMap<number, number>;
  /** The job's SICN target: a tet at or above it before the push stays at or above it. */
  minSicn: number;
}

/** A wall node of one body after growth: how thick its layers became and why not thicker. */
export interface WallNode {
  node: number;
  body: number;
  profile: number;
  /** Share of the requested thickness reached, 0 (stopped) .. 1. */
  factor: number;
  /** Perpendicular height of the first layer and of the whole stack (the least over the node's layered faces). */
  first: number;
  total: number;
  /** Why the thickness is below the request (null when it is not). */
  reason: StopReason | null;
  /** Degrees between the growth direction and a face normal, for `sharp`. */
  angle?: number;
  /** Layered faces around the node. */
  faces: number[];
  /** Nodes below the full thickness that touch each other form one spot (an id shared by them), else null. */
  spot: number | null;
  x: number;
  y: number;
  z: number;
}

/** Elements of one Gmsh type on one entity, in writing order. */
export interface ElementBlock {
  dim: 0 | 1 | 2 | 3;
  entity: number;
  /** Gmsh element type: 15 point, 1 line, 2 triangle, 3 quadrangle, 4 tetrahedron, 6 prism, 7 pyramid. */
  type: number;
  nodes: Uint32Array;
}

export interface GrownMesh {
  nodes: Float64Array;
  /** Entity (dim, tag) of each node past the original ones. */
  newNodeDim: Uint8Array;
  newNodeTag: Int32Array;
  /** The original elements (re-pointed where they met the wall). */
  blocks: ElementBlock[];
  /** The layers' elements: band lines, quadrangles and triangles on the neighbouring faces, prisms, pyramids, tets. */
  layerBlocks: ElementBlock[];
  wall: WallNode[];
  /** Check-and-shrink rounds taken. */
  rounds: number;
}

const SCALE_CAP = 2;
/** cos of the largest angle between the growth direction and a layered face's normal (75.5°). */
const MIN_COS = 0.25;
/** A node's thickness share exceeds its smallest wall neighbour's by at most this (stops taper over ~4 elements). */
const RAMP = 0.25;
const SHRINK = 0.8;
/** Below this share of the request a node stops. */
const FMIN = 0.05;
const MAX_ROUNDS = 80;
/** A growth direction within this (sin, 10°) of a neighbouring face's normal has no way along that face. */
const SMOOTH_SIN = Math.sin((10 * Math.PI) / 180);
/** Two neighbouring faces whose normals are closer than this (cos) are one plane for sliding. */
const SAME_PLANE_COS = Math.cos((10 * Math.PI) / 180);

/** Growable typed storage. */
class Buf {
  a: Float64Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Float64Array(cap);
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(2 * this.a.length);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  u32(): Uint32Array {
    return Uint32Array.from(this.a.subarray(0, this.n));
  }
}

/** CSR: for each of `n` keys, the values pushed for it, in push order. */
function csr(n: number, count: (emit: (key: number, value: number) => void) => void) {
  const start = new Int32Array(n + 1);
  count((k) => start[k + 1]++);
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const list = new Int32Array(start[n]);
  count((k, v) => (list[fill[k]++] = v));
  return { start, list };
}

const cross = (ax: number, ay: number, az: number, bx: number, by: number, bz: number): [number, number, number] => [
  ay * bz - az * by,
  az * bx - ax * bz,
  ax * by - ay * bx,
];

/** det[b − a, c − a, d − a] over coordinates in X (index*3). */
function det4(X: Float64Array, a: number, b: number, c: number, d: number): number {
  const ax = X[3 * a],
    ay = X[3 * a + 1],
    az = X[3 * a + 2];
  const ux = X[3 * b] - ax,
    uy = X[3 * b + 1] - ay,
    uz = X[3 * b + 2] - az;
  const vx = X[3 * c] - ax,
    vy = X[3 * c + 1] - ay,
    vz = X[3 * c + 2] - az;
  const wx = X[3 * d] - ax,
    wy = X[3 * d + 1] - ay,
    wz = X[3 * d + 2] - az;
  return ux * (vy * wz - vz * wy) - uy * (vx * wz - vz * wx) + uz * (vx * wy - vy * wx);
}

/** SICN of a tet from 12 coordinates (the kernel's formula: sign(V)·12·(3|V|)^(2/3)/Σl²). */
function sicn(X: Float64Array): number {
  const e = (i: number, j: number, k: number) => X[3 * j + k] - X[3 * i + k];
  const d =
    e(0, 1, 0) * (e(0, 2, 1) * e(0, 3, 2) - e(0, 2, 2) * e(0, 3, 1)) -
    e(0, 1, 1) * (e(0, 2, 0) * e(0, 3, 2) - e(0, 2, 2) * e(0, 3, 0)) +
    e(0, 1, 2) * (e(0, 2, 0) * e(0, 3, 1) - e(0, 2, 1) * e(0, 3, 0));
  let l2 = 0;
  for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) for (let k = 0; k < 3; k++) l2 += e(i, j, k) * e(i, j, k);
  const c = Math.cbrt((3 * Math.abs(d)) / 6);
  const s = l2 > 0 ? (12 * c * c) / l2 : 0;
  return d > 0 ? s : d < 0 ? -s : 0;
}

/** Coordinates 6 (prism), 5 (pyramid) or 4 (tet) in X: positive Jacobian at every corner (the quality kernel's sign). */
function valid(X: Float64Array, n: number): boolean {
  if (n === 4) return det4(X, 0, 1, 2, 3) > 0;
  return (n === 6 ? prismSicn(X) : pyramidSicn(X)) > 0;
}

/**
 * The layer element between layers k−1 and k over a wall triangle whose bottom (inward-facing) corners are
 * b0 b1 b2 and top corners t0 t1 t2 (equal where a node stopped): Gmsh type and node list, positively oriented.
 */
function layerElement(b: number[], t: number[]): { type: 4 | 6 | 7; nodes: number[] } | null {
  const col = [b[0] === t[0], b[1] === t[1], b[2] === t[2]];
  const nc = (col[0] ? 1 : 0) + (col[1] ? 1 : 0) + (col[2] ? 1 : 0);
  if (nc === 0) return { type: 6, nodes: [b[0], b[1], b[2], t[0], t[1], t[2]] };
  if (nc === 3) return null;
  if (nc === 1) {
    const i = col.indexOf(true);
    const j = (i + 1) % 3,
      l = (i + 2) % 3;
    return { type: 7, nodes: [b[j], t[j], t[l], b[l], b[i]] };
  }
  const i = col.indexOf(false);
  return { type: 4, nodes: [b[i], b[(i + 1) % 3], b[(i + 2) % 3], t[i]] };
}

export function growLayers(mesh: MshMesh, opt: GrowOptions): GrownMesh {
  if (!mesh.all) throw new Error('growLayers needs the mesh read with { all: true }');
  if (mesh.tetOrder === 2 || mesh.triNodes !== 3) throw new Error('boundary layers need a linear mesh (--order 1)');
  const N = mesh.nodeCount;
  const P0 = mesh.nodes;
  const P = Float64Array.from(P0); // ring nodes move in here
  const tets = Uint32Array.from(mesh.tets);
  const tetEnt = mesh.tetEntities;
  const nT = tetEnt.length;
  const tris = Uint32Array.from(mesh.triangles);
  const triEnt = mesh.triangleEntities;
  const nTri = triEnt.length;
  const { lines: lines0, lineEntities, points, pointEntities } = mesh.all;
  const nL = lineEntities.length;
  const n = opt.profiles[0]?.count ?? 0;
  for (const p of opt.profiles) if (p.count !== n) throw new Error('every layer request needs the same count');

  // node -> tets
  const nodeTets = csr(N, (emit) => {
    for (let t = 0; t < nT; t++) for (let k = 0; k < 4; k++) emit(tets[4 * t + k], t);
  });
  // triangle -> the tets that have it as a face (one on the boundary, two inside: an interface or embedded face)
  const triTet = new Int32Array(2 * nTri).fill(-1);
  for (let i = 0; i < nTri; i++) {
    const a = tris[3 * i],
      b = tris[3 * i + 1],
      c = tris[3 * i + 2];
    let k = 0;
    for (let s = nodeTets.start[a]; s < nodeTets.start[a + 1] && k < 2; s++) {
      const t = nodeTets.list[s];
      let has = 0;
      for (let j = 0; j < 4; j++) {
        const v = tets[4 * t + j];
        if (v === b || v === c) has++;
      }
      if (has === 2) triTet[2 * i + k++] = t;
    }
  }
  // Nodes on any triangle, line or point stay where they are (only interior nodes follow the push).
  const onBoundary = new Uint8Array(N);
  for (const v of tris) onBoundary[v] = 1;
  for (const v of lines0) onBoundary[v] = 1;
  for (const v of points) onBoundary[v] = 1;

  const bodies = [...new Set(tetEnt)].sort((a, b) => a - b);
  const newXYZ = new Buf();
  const newDim = new Buf();
  const newTag = new Buf();
  let nextNode = N;
  const addNode = (x: number, y: number, z: number, dim: number, tag: number) => {
    newXYZ.push(x);
    newXYZ.push(y);
    newXYZ.push(z);
    newDim.push(dim);
    newTag.push(tag);
    return nextNode++;
  };
  // Output: layer elements per (type, body) and band elements per (type, face), in creation order.
  const layerOut = new Map<string, { dim: 0 | 1 | 2 | 3; entity: number; type: number; buf: Buf }>();
  const emitLayer = (dim: 0 | 1 | 2 | 3, type: number, entity: number, nodes: number[]) => {
    const key = `${type}:${entity}`;
    let o = layerOut.get(key);
    if (!o) layerOut.set(key, (o = { dim, entity, type, buf: new Buf() }));
    for (const v of nodes) o.buf.push(v);
  };
  // Lines are rebuilt: a line leaving a wall node along a curve follows the node, and the curve gains a segment per layer.
  const lineOut: number[][] = Array.from({ length: nL }, (_, i) => [lines0[2 * i], lines0[2 * i + 1]]);
  const wallReport: WallNode[] = [];
  let rounds = 0;
  let spots = 0;

  const wallOf = new Int32Array(N).fill(-1);
  const ringOf = new Int32Array(N).fill(-1);
  for (const body of bodies) {
    // ---- half-faces of this body: wall triangles (layered) and the others around them ("rim") ----
    const wt: number[] = []; // outward a b c
    const wtFace: number[] = [];
    const wtProf: number[] = [];
    const half: { tri: number; a: number; b: number; c: number; twoSided: boolean }[] = [];
    for (let i = 0; i < nTri; i++) {
      for (let s = 0; s < 2; s++) {
        const t = triTet[2 * i + s];
        if (t < 0 || tetEnt[t] !== body) continue;
        const a = tris[3 * i];
        let b = tris[3 * i + 1],
          c = tris[3 * i + 2];
        let opp = 0;
        for (let j = 0; j < 4; j++) {
          const v = tets[4 * t + j];
          if (v !== a && v !== b && v !== c) opp = v;
        }
        if (det4(P0, a, b, c, opp) > 0) [b, c] = [c, b]; // outward: the tet's fourth node behind the face
        const twoSided = triTet[2 * i + 1] >= 0;
        const prof = opt.faceProfile.get(triEnt[i]);
        // A layered face with this body on both sides (embedded) cannot push both ways: it blocks like an interface.
        const embedded = twoSided && tetEnt[triTet[2 * i]] === tetEnt[triTet[2 * i + 1]];
        if (prof !== undefined && !embedded) {
          wt.push(a, b, c);
          wtFace.push(triEnt[i]);
          wtProf.push(prof);
        } else half.push({ tri: i, a, b, c, twoSided });
      }
    }
    const nWT = wtFace.length;
    if (nWT === 0) continue;
    const wNode: number[] = [];
    for (const v of wt)
      if (wallOf[v] < 0) {
        wallOf[v] = wNode.length;
        wNode.push(v);
      }
    const nW = wNode.length;
    const wTris = csr(nW, (emit) => {
      for (let i = 0; i < nWT; i++) for (let k = 0; k < 3; k++) emit(wallOf[wt[3 * i + k]], i);
    });
    // wall edges (for lines on the wall, and the rim bands) and wall neighbours (for the taper)
    const edgeKey = (u: number, v: number) => (u < v ? u * N + v : v * N + u);
    const wallEdges = new Set<number>();
    for (let i = 0; i < nWT; i++)
      for (let k = 0; k < 3; k++) wallEdges.add(edgeKey(wt[3 * i + k], wt[3 * i + ((k + 1) % 3)]));
    const wNbr = csr(nW, (emit) => {
      for (let i = 0; i < nWT; i++)
        for (let k = 0; k < 3; k++) {
          const u = wallOf[wt[3 * i + k]],
            v = wallOf[wt[3 * i + ((k + 1) % 3)]];
          emit(u, v);
          emit(v, u);
        }
    });
    const rim = half.filter((h) => wallOf[h.a] >= 0 || wallOf[h.b] >= 0 || wallOf[h.c] >= 0);
    const wRims = csr(nW, (emit) => {
      rim.forEach((h, r) => {
        for (const v of [h.a, h.b, h.c]) if (wallOf[v] >= 0) emit(wallOf[v], r);
      });
    });
    // lines leaving a wall node off the wall (along a curve between faces without layers)
    // (the curve must bound this body's neighbouring faces: in an assembly another body's curves meet there too)
    const rimEdges = new Set<number>();
    for (const h of rim)
      for (const [u, v] of [
        [h.a, h.b],
        [h.b, h.c],
        [h.c, h.a],
      ])
        rimEdges.add(edgeKey(u, v));
    const offLines = csr(nW, (emit) => {
      for (let l = 0; l < nL; l++) {
        const u = lines0[2 * l],
          v = lines0[2 * l + 1];
        if (wallEdges.has(edgeKey(u, v)) || !rimEdges.has(edgeKey(u, v))) continue;
        if (wallOf[u] >= 0) emit(wallOf[u], l);
        if (wallOf[v] >= 0 && v !== u) emit(wallOf[v], l);
      }
    });

    // ---- 1. growth directions ----
    const triNormal = (a: number, b: number, c: number) => {
      const [x, y, z] = cross(
        P0[3 * b] - P0[3 * a],
        P0[3 * b + 1] - P0[3 * a + 1],
        P0[3 * b + 2] - P0[3 * a + 2],
        P0[3 * c] - P0[3 * a],
        P0[3 * c + 1] - P0[3 * a + 1],
        P0[3 * c + 2] - P0[3 * a + 2],
      );
      const l = Math.hypot(x, y, z) || 1;
      return [x / l, y / l, z / l];
    };
    const angleAt = (o: number, u: number, v: number) => {
      const ux = P0[3 * u] - P0[3 * o],
        uy = P0[3 * u + 1] - P0[3 * o + 1],
        uz = P0[3 * u + 2] - P0[3 * o + 2];
      const vx = P0[3 * v] - P0[3 * o],
        vy = P0[3 * v + 1] - P0[3 * o + 1],
        vz = P0[3 * v + 2] - P0[3 * o + 2];
      const c = (ux * vx + uy * vy + uz * vz) / (Math.hypot(ux, uy, uz) * Math.hypot(vx, vy, vz) || 1);
      return Math.acos(c > 1 ? 1 : c < -1 ? -1 : c);
    };
    /** Does direction d leave node v into one of its neighbouring-face triangles (within its corner at v)? */
    const rimAhead = (w: number, v: number, dx: number, dy: number, dz: number): boolean => {
      for (let s = wRims.start[w]; s < wRims.start[w + 1]; s++) {
        const h = rim[wRims.list[s]];
        const [a, b] = [h.a, h.b, h.c].filter((x) => x !== v);
        const ux = P0[3 * a] - P0[3 * v],
          uy = P0[3 * a + 1] - P0[3 * v + 1],
          uz = P0[3 * a + 2] - P0[3 * v + 2];
        const vx = P0[3 * b] - P0[3 * v],
          vy = P0[3 * b + 1] - P0[3 * v + 1],
          vz = P0[3 * b + 2] - P0[3 * v + 2];
        // d = α u + β v in the triangle's plane (least squares): inside the corner when α, β >= 0
        const uu = ux * ux + uy * uy + uz * uz,
          uv = ux * vx + uy * vy + uz * vz,
          vv = vx * vx + vy * vy + vz * vz;
        const du = dx * ux + dy * uy + dz * uz,
          dv = dx * vx + dy * vy + dz * vz;
        const den = uu * vv - uv * uv;
        if (!(den > 0)) continue;
        const al = (du * vv - dv * uv) / den,
          be = (dv * uu - du * uv) / den;
        const tol = -1e-3 / Math.sqrt(Math.max(uu, vv));
        if (al >= tol && be >= tol) return true;
      }
      return false;
    };
    /**
     * The direction closest to every layered face's normal around wall node w (the largest least cosine), from the
     * angle-weighted mean d: steps towards the face it is furthest from, halving the step when that does not help. The
     * 1/cos lengthening then keeps every face's first layer at the asked height, not some of them higher.
     */
    const mostNormal = (w: number, dx: number, dy: number, dz: number): [number, number, number] => {
      const least = (x: number, y: number, z: number): [number, number] => {
        let c = Infinity,
          at = -1;
        for (let s = wTris.start[w]; s < wTris.start[w + 1]; s++) {
          const i = wTris.list[s];
          const dot = x * wtN[3 * i] + y * wtN[3 * i + 1] + z * wtN[3 * i + 2];
          if (dot < c) [c, at] = [dot, i];
        }
        return [c, at];
      };
      let [best, i] = least(dx, dy, dz);
      let step = 0.5;
      for (let it = 0; it < 40 && step > 1e-4; it++) {
        const c = dx * wtN[3 * i] + dy * wtN[3 * i + 1] + dz * wtN[3 * i + 2];
        let x = dx + step * (wtN[3 * i] - c * dx),
          y = dy + step * (wtN[3 * i + 1] - c * dy),
          z = dz + step * (wtN[3 * i + 2] - c * dz);
        const l = Math.hypot(x, y, z);
        x /= l;
        y /= l;
        z /= l;
        const [c2, i2] = least(x, y, z);
        if (c2 > best) [dx, dy, dz, best, i] = [x, y, z, c2, i2];
        else step /= 2;
      }
      return [dx, dy, dz];
    };
    const wtN = new Float64Array(3 * nWT); // inward unit normals
    for (let i = 0; i < nWT; i++) {
      const nn = triNormal(wt[3 * i], wt[3 * i + 1], wt[3 * i + 2]);
      wtN[3 * i] = -nn[0];
      wtN[3 * i + 1] = -nn[1];
      wtN[3 * i + 2] = -nn[2];
    }
    const G = new Float64Array(3 * nW);
    const scale = new Float64Array(nW);
    const factor = new Float64Array(nW).fill(1);
    const total = new Float64Array(nW);
    const prof = new Int32Array(nW);
    const reason: (StopReason | null)[] = new Array(nW).fill(null);
    const angle = new Float64Array(nW);
    const slideDim = new Uint8Array(nW).fill(3);
    const slideTag = new Int32Array(nW).fill(body);
    for (let w = 0; w < nW; w++) {
      const v = wNode[w];
      let gx = 0,
        gy = 0,
        gz = 0;
      let best = -1;
      for (let s = wTris.start[w]; s < wTris.start[w + 1]; s++) {
        const i = wTris.list[s];
        const k = wt[3 * i] === v ? 0 : wt[3 * i + 1] === v ? 1 : 2;
        const ang = angleAt(v, wt[3 * i + ((k + 1) % 3)], wt[3 * i + ((k + 2) % 3)]);
        gx += ang * wtN[3 * i];
        gy += ang * wtN[3 * i + 1];
        gz += ang * wtN[3 * i + 2];
        const p = wtProf[i];
        const tp = opt.profiles[p].dists[n - 1];
        if (best < 0 || tp < opt.profiles[best].dists[n - 1] || (tp === opt.profiles[best].dists[n - 1] && p < best))
          best = p;
      }
      prof[w] = best;
      total[w] = opt.profiles[best].dists[n - 1];
      let l = Math.hypot(gx, gy, gz);
      if (!(l > 0)) {
        reason[w] = 'sharp';
        factor[w] = 0;
        continue;
      }
      let dx = gx / l,
        dy = gy / l,
        dz = gz / l;
      // faces without layers at this node: their normals (by face), blocking when meshed on both sides
      const faceN = new Map<number, [number, number, number]>();
      let blocked = false;
      for (let s = wRims.start[w]; s < wRims.start[w + 1]; s++) {
        const h = rim[wRims.list[s]];
        if (h.twoSided) blocked = true;
        const f = triEnt[h.tri];
        const nn = triNormal(h.a, h.b, h.c);
        const k = h.a === v ? h.a : h.b === v ? h.b : h.c;
        const others = [h.a, h.b, h.c].filter((x) => x !== k);
        const ang = angleAt(v, others[0], others[1]);
        const acc = faceN.get(f) ?? [0, 0, 0];
        faceN.set(f, [acc[0] + ang * nn[0], acc[1] + ang * nn[1], acc[2] + ang * nn[2]]);
      }
      const off = offLines.start[w + 1] - offLines.start[w];
      if (blocked) {
        reason[w] = 'interface';
        factor[w] = 0;
        continue;
      }
      // One face without layers: slide within it (a line inside it is its seam). Two or more: along the curve between
      // them, which leaves the node as a line.
      if (faceN.size >= 2 && off === 1) {
        // along the curve between two faces without layers: the line's direction
        const lIdx = offLines.list[offLines.start[w]];
        const o = lines0[2 * lIdx] === v ? lines0[2 * lIdx + 1] : lines0[2 * lIdx];
        dx = P0[3 * o] - P0[3 * v];
        dy = P0[3 * o + 1] - P0[3 * v + 1];
        dz = P0[3 * o + 2] - P0[3 * v + 2];
        slideDim[w] = 1;
        slideTag[w] = lineEntities[lIdx];
      } else if (faceN.size >= 2 && off > 1) {
        reason[w] = 'corner';
        factor[w] = 0;
        continue;
      } else if (faceN.size > 0) {
        const normals = [...faceN.values()].map(([x, y, z]) => {
          const m = Math.hypot(x, y, z) || 1;
          return [x / m, y / m, z / m];
        });
        // neighbouring faces that are (nearly) one plane slide together
        const planes: number[][] = [];
        for (const nn of normals)
          if (!planes.some((p) => p[0] * nn[0] + p[1] * nn[1] + p[2] * nn[2] > SAME_PLANE_COS)) planes.push(nn);
        if (planes.length === 1) {
          const [nx, ny, nz] = planes[0];
          const c = dx * nx + dy * ny + dz * nz;
          dx -= c * nx;
          dy -= c * ny;
          dz -= c * nz;
          if (faceN.size === 1) {
            slideDim[w] = 2;
            slideTag[w] = faceN.keys().next().value!;
          }
        } else if (planes.length === 2) {
          const [ex, ey, ez] = cross(
            planes[0][0],
            planes[0][1],
            planes[0][2],
            planes[1][0],
            planes[1][1],
            planes[1][2],
          );
          const c = dx * ex + dy * ey + dz * ez;
          dx = c * ex;
          dy = c * ey;
          dz = c * ez;
        } else {
          reason[w] = 'corner';
          factor[w] = 0;
          continue;
        }
      }
      l = Math.hypot(dx, dy, dz);
      if (faceN.size > 0 && slideDim[w] !== 1 && l < SMOOTH_SIN) {
        // the neighbouring face goes on where the layered one does (tangent): nowhere to slide, the layers end here
        reason[w] = 'smooth';
        factor[w] = 0;
        continue;
      }
      if (!(l > 1e-9)) {
        reason[w] = 'sharp';
        factor[w] = 0;
        continue;
      }
      dx /= l;
      dy /= l;
      dz /= l;
      // Sliding within a neighbouring face needs that face to go on in that direction: at a concave corner it does not
      // (the layers would push its triangles into the solid, leaving a crack).
      if (faceN.size > 0 && slideDim[w] !== 1 && !rimAhead(w, v, dx, dy, dz)) {
        reason[w] = 'concave';
        factor[w] = 0;
        continue;
      }
      if (faceN.size === 0) [dx, dy, dz] = mostNormal(w, dx, dy, dz);
      let c = Infinity;
      for (let s = wTris.start[w]; s < wTris.start[w + 1]; s++) {
        const i = wTris.list[s];
        const dot = dx * wtN[3 * i] + dy * wtN[3 * i + 1] + dz * wtN[3 * i + 2];
        if (dot < c) c = dot;
      }
      G[3 * w] = dx;
      G[3 * w + 1] = dy;
      G[3 * w + 2] = dz;
      if (c < MIN_COS) {
        reason[w] = 'sharp';
        angle[w] = (Math.acos(c > 1 ? 1 : c < -1 ? -1 : c) * 180) / Math.PI;
        factor[w] = 0;
        continue;
      }
      scale[w] = c > 1 / SCALE_CAP ? 1 / c : SCALE_CAP;
    }
    const taper = (passes: number) => {
      for (let p = 0; p < passes; p++)
        for (let w = 0; w < nW; w++) {
          let m = Infinity;
          for (let s = wNbr.start[w]; s < wNbr.start[w + 1]; s++) {
            const f = factor[wNbr.list[s]];
            if (f < m) m = f;
          }
          if (m + RAMP < factor[w]) {
            factor[w] = m + RAMP < FMIN ? 0 : m + RAMP;
            if (reason[w] === null) reason[w] = 'taper';
          }
        }
    };
    taper(6);

    // ---- rings of interior nodes that follow the push ----
    const ringNodes: number[] = [];
    const ringLevel: number[] = [];
    let frontier = wNode;
    for (let level = 0; level < 2; level++) {
      const next: number[] = [];
      for (const v of frontier)
        for (let s = nodeTets.start[v]; s < nodeTets.start[v + 1]; s++) {
          const t = nodeTets.list[s];
          if (tetEnt[t] !== body) continue;
          for (let j = 0; j < 4; j++) {
            const u = tets[4 * t + j];
            if (onBoundary[u] || wallOf[u] >= 0 || ringOf[u] >= 0) continue;
            ringOf[u] = ringNodes.length;
            ringNodes.push(u);
            ringLevel.push(level);
            next.push(u);
          }
        }
      frontier = next;
    }
    const nR = ringNodes.length;
    // each ring node's neighbours that move before it (wall nodes: w >= 0, earlier-ring nodes: -1 - r)
    const ringNbr = csr(nR, (emit) => {
      const stamp = new Map<number, number>();
      for (let r = 0; r < nR; r++) {
        const v = ringNodes[r];
        for (let s = nodeTets.start[v]; s < nodeTets.start[v + 1]; s++) {
          const t = nodeTets.list[s];
          if (tetEnt[t] !== body) continue;
          for (let j = 0; j < 4; j++) {
            const u = tets[4 * t + j];
            if (u === v || stamp.get(u) === r) continue;
            if (wallOf[u] >= 0) emit(r, wallOf[u]);
            else if (ringOf[u] >= 0 && ringLevel[ringOf[u]] < ringLevel[r]) emit(r, -1 - ringOf[u]);
            else continue;
            stamp.set(u, r);
          }
        }
      }
    });
    // the body's tets that move, with their SICN before
    const moved: number[] = [];
    for (let t = 0; t < nT; t++) {
      if (tetEnt[t] !== body) continue;
      for (let j = 0; j < 4; j++) {
        const v = tets[4 * t + j];
        if (wallOf[v] >= 0 || ringOf[v] >= 0) {
          moved.push(t);
          break;
        }
      }
    }
    const X12 = new Float64Array(12);
    const q0 = new Float64Array(moved.length);
    moved.forEach((t, i) => {
      for (let j = 0; j < 4; j++) for (let k = 0; k < 3; k++) X12[3 * j + k] = P0[3 * tets[4 * t + j] + k];
      q0[i] = sicn(X12);
    });

    // ---- 2./3. push, check, shrink ----
    const Uw = new Float64Array(3 * nW);
    const Ur = new Float64Array(3 * nR);
    const displace = () => {
      for (let w = 0; w < nW; w++) {
        const s = total[w] * scale[w] * factor[w];
        Uw[3 * w] = s * G[3 * w];
        Uw[3 * w + 1] = s * G[3 * w + 1];
        Uw[3 * w + 2] = s * G[3 * w + 2];
      }
      for (let r = 0; r < nR; r++) {
        let x = 0,
          y = 0,
          z = 0;
        const a = ringNbr.start[r],
          b = ringNbr.start[r + 1];
        for (let s = a; s < b; s++) {
          const q = ringNbr.list[s];
          const U = q >= 0 ? Uw : Ur;
          const i = q >= 0 ? q : -1 - q;
          x += U[3 * i];
          y += U[3 * i + 1];
          z += U[3 * i + 2];
        }
        const share = b > a ? 0.5 / (ringLevel[r] + 1) / (b - a) : 0;
        Ur[3 * r] = share * x;
        Ur[3 * r + 1] = share * y;
        Ur[3 * r + 2] = share * z;
      }
    };
    const at = (v: number, k: number): number => {
      const w = wallOf[v];
      if (w >= 0) return P0[3 * v + k] + Uw[3 * w + k];
      const r = ringOf[v];
      return r >= 0 ? P0[3 * v + k] + Ur[3 * r + k] : P0[3 * v + k];
    };
    /** Layer k's position of wall node w (0: the wall itself). */
    // share of the push at each layer's far side, per wall node
    const frac = new Float64Array(nW * (n + 1));
    for (let w = 0; w < nW; w++)
      for (let k = 1; k <= n; k++) frac[w * (n + 1) + k] = opt.profiles[prof[w]].dists[k - 1] / total[w];
    const layerAt = (w: number, k: number, c: number): number =>
      P0[3 * wNode[w] + c] + frac[w * (n + 1) + k] * Uw[3 * w + c];
    const X = new Float64Array(18);
    /** Slot j of X: wall node w at layer k (a stopped node stays at its wall position in every layer). */
    const put = (j: number, w: number, k: number) => {
      const kk = factor[w] > 0 ? k : 0;
      X[3 * j] = layerAt(w, kk, 0);
      X[3 * j + 1] = layerAt(w, kk, 1);
      X[3 * j + 2] = layerAt(w, kk, 2);
    };
    /** Is the layer-k element over the wall triangle with inward corners w0 w1 w2 valid (layerElement's shapes)? */
    const layerValid = (w: number[], k: number): boolean => {
      const g0 = factor[w[0]] > 0,
        g1 = factor[w[1]] > 0,
        g2 = factor[w[2]] > 0;
      const grown = (g0 ? 1 : 0) + (g1 ? 1 : 0) + (g2 ? 1 : 0);
      if (grown === 3) {
        for (let j = 0; j < 3; j++) {
          put(j, w[j], k - 1);
          put(j + 3, w[j], k);
        }
        return valid(X, 6);
      }
      if (grown === 2) {
        const i = !g0 ? 0 : !g1 ? 1 : 2;
        const a = w[(i + 1) % 3],
          b = w[(i + 2) % 3];
        put(0, a, k - 1);
        put(1, a, k);
        put(2, b, k);
        put(3, b, k - 1);
        put(4, w[i], 0);
        return valid(X, 5);
      }
      const i = g0 ? 0 : g1 ? 1 : 2;
      put(0, w[i], k - 1);
      put(1, w[(i + 1) % 3], 0);
      put(2, w[(i + 2) % 3], 0);
      put(3, w[i], k);
      return valid(X, 4);
    };
    const inward = Array.from({ length: nWT }, (_, i) => [
      wallOf[wt[3 * i]],
      wallOf[wt[3 * i + 2]],
      wallOf[wt[3 * i + 1]],
    ]);
    const bad = new Map<number, StopReason>();
    const blame = (w: number, why: StopReason) => {
      if (w >= 0 && factor[w] > 0 && !bad.has(w)) bad.set(w, why);
    };
    for (;;) {
      rounds++;
      displace();
      bad.clear();
      // tetrahedra
      for (let i = 0; i < moved.length; i++) {
        const t = moved[i];
        for (let j = 0; j < 4; j++) for (let k = 0; k < 3; k++) X12[3 * j + k] = at(tets[4 * t + j], k);
        const q = sicn(X12);
        if (q >= Math.min(opt.minSicn, q0[i])) continue;
        let blamed = false;
        for (let j = 0; j < 4; j++) {
          const w = wallOf[tets[4 * t + j]];
          if (w >= 0 && factor[w] > 0) {
            blame(w, 'tets');
            blamed = true;
          }
        }
        if (!blamed)
          // only ring nodes moved it: the wall nodes they follow shrink
          for (let j = 0; j < 4; j++) {
            const r = ringOf[tets[4 * t + j]];
            if (r < 0) continue;
            for (let s = ringNbr.start[r]; s < ringNbr.start[r + 1]; s++)
              if (ringNbr.list[s] >= 0) blame(ringNbr.list[s], 'tets');
          }
      }
      // layer elements
      for (let i = 0; i < nWT; i++) {
        const ws = inward[i]; // a c b
        if (factor[ws[0]] === 0 && factor[ws[1]] === 0 && factor[ws[2]] === 0) continue;
        for (let k = 1; k <= n; k++)
          if (!layerValid(ws, k)) {
            for (const w of ws) blame(w, 'fold');
            break;
          }
      }
      if (bad.size === 0) break;
      const last = rounds >= MAX_ROUNDS;
      for (const [w, why] of bad) {
        factor[w] = last || factor[w] * SHRINK < FMIN ? 0 : factor[w] * SHRINK;
        reason[w] = why;
      }
      taper(3);
    }
    displace();

    // ---- 4. insert: new nodes, re-pointed tets and neighbouring triangles, layer and band elements ----
    const ids = new Int32Array(nW * (n + 1));
    for (let w = 0; w < nW; w++) {
      const v = wNode[w];
      ids[w * (n + 1)] = v;
      for (let k = 1; k <= n; k++)
        ids[w * (n + 1) + k] =
          factor[w] > 0 ? addNode(layerAt(w, k, 0), layerAt(w, k, 1), layerAt(w, k, 2), slideDim[w], slideTag[w]) : v;
    }
    const top = (v: number) => {
      const w = wallOf[v];
      return w >= 0 ? ids[w * (n + 1) + n] : v;
    };
    for (const t of moved) for (let j = 0; j < 4; j++) tets[4 * t + j] = top(tets[4 * t + j]);
    for (let r = 0; r < nR; r++) {
      const v = ringNodes[r];
      for (let c = 0; c < 3; c++) P[3 * v + c] = P0[3 * v + c] + Ur[3 * r + c];
    }
    for (const h of rim) for (let k = 0; k < 3; k++) tris[3 * h.tri + k] = top(tris[3 * h.tri + k]);
    for (let i = 0; i < nWT; i++) {
      const ws = [wallOf[wt[3 * i]], wallOf[wt[3 * i + 2]], wallOf[wt[3 * i + 1]]];
      for (let k = 1; k <= n; k++) {
        const e = layerElement(
          ws.map((w) => ids[w * (n + 1) + k - 1]),
          ws.map((w) => ids[w * (n + 1) + k]),
        );
        if (e) emitLayer(3, e.type, body, e.nodes);
      }
    }
    // bands on the neighbouring faces: each directed edge u->v of a neighbouring triangle that lies on the wall
    for (const h of rim) {
      const c3 = [h.a, h.b, h.c];
      for (let s = 0; s < 3; s++) {
        const u = c3[s],
          v = c3[(s + 1) % 3];
        const wu = wallOf[u],
          wv = wallOf[v];
        if (wu < 0 || wv < 0 || !wallEdges.has(edgeKey(u, v))) continue;
        for (let k = 1; k <= n; k++) {
          const q = [
            ids[wu * (n + 1) + k - 1],
            ids[wv * (n + 1) + k - 1],
            ids[wv * (n + 1) + k],
            ids[wu * (n + 1) + k],
          ];
          const distinct = q.filter((x, i) => q.indexOf(x) === i);
          if (distinct.length === 4) emitLayer(2, 3, triEnt[h.tri], q);
          else if (distinct.length === 3) emitLayer(2, 2, triEnt[h.tri], distinct);
        }
      }
    }
    // lines along a curve leaving a grown wall node: the node's layers become segments of that curve
    for (let w = 0; w < nW; w++) {
      if (factor[w] === 0) continue;
      for (let s = offLines.start[w]; s < offLines.start[w + 1]; s++) {
        const l = offLines.list[s];
        const seg = lineOut[l];
        const v = wNode[w];
        const chain = Array.from({ length: n + 1 }, (_, k) => ids[w * (n + 1) + k]);
        const first = seg[0] === v;
        if (first) seg[0] = chain[n];
        else seg[1] = chain[n];
        for (let k = 1; k <= n; k++)
          emitLayer(1, 1, lineEntities[l], first ? [chain[k - 1], chain[k]] : [chain[k], chain[k - 1]]);
      }
    }

    // ---- what each wall node reached; neighbouring thinned nodes form one spot ----
    const spot = new Int32Array(nW).fill(-1);
    for (let w0 = 0; w0 < nW; w0++) {
      if (factor[w0] >= 1 || spot[w0] >= 0) continue;
      const id = spots++;
      const stack = [w0];
      spot[w0] = id;
      while (stack.length) {
        const w = stack.pop()!;
        for (let s = wNbr.start[w]; s < wNbr.start[w + 1]; s++) {
          const u = wNbr.list[s];
          if (factor[u] < 1 && spot[u] < 0) {
            spot[u] = id;
            stack.push(u);
          }
        }
      }
    }
    for (let w = 0; w < nW; w++) {
      const v = wNode[w];
      let first = Infinity,
        tot = Infinity;
      const faces: number[] = [];
      for (let s = wTris.start[w]; s < wTris.start[w + 1]; s++) {
        const i = wTris.list[s];
        if (!faces.includes(wtFace[i])) faces.push(wtFace[i]);
        let h1 = 0,
          hn = 0;
        for (let c = 0; c < 3; c++) {
          h1 += (layerAt(w, 1, c) - P0[3 * v + c]) * wtN[3 * i + c];
          hn += (layerAt(w, n, c) - P0[3 * v + c]) * wtN[3 * i + c];
        }
        if (h1 < first) first = h1;
        if (hn < tot) tot = hn;
      }
      wallReport.push({
        node: v,
        body,
        profile: prof[w],
        factor: factor[w],
        first: factor[w] > 0 ? first : 0,
        total: factor[w] > 0 ? tot : 0,
        reason: factor[w] >= 1 ? null : reason[w],
        ...(reason[w] === 'sharp' && angle[w] > 0 ? { angle: angle[w] } : {}),
        faces: faces.sort((a, b) => a - b),
        spot: spot[w] >= 0 ? spot[w] : null,
        x: P0[3 * v],
        y: P0[3 * v + 1],
        z: P0[3 * v + 2],
      });
    }
    for (const v of wNode) wallOf[v] = -1;
    for (const v of ringNodes) ringOf[v] = -1;
  }

  // ---- the original elements in blocks (re-pointed), then the layers' ----
  const blocks: ElementBlock[] = [];
  const byEntity = (dim: 0 | 1 | 2 | 3, type: number, per: number, conn: ArrayLike<number>, ents: Int32Array) => {
    const order = [...new Set(ents)].sort((a, b) => a - b);
    for (const e of order) {
      const buf = new Buf();
      for (let i = 0; i < ents.length; i++)
        if (ents[i] === e) for (let k = 0; k < per; k++) buf.push(conn[i * per + k]);
      blocks.push({ dim, entity: e, type, nodes: buf.u32() });
    }
  };
  byEntity(0, 15, 1, points, pointEntities);
  byEntity(1, 1, 2, lineOut.flat(), lineEntities);
  byEntity(2, 2, 3, tris, triEnt);
  byEntity(2, 3, 4, mesh.quads, mesh.quadEntities);
  byEntity(3, 4, 4, tets, tetEnt);
  const typeOrder = [1, 2, 3, 6, 7, 4];
  const layerBlocks = [...layerOut.values()]
    .sort((a, b) => typeOrder.indexOf(a.type) - typeOrder.indexOf(b.type) || a.entity - b.entity)
    .map((o) => ({ dim: o.dim, entity: o.entity, type: o.type, nodes: o.buf.u32() }));
  const nodes = new Float64Array(3 * nextNode);
  nodes.set(P);
  nodes.set(newXYZ.a.subarray(0, newXYZ.n), 3 * N);
  return {
    nodes,
    newNodeDim: Uint8Array.from(newDim.a.subarray(0, newDim.n)),
    newNodeTag: Int32Array.from(newTag.a.subarray(0, newTag.n)),
    blocks,
    layerBlocks,
    wall: wallReport,
    rounds,
  };
}
