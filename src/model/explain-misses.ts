// Why a kept mesh misses its targets, as far as the CAD explains it: each of its tetrahedra below a target is given
// to the nearest small feature of the part (a cusp, a tiny edge, a narrow face) within the tet's longest edge; the
// rest are counted as unexplained. Measured on the hard parts, the fillet strips and slivers explain every bad tet of
// the default meshes that miss; a thin wall explains none (it is not detected).
import type { GeometryCause, GeometryReport, QualityTargets } from '../contract/job';
import type { MshMesh } from '../mesh/msh-reader';
import { elementMissesTargets } from '../contract/targets';
import { tetShape } from '../mesh/tet-shape';
import { measureTets } from '../quality/kernel';
import { smallFeatures, type LocatedFeature } from './features';
import type { CadModel } from './read-model';

/** Distance from a point to a box (0 inside). */
function toBox(x: number, y: number, z: number, b: readonly number[]): number {
  const dx = Math.max(0, b[0] - x, x - b[3]);
  const dy = Math.max(0, b[1] - y, y - b[4]);
  const dz = Math.max(0, b[2] - z, z - b[5]);
  return Math.hypot(dx, dy, dz);
}

function cause(f: LocatedFeature): GeometryCause {
  const g = f.feature;
  return {
    kind: g.kind,
    text: f.text,
    faces: 'face' in g ? [g.face] : [],
    curves: g.kind === 'cusp' ? g.curves : g.kind === 'tiny-edge' ? [g.curve] : [],
    vertices: g.kind === 'cusp' ? [g.vertex] : [],
    box: f.box,
    badElements: 0,
  };
}

/** The small features next to `mesh`'s tetrahedra below `targets`, against element size `h`. */
export function explainMisses(mesh: MshMesh, model: CadModel, h: number, targets: QualityTargets): GeometryReport {
  const features = smallFeatures(model, h);
  const causes = features.map(cause);
  const m = measureTets(mesh.nodes, mesh.tets);
  const layer = mesh.layerTags;
  let bad = 0;
  let unexplained = 0;
  for (let t = 0; t < m.sicn.length; t++) {
    // (tets inside boundary layers are judged apart, like the quality report does)
    if (layer && mesh.tetTags[t] >= layer[0] && mesh.tetTags[t] <= layer[1]) continue;
    if (!elementMissesTargets(m, t, targets)) continue;
    bad++;
    const {
      centroid: [cx, cy, cz],
      longEdge: longest,
    } = tetShape(mesh.nodes, mesh.tets, t);
    let best = -1;
    let dist = Infinity;
    features.forEach((f, i) => {
      const d = toBox(cx, cy, cz, f.box);
      if (d < dist) [best, dist] = [i, d];
    });
    if (best >= 0 && dist <= longest) causes[best].badElements++;
    else unexplained++;
  }
  return {
    elementSize: h,
    badElements: bad,
    causes: causes.filter((c) => c.badElements > 0).sort((a, b) => b.badElements - a.badElements),
    unexplained,
  };
}
