// Abaqus / CalculiX .inp: *NODE, *ELEMENT (C3D4, or C3D10 in Abaqus' node order), an *ELSET per body group, and per
// face group an *NSET and an element-face *SURFACE. Only the tets: 1D and 2D elements would be taken as structural
// elements by the solver (Gmsh's own export writes CPS3 triangles CalculiX refuses).
import { facesOfGroups, type ExportMesh, type ResolvedGroup } from './groups';
import { GMSH_TO_ABAQUS_TET10 } from './element-order';
import { COMMA, writeStreamed, NL, SPACE, writeIdLines } from './sink';

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
    const per = mesh.tetNodes;
    const order = per === 10 ? GMSH_TO_ABAQUS_TET10 : [0, 1, 2, 3];
    out.text(`*ELEMENT, TYPE=${per === 10 ? 'C3D10' : 'C3D4'}, ELSET=EALL\n`);
    const T = mesh.tets;
    const nt = T.length / per;
    for (let t = 0; t < nt; t++) {
      const b = t * per;
      out.int(t + 1);
      for (let k = 0; k < per; k++) {
        out.char(COMMA);
        out.char(SPACE);
        out.int(T[b + order[k]] + 1);
      }
      out.char(NL);
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
        const { tet, face } = surfaces.get(g)!;
        if (!tet.some((t) => t >= 0)) continue;
        out.text(`*SURFACE, NAME=${g.spec.name}, TYPE=ELEMENT\n`);
        for (let k = 0; k < tet.length; k++) {
          if (tet[k] < 0) continue;
          out.int(tet[k] + 1);
          out.text(', S');
          out.int(face[k] + 1);
          out.char(NL);
        }
      }
    }
  });
}
