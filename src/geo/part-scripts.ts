// The scripts that look at a part before it is meshed: the model read (bodies, faces and curves with their exact mass
// properties, and a coarse surface mesh) and the preview's geometry. Both fragment touching solids as the attempts
// do, so a face's tag is the same in the model, the preview and every attempt's mesh.
import { GeoScript } from './geo-script';

/** The model read's coarse size: 4 × Gmsh's default (a tenth of the diagonal). */
const MODEL_SIZE_FACTOR = 4;
/** Its size at the CAD points, as a fraction of the diagonal: fine enough that a 3° corner reads under 5°. */
const CORNER_SIZE = 0.01;
/** Diagonals from a CAD point within which its size grows back to the coarse one (a slope of about 0.8). */
const CORNER_REACH = 0.5;

/**
 * The model read: each body's, face's and curve's volume, area or length and centroid, and the bounding box, to
 * `factsName` (parseMassReport reads it back), and a coarse surface mesh to `meshName`, whose $Entities list each
 * body's faces with their orientation, each face's curves and each curve's points, and whose triangles give each
 * face's outward normal and, fine at the CAD points, each face's corner angles; then the same mesh made
 * quadratic to `curvedName`, whose edge midpoints on the CAD faces give the angle between neighbouring faces across
 * the curves they share (a narrow fillet strip is one triangle wide: its straight triangles cut the arc). Run with
 * `-parse_and_exit`.
 */
export function modelScript(
  inputName: string,
  meshName: string,
  curvedName: string,
  factsName: string,
  fragment: boolean,
): string {
  const s = new GeoScript().factory('OpenCASCADE').merge(inputName);
  if (fragment) s.fragmentSolids();
  return s
    .option('Mesh.MeshSizeFactor', MODEL_SIZE_FACTOR)
    .option('Mesh.SaveAll', 1)
    .sizeAtPoints([CORNER_SIZE / MODEL_SIZE_FACTOR, 0.1], CORNER_REACH)
    .massReport(factsName)
    .mesh(2)
    .save(meshName)
    .secondOrder()
    .save(curvedName)
    .text();
}

/** Points per full circle on the preview's curved edges. */
const PREVIEW_CIRCLE_POINTS = 24;

/**
 * The preview's geometry: the part with touching solids fragmented; Gmsh meshes it in 2D from the command line.
 * Round things look round: curved edges get enough points (a circle 24, any other curve 6), and the coarse surface
 * mesh follows them. Cheap, unlike curvature sizing over whole faces (see docs/benchmarks.md).
 */
export function previewScript(inputName: string): string {
  return new GeoScript()
    .factory('OpenCASCADE')
    .merge(inputName)
    .fragmentSolids()
    .option('Mesh.MinimumCirclePoints', PREVIEW_CIRCLE_POINTS)
    .option('Mesh.MinimumCurvePoints', 6)
    .text();
}
