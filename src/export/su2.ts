// SU2 native mesh (CFD): the tets, a layer's prisms and pyramids, the points, and one MARKER per face group (its
// boundary triangles and quadrangles). SU2 reads linear elements only: export-mesh.ts never hands this writer a
// quadratic mesh (src/contract/export-limits.ts).
import { GMSH_TO_VTK_WEDGE } from './element-order';
import { blockOf, cellBlocks, faceBlocks, totalOf, type ExportMesh, type ResolvedGroup } from './groups';
import { writeStreamed, NL, SPACE } from './sink';

const VTK_TRIANGLE = 5;
const VTK_QUAD = 9;
/** SU2 numbers elements as VTK does: its wedge has the other winding of Gmsh's prism. */
const SU2_CELL = {
  tet: { type: 10, order: [0, 1, 2, 3] },
  prism: { type: 13, order: GMSH_TO_VTK_WEDGE },
  pyramid: { type: 14, order: [0, 1, 2, 3, 4] },
} as const;

export function writeSu2(path: string, mesh: ExportMesh, groups: readonly ResolvedGroup[]) {
  return writeStreamed(path, (out) => {
    const cells = cellBlocks(mesh);
    out.text(`NDIME= 3\nNELEM= ${totalOf(cells)}\n`);
    for (const b of cells) {
      const { type, order } = SU2_CELL[b.kind as keyof typeof SU2_CELL];
      for (let c = 0; c < b.count; c++) {
        out.int(type);
        for (const k of order) {
          out.char(SPACE);
          out.int(b.conn[c * b.per + k]);
        }
        out.char(SPACE);
        out.int(b.first + c);
        out.char(NL);
      }
    }
    const X = mesh.nodes;
    out.text(`NPOIN= ${mesh.nodeCount}\n`);
    for (let i = 0; i < mesh.nodeCount; i++) out.text(`${X[3 * i]} ${X[3 * i + 1]} ${X[3 * i + 2]} ${i}\n`);
    const faces = groups.filter((g) => g.spec.dim === 2 && g.elements.length > 0);
    out.text(`NMARK= ${faces.length}\n`);
    const bounds = faceBlocks(mesh);
    for (const g of faces) {
      out.text(`MARKER_TAG= ${g.spec.name}\nMARKER_ELEMS= ${g.elements.length}\n`);
      for (const f of g.elements) {
        const b = blockOf(bounds, f);
        const base = (f - b.first) * b.per;
        const m = b.kind === 'quad' ? 4 : 3;
        out.int(m === 4 ? VTK_QUAD : VTK_TRIANGLE);
        for (let j = 0; j < m; j++) {
          out.char(SPACE);
          out.int(b.conn[base + j]);
        }
        out.char(NL);
      }
    }
  });
}
