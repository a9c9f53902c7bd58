// Gmsh msh 2.2 (ASCII) with physical tags, for tools that read only 2.2 (OpenFOAM's gmshToFoam, ElmerGrid): tets,
// prisms and pyramids, triangles and quadrangles, in Gmsh's own node order. In 2.2 an element carries one physical
// tag, and a boundary face in two patches would be two faces: each element is written once, with its user group when
// it has one, else its automatic Body_/Face_ group.
import { soleGroup } from './element-order';
import { cellBlocks, faceBlocks, totalOf, type ElementBlock, type ExportMesh, type ResolvedGroup } from './groups';
import { writeStreamed } from './sink';

/** The msh element type of a block: linear, or the quadratic tet (11) and triangle (9). */
const MSH_TYPE = { tet: 4, prism: 6, pyramid: 7, triangle: 2, quad: 3 } as const;
const mshType = (b: ElementBlock) =>
  b.kind === 'tet' && b.per === 10 ? 11 : b.kind === 'triangle' && b.per === 6 ? 9 : MSH_TYPE[b.kind];

export function writeMsh22(path: string, mesh: ExportMesh, groups: readonly ResolvedGroup[]) {
  const bodies = groups.filter((g) => g.spec.dim === 3);
  const faces = groups.filter((g) => g.spec.dim === 2);
  const cells = cellBlocks(mesh);
  const bounds = faceBlocks(mesh);
  const cellOwner = soleGroup(totalOf(cells), bodies);
  const faceOwner = soleGroup(totalOf(bounds), faces);
  return writeStreamed(path, (out) => {
    out.text('$MeshFormat\n2.2 0 8\n$EndMeshFormat\n');
    out.text(`$PhysicalNames\n${groups.length}\n`);
    for (const g of groups) out.text(`${g.spec.dim} ${g.spec.physical} "${g.spec.name}"\n`);
    out.text('$EndPhysicalNames\n');
    const X = mesh.nodes;
    out.text(`$Nodes\n${mesh.nodeCount}\n`);
    for (let i = 0; i < mesh.nodeCount; i++) out.text(`${i + 1} ${X[3 * i]} ${X[3 * i + 1]} ${X[3 * i + 2]}\n`);
    out.text('$EndNodes\n');
    let written = 0;
    for (let k = 0; k < faceOwner.length; k++) if (faceOwner[k] >= 0) written++;
    out.text(`$Elements\n${totalOf(cells) + written}\n`);
    let id = 1;
    const block = (b: ElementBlock, owner: Int32Array, of: readonly ResolvedGroup[], all: boolean) => {
      const type = mshType(b);
      for (let i = 0; i < b.count; i++) {
        const o = owner[b.first + i];
        if (o < 0 && !all) continue;
        let line = `${id++} ${type} 2 ${o >= 0 ? of[o].spec.physical : 0} ${b.entities[i]}`;
        for (let j = 0; j < b.per; j++) line += ` ${b.conn[i * b.per + j] + 1}`;
        out.text(`${line}\n`);
      }
    };
    for (const b of bounds) block(b, faceOwner, faces, false);
    for (const b of cells) block(b, cellOwner, bodies, true);
    out.text('$EndElements\n');
  });
}
