// Nastran bulk data (.bdf, free field): GRID, CTETRA (4 or 10 nodes), a PSOLID per body group (its property id
// on that body's tets; MAT1 1 is the analyst's to add), and a SET1 of nodes per face group. Nastran has no names:
// each PSOLID and SET1 is preceded by `$ group <name>` (and HyperMesh's `$HMNAME` comment). Property and set ids are
// the groups' physical numbers, unique across bodies and faces and the same as in the .msh.
import { GMSH_TO_NASTRAN_TET10, soleGroup } from './element-order';
import type { ExportMesh, ResolvedGroup } from './groups';
import { writeStreamed } from './sink';

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
    const nt = mesh.tetEntities.length;
    const owner = soleGroup(nt, bodies);
    const orphan = Math.max(0, ...groups.map((g) => g.spec.physical)) + 1; // tets in no body group
    const pid = (t: number) => (owner[t] >= 0 ? bodies[owner[t]].spec.physical : orphan);
    const per = mesh.tetNodes;
    for (let t = 0; t < nt; t++) {
      const n = (k: number) => mesh.tets[t * per + (per === 10 ? GMSH_TO_NASTRAN_TET10[k] : k)] + 1;
      if (per === 4) out.text(`CTETRA,${t + 1},${pid(t)},${n(0)},${n(1)},${n(2)},${n(3)}\n`);
      else
        out.text(
          `CTETRA,${t + 1},${pid(t)},${n(0)},${n(1)},${n(2)},${n(3)},${n(4)},${n(5)}\n,${n(6)},${n(7)},${n(8)},${n(9)}\n`,
        );
    }
    for (const g of bodies) {
      const p = g.spec.physical;
      out.text(`$ group ${g.spec.name}\n$HMNAME COMP ${p} "${g.spec.name}"\nPSOLID,${p},1\n`);
    }
    if (owner.some((o) => o < 0)) out.text(`$ tets in no body group\nPSOLID,${orphan},1\n`);
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
