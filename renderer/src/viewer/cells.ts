// The mesh's volume elements as one list, numbered like the payload's per-element arrays: tets, then the boundary
// layers' prisms, then pyramids. Isolate, the whole-element cut and "frame the worst" go through these.
import type { MeshPayload } from '../../../src/contract/api';

type Cells = Pick<MeshPayload, 'tets' | 'prisms' | 'pyramids'>;

export const cellCount = (m: Cells) => m.tets.length / 4 + (m.prisms?.length ?? 0) / 6 + (m.pyramids?.length ?? 0) / 5;

/** Writes element e's nodes into `out`; returns how many (4 tet, 6 prism, 5 pyramid). */
export function cellNodes(m: Cells, e: number, out: Uint32Array): 4 | 5 | 6 {
  const nt = m.tets.length / 4;
  if (e < nt) {
    for (let k = 0; k < 4; k++) out[k] = m.tets[4 * e + k];
    return 4;
  }
  const np = (m.prisms?.length ?? 0) / 6;
  if (e < nt + np) {
    for (let k = 0; k < 6; k++) out[k] = m.prisms![6 * (e - nt) + k];
    return 6;
  }
  for (let k = 0; k < 5; k++) out[k] = m.pyramids![5 * (e - nt - np) + k];
  return 5;
}

/** Each element kind's faces as triangles (quadrangles split), by its node count. */
export const CELL_TRIANGLES: Record<4 | 5 | 6, readonly (readonly [number, number, number])[]> = {
  4: [
    [1, 2, 3],
    [0, 3, 2],
    [0, 1, 3],
    [0, 2, 1],
  ],
  6: [
    [0, 2, 1],
    [3, 4, 5],
    [0, 1, 4],
    [0, 4, 3],
    [1, 2, 5],
    [1, 5, 4],
    [2, 0, 3],
    [2, 3, 5],
  ],
  5: [
    [0, 3, 2],
    [0, 2, 1],
    [0, 1, 4],
    [1, 2, 4],
    [2, 3, 4],
    [3, 0, 4],
  ],
};

/** Each element kind's edges, by its node count. */
export const CELL_EDGES: Record<4 | 5 | 6, readonly (readonly [number, number])[]> = {
  4: [
    [0, 1],
    [0, 2],
    [0, 3],
    [1, 2],
    [1, 3],
    [2, 3],
  ],
  6: [
    [0, 1],
    [1, 2],
    [2, 0],
    [3, 4],
    [4, 5],
    [5, 3],
    [0, 3],
    [1, 4],
    [2, 5],
  ],
  5: [
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 0],
    [0, 4],
    [1, 4],
    [2, 4],
    [3, 4],
  ],
};
