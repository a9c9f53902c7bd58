// I-DEAS universal file for Salome, Code_Aster and ideasUnvToFoam: dataset 2411 (nodes), 2412 (elements: the
// triangles and quadrangles of the face groups as 2D elements, which is how those tools carry boundaries, then the
// tets, prisms and pyramids) and 2467 (one group per body and face group, listing its elements).
import { GMSH_TO_UNV_TET10, GMSH_TO_UNV_TRI6, PYRAMID_AS_HEX8 } from './element-order';
import {
  blockOf,
  cellBlocks,
  faceBlocks,
  totalOf,
  type ElementBlock,
  type ExportMesh,
  type ResolvedGroup,
} from './groups';
import { writeStreamed } from './sink';

/**
 * I-DEAS element type and Gmsh-to-I-DEAS node order of each kind: solid 111/118 (tet), 112 (prism, Gmsh's order),
 * and for a pyramid, which I-DEAS lacks (ideasUnvToFoam knows none), the brick 115 collapsed to the apex; shell
 * 91/92 (triangle), 94 (quadrangle).
 */
const UNV_TYPE = {
  tet: { type: 111, order: [0, 1, 2, 3] },
  tet10: { type: 118, order: GMSH_TO_UNV_TET10 },
  prism: { type: 112, order: [0, 1, 2, 3, 4, 5] },
  pyramid: { type: 115, order: PYRAMID_AS_HEX8 },
  triangle: { type: 91, order: [0, 1, 2] },
  tri6: { type: 92, order: GMSH_TO_UNV_TRI6 },
  quad: { type: 94, order: [0, 1, 2, 3] },
} as const;

const SEP = '    -1\n';
const i10 = (v: number) => String(v).padStart(10);
/** D25.16: Fortran double with a D exponent. */
function d25(v: number): string {
  const [m, e] = v.toExponential(16).split('e');
  const exp = Number(e);
  return `${m}D${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`.padStart(25);
}

export function writeUnv(path: string, mesh: ExportMesh, groups: readonly ResolvedGroup[]) {
  return writeStreamed(path, (out) => {
    out.text(`${SEP}  2411\n`);
    const X = mesh.nodes;
    for (let i = 0; i < mesh.nodeCount; i++)
      out.text(`${i10(i + 1)}${i10(1)}${i10(1)}${i10(11)}\n${d25(X[3 * i])}${d25(X[3 * i + 1])}${d25(X[3 * i + 2])}\n`);
    out.text(`${SEP}${SEP}  2412\n`);
    const line8 = (ids: number[]) => {
      let s = '';
      for (let k = 0; k < ids.length; k += 8)
        s += `${ids
          .slice(k, k + 8)
          .map(i10)
          .join('')}\n`;
      return s;
    };
    const record = (id: number, b: ElementBlock, i: number) => {
      const { type, order } = UNV_TYPE[b.per === 10 ? 'tet10' : b.per === 6 && b.kind === 'triangle' ? 'tri6' : b.kind];
      const ids = order.map((k) => b.conn[i * b.per + k] + 1);
      out.text(`${i10(id)}${i10(type)}${i10(1)}${i10(1)}${i10(7)}${i10(ids.length)}\n${line8(ids)}`);
    };
    // Faces of face groups, once each, numbered before the cells: ideasUnvToFoam tells a group of faces from a group
    // of cells by looking its first element up among the cells, which only works when no face id is past the last
    // cell id (with faces after the tets, a group inside an assembly was taken for cells and crashed checkMesh).
    const faces = groups.filter((g) => g.spec.dim === 2);
    const bounds = faceBlocks(mesh);
    const faceId = new Int32Array(totalOf(bounds)).fill(0);
    let next = 1;
    for (const g of faces)
      for (const f of g.elements) {
        if (faceId[f]) continue;
        faceId[f] = next++;
        const b = blockOf(bounds, f);
        record(faceId[f], b, f - b.first);
      }
    // then the cells: tets, prisms, pyramids
    const firstCell = next;
    for (const b of cellBlocks(mesh)) for (let c = 0; c < b.count; c++) record(firstCell + b.first + c, b, c);
    out.text(`${SEP}${SEP}  2467\n`);
    // (each group under its physical number, unique across bodies and faces: the same number as in the .msh)
    groups.forEach((g) => {
      const ids = Array.from(g.elements, (e) => (g.spec.dim === 3 ? firstCell + e : faceId[e]));
      out.text(
        `${i10(g.spec.physical)}${i10(0)}${i10(0)}${i10(0)}${i10(0)}${i10(0)}${i10(0)}${i10(ids.length)}\n${g.spec.name}\n`,
      );
      for (let k = 0; k < ids.length; k += 2) {
        let s = `${i10(8)}${i10(ids[k])}${i10(0)}${i10(0)}`;
        if (k + 1 < ids.length) s += `${i10(8)}${i10(ids[k + 1])}${i10(0)}${i10(0)}`;
        out.text(`${s}\n`);
      }
    });
    out.text(SEP);
  });
}
