// Gmsh msh 2.2 (ASCII) with physical tags, for tools that read only 2.2 (OpenFOAM's gmshToFoam, ElmerGrid). In 2.2
// an element carries one physical tag, and a boundary face in two patches would be two faces: each element is
// written once, with its user group when it has one, else its automatic Body_/Face_ group.
import { soleGroup } from './element-order';
import type { ExportMesh, ResolvedGroup } from './groups';
import { writeStreamed } from './sink';

export function writeMsh22(path: string, mesh: ExportMesh, groups: readonly ResolvedGroup[]) {
  const bodies = groups.filter((g) => g.spec.dim === 3);
  const faces = groups.filter((g) => g.spec.dim === 2);
  const nt = mesh.tetEntities.length;
  const tetOwner = soleGroup(nt, bodies);
  const triOwner = soleGroup(mesh.triangleEntities.length, faces);
  return writeStreamed(path, (out) => {
    out.text('$MeshFormat\n2.2 0 8\n$EndMeshFormat\n');
    out.text(`$PhysicalNames\n${groups.length}\n`);
    for (const g of groups) out.text(`${g.spec.dim} ${g.spec.physical} "${g.spec.name}"\n`);
    out.text('$EndPhysicalNames\n');
    const X = mesh.nodes;
    out.text(`$Nodes\n${mesh.nodeCount}\n`);
    for (let i = 0; i < mesh.nodeCount; i++) out.text(`${i + 1} ${X[3 * i]} ${X[3 * i + 1]} ${X[3 * i + 2]}\n`);
    out.text('$EndNodes\n');
    let tris = 0;
    for (let k = 0; k < triOwner.length; k++) if (triOwner[k] >= 0) tris++;
    out.text(`$Elements\n${nt + tris}\n`);
    let id = 1;
    const tp = mesh.triNodes;
    const triType = tp === 6 ? 9 : 2;
    for (let k = 0; k < triOwner.length; k++) {
      if (triOwner[k] < 0) continue;
      let line = `${id++} ${triType} 2 ${faces[triOwner[k]].spec.physical} ${mesh.triangleEntities[k]}`;
      for (let j = 0; j < tp; j++) line += ` ${mesh.triangles[k * tp + j] + 1}`;
      out.text(`${line}\n`);
    }
    const per = mesh.tetNodes;
    const tetType = per === 10 ? 11 : 4;
    for (let t = 0; t < nt; t++) {
      const phys = tetOwner[t] >= 0 ? bodies[tetOwner[t]].spec.physical : 0;
      let line = `${id++} ${tetType} 2 ${phys} ${mesh.tetEntities[t]}`;
      for (let j = 0; j < per; j++) line += ` ${mesh.tets[t * per + j] + 1}`;
      out.text(`${line}\n`);
    }
    out.text('$EndElements\n');
  });
}
