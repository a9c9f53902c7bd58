// Face picking on a finished mesh: every skin triangle of a closed part knows the CAD face it lies on.
import { describe, expect, it } from 'vitest';
import { analyzeMeshSync } from '../../src/mesh/analyze';
import { readMshFile } from '../../src/mesh/msh-reader';
import { bracket, meshPart } from './helpers';

describe('skinFaces of the viewer payload', () => {
  it('names the CAD face of every skin triangle, each face as many times as the file has triangles on it', () => {
    const { msh } = meshPart(bracket, { sizeFactor: 1.5 });
    const p = analyzeMeshSync(msh, { payload: true }).payload!;
    const faces = p.skinFaces!;
    expect(faces.length).toBe(p.skin.length / 3);
    expect(faces.every((f) => f > 0)).toBe(true);
    const m = readMshFile(msh);
    const count = (a: ArrayLike<number>) => {
      const c = new Map<number, number>();
      for (let i = 0; i < a.length; i++) c.set(a[i], (c.get(a[i]) ?? 0) + 1);
      return [...c.entries()].sort((x, y) => x[0] - y[0]);
    };
    expect(count(faces)).toEqual(count(m.triangleEntities));
  });
});
