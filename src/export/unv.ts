// I-DEAS universal file for Salome, Code_Aster and ideasUnvToFoam: dataset 2411 (nodes), 2412 (elements: the
// triangles of the face groups as 2D elements, which is how those tools carry boundaries, then the tets) and 2467
// (one group per body and face group, listing its elements).
import { GMSH_TO_UNV_TET10, GMSH_TO_UNV_TRI6 } from './element-order';
import type { ExportMesh, ResolvedGroup } from './groups';
import { writeStreamed } from './sink';

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
    const per = mesh.tetNodes;
    const tetOrder = per === 10 ? GMSH_TO_UNV_TET10 : [0, 1, 2, 3];
    const nt = mesh.tetEntities.length;
    const line8 = (ids: number[]) => {
      let s = '';
      for (let k = 0; k < ids.length; k += 8)
        s += `${ids
          .slice(k, k + 8)
          .map(i10)
          .join('')}\n`;
      return s;
    };
    // Triangles of face groups, once each, numbered before the tets: ideasUnvToFoam tells a group of faces from a
    // group of cells by looking its first element up among the cells, which only works when no face id is past the
    // last cell id (with faces after the tets, a group inside an assembly was taken for cells and crashed checkMesh).
    const faces = groups.filter((g) => g.spec.dim === 2);
    const triId = new Int32Array(mesh.triangleEntities.length).fill(0);
    let next = 1;
    const tp = mesh.triNodes;
    const triOrder = tp === 6 ? GMSH_TO_UNV_TRI6 : [0, 1, 2];
    for (const g of faces)
      for (const k of g.elements) {
        if (triId[k]) continue;
        triId[k] = next++;
        const ids: number[] = [];
        for (let j = 0; j < tp; j++) ids.push(mesh.triangles[k * tp + triOrder[j]] + 1);
        out.text(`${i10(triId[k])}${i10(tp === 6 ? 92 : 91)}${i10(1)}${i10(1)}${i10(7)}${i10(tp)}\n${line8(ids)}`);
      }
    const tetId = next; // of tet 0
    for (let t = 0; t < nt; t++) {
      const ids: number[] = [];
      for (let k = 0; k < per; k++) ids.push(mesh.tets[t * per + tetOrder[k]] + 1);
      out.text(`${i10(tetId + t)}${i10(per === 10 ? 118 : 111)}${i10(1)}${i10(1)}${i10(7)}${i10(per)}\n${line8(ids)}`);
    }
    out.text(`${SEP}${SEP}  2467\n`);
    // (each group under its physical number, unique across bodies and faces: the same number as in the .msh)
    groups.forEach((g) => {
      const ids = g.spec.dim === 3 ? Array.from(g.elements, (e) => tetId + e) : Array.from(g.elements, (k) => triId[k]);
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
