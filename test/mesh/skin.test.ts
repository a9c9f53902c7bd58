// Boundary skin: faces used by exactly one tet, oriented outward.
import { describe, expect, it } from 'vitest';
import { readMshFile } from '../../src/mesh/msh-reader';
import { extractSkin } from '../../src/mesh/skin';
import { binary41 } from './gmsh-fixtures';

/** Σ over triangles of (a · (b × c)) / 6: the enclosed volume when the triangles form a closed, outward surface. */
function enclosedVolume(nodes: Float64Array, tris: Uint32Array): number {
  let v = 0;
  for (let i = 0; i < tris.length; i += 3) {
    const a = 3 * tris[i],
      b = 3 * tris[i + 1],
      c = 3 * tris[i + 2];
    const [ax, ay, az] = [nodes[a], nodes[a + 1], nodes[a + 2]];
    const [bx, by, bz] = [nodes[b], nodes[b + 1], nodes[b + 2]];
    const [cx, cy, cz] = [nodes[c], nodes[c + 1], nodes[c + 2]];
    v += ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
  }
  return v / 6;
}

function tetVolume(nodes: Float64Array, tets: Uint32Array): number {
  let v = 0;
  for (let t = 0; t < tets.length; t += 4) {
    const p = [0, 1, 2, 3].map((j) => 3 * tets[t + j]);
    const e = [1, 2, 3].map((j) => [0, 1, 2].map((k) => nodes[p[j] + k] - nodes[p[0] + k]));
    v +=
      (e[0][0] * (e[1][1] * e[2][2] - e[1][2] * e[2][1]) -
        e[0][1] * (e[1][0] * e[2][2] - e[1][2] * e[2][0]) +
        e[0][2] * (e[1][0] * e[2][1] - e[1][1] * e[2][0])) /
      6;
  }
  return v;
}

describe('extractSkin', () => {
  it('a single tet has 4 outward faces', () => {
    const nodes = new Float64Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const tets = new Uint32Array([0, 1, 2, 3]);
    const { tris, tetOf } = extractSkin(tets);
    expect(tris.length).toBe(12);
    expect(Array.from(tetOf)).toEqual([0, 0, 0, 0]);
    const faces = [0, 1, 2, 3].map((f) =>
      Array.from(tris.subarray(3 * f, 3 * f + 3))
        .sort()
        .join(),
    );
    expect(faces.sort()).toEqual(['0,1,2', '0,1,3', '0,2,3', '1,2,3']);
    expect(enclosedVolume(nodes, tris)).toBeCloseTo(1 / 6, 14);
  });

  it('two tets sharing a face: the shared face is dropped', () => {
    const tets = new Uint32Array([0, 1, 2, 3, 2, 1, 4, 3]); // share face {1, 2, 3}
    const { tris } = extractSkin(tets);
    expect(tris.length / 3).toBe(6);
    for (let i = 0; i < tris.length; i += 3)
      expect(
        Array.from(tris.subarray(i, i + 3))
          .sort()
          .join(),
      ).not.toBe('1,2,3');
  });

  it('the skin of a real mesh is closed, consistently outward, and equals the surface mesh Gmsh wrote', () => {
    for (const part of ['bracket.step', 'sliver-boss.step']) {
      const m = readMshFile(binary41(part));
      const { tris, tetOf } = extractSkin(m.tets);
      // every directed edge once and its reverse once: closed (each edge in exactly 2 triangles) and consistently oriented
      const directed = new Map<string, number>();
      for (let i = 0; i < tris.length; i += 3) {
        for (let k = 0; k < 3; k++) {
          const key = `${tris[i + k]}>${tris[i + ((k + 1) % 3)]}`;
          directed.set(key, (directed.get(key) ?? 0) + 1);
        }
      }
      for (const [key, n] of directed) {
        expect(n, key).toBe(1);
        const [a, b] = key.split('>');
        expect(directed.get(`${b}>${a}`), key).toBe(1);
      }
      // outward: the surface encloses exactly the volume of the tets
      const vol = tetVolume(m.nodes, m.tets);
      expect(vol).toBeGreaterThan(0);
      expect(enclosedVolume(m.nodes, tris) / vol).toBeCloseTo(1, 9);
      // a single-volume part: the skin is the boundary triangulation Gmsh wrote, triangle for triangle
      const sorted = (t: Uint32Array) => {
        const out: string[] = [];
        for (let i = 0; i < t.length; i += 3)
          out.push(
            Array.from(t.subarray(i, i + 3))
              .sort((x, y) => x - y)
              .join(),
          );
        return out.sort();
      };
      expect(sorted(tris)).toEqual(sorted(m.triangles));
      // the owning tet really has that face
      for (let k = 0; k < tetOf.length; k++) {
        const tet = Array.from(m.tets.subarray(4 * tetOf[k], 4 * tetOf[k] + 4));
        for (let j = 0; j < 3; j++) expect(tet).toContain(tris[3 * k + j]);
      }
    }
  });
});
