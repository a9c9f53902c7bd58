// Tetrahedral meshes of the project's parts as an attempt writes them (its script: groups, every curve and point
// kept), for growing layers into; and what the tests measure on a layered mesh independently of the layer code.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runAttempt } from '../../src/attempt/run-attempt';
import type { AttemptSpec } from '../../src/contract/attempt';
import { findGmsh } from '../../src/gmsh/locate';
import type { MshMesh } from '../../src/mesh/msh-reader';
import { attemptSpec } from '../helpers/attempt-spec';
import { repoRoot, tmpHome } from '../helpers/paths';

export const cfdPart = (name: string) => join(repoRoot, 'resources', 'cfd-parts', name);

let dir: string | null = null;
export function layerDir(): string {
  dir ??= tmpHome('meshbench-layers-');
  return dir;
}
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The default attempt's mesh of `part` at `sizeMax` (or with `patch`), run once per test file. */
export async function attemptMesh(part: string, name: string, patch: Partial<AttemptSpec> = {}): Promise<string> {
  const work = join(layerDir(), name);
  if (!existsSync(work)) mkdirSync(work);
  const o = await runAttempt(attemptSpec(patch), part, work, { gmshPath: findGmsh().path, analyzeInThread: true });
  if (o.status !== 'completed' || !o.mesh) throw new Error(`${part}: ${o.error}`);
  return o.mesh.path;
}

/** Faces of every volume element (tets, prisms, pyramids) keyed by their sorted nodes, with the count of users. */
function volumeFaces(m: MshMesh): Map<string, { nodes: number[]; users: number }> {
  const out = new Map<string, { nodes: number[]; users: number }>();
  const add = (nodes: number[]) => {
    const key = [...nodes].sort((a, b) => a - b).join(',');
    const f = out.get(key);
    if (f) f.users++;
    else out.set(key, { nodes, users: 1 });
  };
  const each = (conn: Uint32Array, per: number, faces: number[][]) => {
    for (let e = 0; e < conn.length / per; e++) for (const f of faces) add(f.map((k) => conn[e * per + k]));
  };
  each(m.tets, 4, [
    [0, 1, 2],
    [0, 1, 3],
    [0, 2, 3],
    [1, 2, 3],
  ]);
  each(m.prisms, 6, [
    [0, 1, 2],
    [3, 4, 5],
    [0, 1, 4, 3],
    [1, 2, 5, 4],
    [2, 0, 3, 5],
  ]);
  each(m.pyramids, 5, [
    [0, 1, 2, 3],
    [0, 1, 4],
    [1, 2, 4],
    [2, 3, 4],
    [3, 0, 4],
  ]);
  return out;
}

const area = (P: Float64Array, f: number[]) => {
  let a = 0;
  for (let i = 1; i + 1 < f.length; i++) {
    const [o, b, c] = [f[0], f[i], f[i + 1]].map((v) => 3 * v);
    const u = [P[b] - P[o], P[b + 1] - P[o + 1], P[b + 2] - P[o + 2]];
    const w = [P[c] - P[o], P[c + 1] - P[o + 1], P[c + 2] - P[o + 2]];
    a += Math.hypot(u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]) / 2;
  }
  return a;
};

/**
 * The mesh's boundary as its volume elements make it: faces used by one element. A valid layered mesh has no face
 * used three times, a surface element on every boundary face and none inside, and the same boundary area as the
 * tetrahedral mesh it grew in (layers that pushed a neighbouring face into the solid leave a crack: more area).
 */
export function boundaryOf(m: MshMesh) {
  const faces = volumeFaces(m);
  const surface = new Set<string>();
  const key = (n: number[]) => [...n].sort((a, b) => a - b).join(',');
  for (let i = 0; i < m.triangles.length / 3; i++) surface.add(key(Array.from(m.triangles.subarray(3 * i, 3 * i + 3))));
  for (let i = 0; i < m.quads.length / 4; i++) surface.add(key(Array.from(m.quads.subarray(4 * i, 4 * i + 4))));
  let overUsed = 0,
    bare = 0,
    inner = 0,
    skinArea = 0;
  for (const [k, f] of faces) {
    if (f.users > 2) overUsed++;
    if (f.users === 1) {
      skinArea += area(m.nodes, f.nodes);
      if (!surface.has(k)) bare++;
    } else if (surface.has(k)) inner++;
  }
  return { overUsed, bare, inner, skinArea };
}

/** Volume of every element (prisms and pyramids split into tets along their node order). */
export function meshVolume(m: MshMesh): number {
  const P = m.nodes;
  const v6 = (a: number, b: number, c: number, d: number) => {
    const [A, B, C, D] = [a, b, c, d].map((x) => 3 * x);
    const u = [P[B] - P[A], P[B + 1] - P[A + 1], P[B + 2] - P[A + 2]];
    const v = [P[C] - P[A], P[C + 1] - P[A + 1], P[C + 2] - P[A + 2]];
    const w = [P[D] - P[A], P[D + 1] - P[A + 1], P[D + 2] - P[A + 2]];
    return u[0] * (v[1] * w[2] - v[2] * w[1]) - u[1] * (v[0] * w[2] - v[2] * w[0]) + u[2] * (v[0] * w[1] - v[1] * w[0]);
  };
  let s = 0;
  for (let e = 0; e < m.tets.length; e += 4) s += v6(m.tets[e], m.tets[e + 1], m.tets[e + 2], m.tets[e + 3]);
  for (let e = 0; e < m.prisms.length; e += 6) {
    const n = m.prisms.subarray(e, e + 6);
    s += v6(n[0], n[1], n[2], n[3]) + v6(n[1], n[2], n[3], n[4]) + v6(n[2], n[3], n[4], n[5]);
  }
  for (let e = 0; e < m.pyramids.length; e += 5) {
    const n = m.pyramids.subarray(e, e + 5);
    s += v6(n[0], n[1], n[2], n[4]) + v6(n[0], n[2], n[3], n[4]);
  }
  return s / 6;
}
