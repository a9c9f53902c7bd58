// SU2 native mesh (CFD): the tets, the points, and one MARKER per face group (its boundary triangles). SU2 reads
// linear elements only: export-mesh.ts never hands this writer a quadratic mesh (src/contract/export-limits.ts).
import type { ExportMesh, ResolvedGroup } from './groups';
import { writeStreamed } from './sink';

const VTK_TETRA = 10;
const VTK_TRIANGLE = 5;

export function writeSu2(path: string, mesh: ExportMesh, groups: readonly ResolvedGroup[]) {
  return writeStreamed(path, (out) => {
    const nt = mesh.tetEntities.length;
    out.text(`NDIME= 3\nNELEM= ${nt}\n`);
    const T = mesh.tets;
    for (let t = 0; t < nt; t++)
      out.text(`${VTK_TETRA} ${T[4 * t]} ${T[4 * t + 1]} ${T[4 * t + 2]} ${T[4 * t + 3]} ${t}\n`);
    const X = mesh.nodes;
    out.text(`NPOIN= ${mesh.nodeCount}\n`);
    for (let i = 0; i < mesh.nodeCount; i++) out.text(`${X[3 * i]} ${X[3 * i + 1]} ${X[3 * i + 2]} ${i}\n`);
    const faces = groups.filter((g) => g.spec.dim === 2 && g.elements.length > 0);
    out.text(`NMARK= ${faces.length}\n`);
    const tri = mesh.triangles;
    const tp = mesh.triNodes;
    for (const g of faces) {
      out.text(`MARKER_TAG= ${g.spec.name}\nMARKER_ELEMS= ${g.elements.length}\n`);
      for (const k of g.elements) out.text(`${VTK_TRIANGLE} ${tri[k * tp]} ${tri[k * tp + 1]} ${tri[k * tp + 2]}\n`);
    }
  });
}
