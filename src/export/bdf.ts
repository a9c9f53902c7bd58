// Nastran bulk data (.bdf, free field): GRID, CTETRA (4 or 10 nodes), CPENTA, CPYRAM, a PSOLID per body group (its property id
// on that body's elements; MAT1 1 is the analyst's to add), and a SET1 of nodes per face group. Nastran has no names:
// each PSOLID and SET1 is preceded by `$ group <name>` (and HyperMesh's `$HMNAME` comment). Property and set ids are
// the groups' physical numbers, unique across bodies and faces and the same as in the .msh.
import { GMSH_TO_NASTRAN_TET10, soleGroup } from './element-order';
import { cellBlocks, totalOf, type ExportMesh, type ResolvedGroup } from './groups';
import { writeStreamed } from './sink';

/** Card and Gmsh-to-Nastran node order of each kind (prisms and pyramids: Gmsh's, as Gmsh's own .bdf writes them). */
const BDF_CARD = {
  tet: { card: 'CTETRA', order: [0, 1, 2, 3] },
  tet10: { card: 'CTETRA', order: GMSH_TO_NASTRAN_TET10 },
  prism: { card: 'CPENTA', order: [0, 1, 2, 3, 4, 5] },
  pyramid: { card: 'CPYRAM', order: [0, 1, 2, 3, 4] },
} as const;

/** A free-field value: at most 16 characters. */
function f16(v: number): string {
  const s = String(v);
  return s.length <= 16
    ? s
    : v.toExponential(9).replace('e+', 'e').length <= 16
      ? v.toExponential(9)
      : v.toPrecision(8);
}

export function writeBdf(path: string, mesh: ExportMesh, groups: readonly ResolvedGroup[], title: string) {
  return writeStreamed(path, (out) => {
    out.text(`$ ${title.replace(/[^\x20-\x7e]/g, '?')}\nBEGIN BULK\n`);
    const X = mesh.nodes;
    for (let i = 0; i < mesh.nodeCount; i++)
      out.text(`GRID,${i + 1},,${f16(X[3 * i])},${f16(X[3 * i + 1])},${f16(X[3 * i + 2])}\n`);
    const bodies = groups.filter((g) => g.spec.dim === 3);
    const cells = cellBlocks(mesh);
    const owner = soleGroup(totalOf(cells), bodies);
    const orphan = Math.max(0, ...groups.map((g) => g.spec.physical)) + 1; // cells in no body group
    const pid = (c: number) => (owner[c] >= 0 ? bodies[owner[c]].spec.physical : orphan);
    for (const b of cells) {
      const { card, order } = BDF_CARD[b.per === 10 ? 'tet10' : (b.kind as 'tet')];
      for (let c = 0; c < b.count; c++) {
        const id = b.first + c;
        const n = order.map((k) => b.conn[c * b.per + k] + 1);
        // free field: at most 8 fields after the card's name on a line, the rest on a continuation
        const head = [id + 1, pid(id), ...n];
        out.text(`${card},${head.slice(0, 8).join(',')}\n`);
        if (head.length > 8) out.text(`,${head.slice(8).join(',')}\n`);
      }
    }
    for (const g of bodies) {
      const p = g.spec.physical;
      out.text(`$ group ${g.spec.name}\n$HMNAME COMP ${p} "${g.spec.name}"\nPSOLID,${p},1\n`);
    }
    if (owner.some((o) => o < 0)) out.text(`$ elements in no body group\nPSOLID,${orphan},1\n`);
    for (const g of groups) {
      if (g.spec.dim !== 2 || !g.nodes.length) continue;
      const sid = g.spec.physical;
      out.text(`$ group ${g.spec.name}\n$HMSET ${sid} 1 "${g.spec.name}"\n`);
      const ids = Array.from(g.nodes, (v) => v + 1);
      out.text(`SET1,${sid},${ids.slice(0, 7).join(',')}\n`);
      for (let k = 7; k < ids.length; k += 8) out.text(`,${ids.slice(k, k + 8).join(',')}\n`);
    }
    out.text('ENDDATA\n');
  });
}
