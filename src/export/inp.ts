// Abaqus / CalculiX .inp: *NODE, *ELEMENT (C3D4, or C3D10 in Abaqus' node order; a layer's prisms C3D6 and pyramids
// collapsed C3D8), an *ELSET per body group, and per face group an *NSET and an element-face *SURFACE. Only the
// volume elements: 1D and 2D elements would be taken as structural elements by the solver (Gmsh's own export writes
// CPS3 triangles CalculiX refuses, and drops pyramids).
import { cellBlocks, facesOfGroups, type ExportMesh, type ResolvedGroup } from './groups';
import { GMSH_TO_ABAQUS_TET10, PYRAMID_AS_HEX8 } from './element-order';
import { COMMA, writeStreamed, NL, SPACE, writeIdLines } from './sink';

/** Element type and Gmsh-to-Abaqus node order of each kind. CalculiX has no pyramid: a collapsed brick. */
const INP_TYPE = {
  tet: { type: 'C3D4', order: [0, 1, 2, 3] },
  tet10: { type: 'C3D10', order: GMSH_TO_ABAQUS_TET10 },
  prism: { type: 'C3D6', order: [0, 1, 2, 3, 4, 5] },
  pyramid: { type: 'C3D8', order: PYRAMID_AS_HEX8 },
} as const;

/** CalculiX reads each field into 20 characters: shortest round-trip text when it fits, else 13 digits. */
function inpNumber(v: number): string {
  const s = String(v);
  return s.length <= 20 ? s : v.toPrecision(13);
}

export function writeInp(path: string, mesh: ExportMesh, groups: readonly ResolvedGroup[], title: string) {
  return writeStreamed(path, (out) => {
    out.text(`*HEADING\n${title.replace(/[^\x20-\x7e]/g, '?')}\n`);
    out.text('*NODE, NSET=NALL\n');
    const X = mesh.nodes;
    for (let i = 0; i < mesh.nodeCount; i++) {
      out.int(i + 1);
      out.text(`, ${inpNumber(X[3 * i])}, ${inpNumber(X[3 * i + 1])}, ${inpNumber(X[3 * i + 2])}\n`);
    }
    // one *ELEMENT block per kind, numbered on in the writers' order (tets, prisms, pyramids)
    for (const b of cellBlocks(mesh)) {
      if (!b.count) continue;
      const { type, order } = INP_TYPE[b.kind === 'tet' && b.per === 10 ? 'tet10' : (b.kind as 'tet')];
      out.text(`*ELEMENT, TYPE=${type}, ELSET=EALL\n`);
      for (let c = 0; c < b.count; c++) {
        const base = c * b.per;
        out.int(b.first + c + 1);
        for (const k of order) {
          out.char(COMMA);
          out.char(SPACE);
          out.int(b.conn[base + k] + 1);
        }
        out.char(NL);
      }
    }
    const surfaces = facesOfGroups(mesh, groups);
    for (const g of groups) {
      if (g.elements.length === 0) continue; // a group of entities that hold no element here: an empty set is an error in the solver
      if (g.spec.dim === 3) {
        out.text(`*ELSET, ELSET=${g.spec.name}\n`);
        writeIdLines(out, g.elements, 16);
      } else {
        out.text(`*NSET, NSET=${g.spec.name}\n`);
        writeIdLines(out, g.nodes, 16);
        const { cell, face } = surfaces.get(g)!;
        if (!cell.some((t) => t >= 0)) continue;
        out.text(`*SURFACE, NAME=${g.spec.name}, TYPE=ELEMENT\n`);
        for (let k = 0; k < cell.length; k++) {
          if (cell[k] < 0) continue;
          out.int(cell[k] + 1);
          out.text(', S');
          out.int(face[k] + 1);
          out.char(NL);
        }
      }
    }
  });
}
