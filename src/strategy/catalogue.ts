// The catalogue of named attempts. Each is one Gmsh invocation; names say what the attempt does, and no
// algorithm appears under two names. Order matters: `first-acceptable` walks it top to bottom.
import type { GmshInfo } from '../contract/api';
import type { InputFormat } from '../contract/job';
import { CAPABILITY_LABEL } from '../contract/algorithms';

type Capability = keyof GmshInfo['capabilities'];

export interface CatalogueEntry {
  name: string;
  description: string;
  /** CAD kernels (STEP/IGES/BREP) or the STL route through surface classification. */
  route: 'cad' | 'stl';
  needs?: Capability;
  /** Multiplies the job's size factor. */
  sizeScale?: number;
  /** Gmsh options, passed as `-setnumber NAME VALUE`. */
  options: [string, number][];
  /** Never part of the catalogue walk: planned by the cascade when a mesh needs it (the targeted repair). */
  onDemand?: boolean;
  /**
   * Planned from the part's model read (prepare): `short-curves` sizes the short CAD curves, and is skipped with the
   * reason when the part has none (it would mesh exactly like `default`) or its model could not be read;
   * `narrow-faces` merges narrow faces with a tangent neighbour (and sizes the short curves), skipped when there are
   * none; `sliver-faces` merges the narrow faces without one too, skipped when there are none; `cusps` coarsens the
   * vertices of face corners under 10°, skipped when there are none.
   */
  fromModel?: 'short-curves' | 'narrow-faces' | 'sliver-faces' | 'cusps' | 'netgen';
  /** The mesher: Gmsh (default), or Netgen through python3-netgen, with Gmsh adding the groups. */
  engine?: 'netgen';
  /** STL classification parameters (route 'stl'). */
  classify?: { angleDeg: number; forceParametrizablePatches: boolean };
}

const CATALOGUE: readonly CatalogueEntry[] = [
  { name: 'default', route: 'cad', description: "Gmsh's own defaults (Delaunay 3D, automatic 2D)", options: [] },
  {
    name: 'hxt',
    route: 'cad',
    needs: 'hxt',
    description: '2D Frontal-Delaunay surfaces + 3D HXT (parallel Delaunay)',
    options: [
      ['Mesh.Algorithm', 6],
      ['Mesh.Algorithm3D', 10],
    ],
  },
  {
    name: 'small-features',
    route: 'cad',
    fromModel: 'short-curves',
    description:
      'Finer elements at short CAD curves (each group of similar length at its own size, growing 1.3× back to the element size), Delaunay 3D: tiny edges and small faces',
    options: [],
  },
  {
    name: 'compound-fillets',
    route: 'cad',
    fromModel: 'narrow-faces',
    description:
      'Virtual topology: each face narrower than half the element size (a fillet strip) meshed as one patch with a neighbour it meets tangentially (Compound Surface), finer elements at short curves as small-features, Delaunay 3D',
    // Delaunay: Gmsh 4.8's HXT fails on compound surfaces, and is not deterministic
    options: [['Mesh.Algorithm3D', 1]],
  },
  {
    name: 'netgen',
    route: 'cad',
    fromModel: 'netgen',
    engine: 'netgen',
    description:
      "Netgen 6.2 (python3-netgen, its own process): OpenCASCADE surfaces and volume with Netgen's 3D optimisation, maxh = the element size, no close-edge refinement; single-solid parts",
    options: [],
  },
  {
    name: 'curvature-sizing',
    route: 'cad',
    needs: 'hxt',
    description:
      'Element size follows curvature (12 per 2π), Frontal-Delaunay 2D + HXT 3D: resolves small radii and threads',
    options: [
      ['Mesh.Algorithm', 6],
      ['Mesh.Algorithm3D', 10],
      ['Mesh.MeshSizeFromCurvature', 12],
    ],
  },
  {
    name: 'finer-size',
    route: 'cad',
    sizeScale: 0.5,
    description: 'Half the element size: resolves boundary intersections on small features',
    options: [],
  },
  {
    name: 'occ-healing',
    route: 'cad',
    needs: 'openCascade',
    description: 'OpenCASCADE shape healing (degenerate edges, small edges and faces, sewing)',
    options: [
      ['Geometry.OCCFixDegenerated', 1],
      ['Geometry.OCCFixSmallEdges', 1],
      ['Geometry.OCCFixSmallFaces', 1],
      ['Geometry.OCCSewFaces', 1],
      ['Geometry.OCCMakeSolids', 1],
    ],
  },
  {
    name: 'meshadapt-surfaces',
    route: 'cad',
    description: 'MeshAdapt surface algorithm (robust on difficult surface patches)',
    options: [['Mesh.Algorithm', 1]],
  },
  {
    name: 'finest-size',
    route: 'cad',
    sizeScale: 0.25,
    description: 'A quarter of the element size (last resort for thin features)',
    options: [],
  },
  {
    name: 'compound-slivers',
    route: 'cad',
    fromModel: 'sliver-faces',
    description:
      'Virtual topology for slivers too: as compound-fillets, and each narrow face that meets no neighbour tangentially meshed as one patch with the neighbour along its longest curve, Delaunay 3D; lifts sliver faces, lowers some other parts, so it comes late and competes',
    options: [['Mesh.Algorithm3D', 1]],
  },
  {
    name: 'coarse-cusps',
    route: 'cad',
    fromModel: 'cusps',
    description:
      "Coarser elements (twice Gmsh's default size) at the vertices of face corners under 10° (cusps, where two curves meet tangentially), Delaunay 3D: fewer slivers in the corner; lowers other parts, so it comes last and competes",
    options: [],
  },
  {
    name: 'frontal-3d',
    route: 'cad',
    needs: 'netgen',
    description: '3D Frontal (Netgen)',
    options: [['Mesh.Algorithm3D', 4]],
  },
  { name: 'mmg3d', route: 'cad', needs: 'mmg', description: '3D MMG3D remeshing', options: [['Mesh.Algorithm3D', 7]] },
  {
    name: 'targeted-repair',
    route: 'cad',
    onDemand: true,
    description:
      "Refines around an earlier attempt's bad elements themselves (a ball of small elements per cluster of them, growing back to the part's size), then Gmsh's 3D optimisers: the default one at threshold 0.6, Relocate3D (and Netgen's where present)",
    options: [['Mesh.OptimizeThreshold', 0.6]],
  },
  {
    name: 'stl-classify',
    route: 'stl',
    description: 'STL: classify surfaces at 40°, rebuild geometry, Delaunay 3D',
    options: [],
    classify: { angleDeg: 40, forceParametrizablePatches: false },
  },
  {
    name: 'stl-classify-hxt',
    route: 'stl',
    needs: 'hxt',
    description: 'STL: classify surfaces at 40°, rebuild geometry, 3D HXT',
    options: [['Mesh.Algorithm3D', 10]],
    classify: { angleDeg: 40, forceParametrizablePatches: false },
  },
  {
    name: 'stl-classify-patches',
    route: 'stl',
    description: 'STL: classify at 20° into parametrizable patches (curved, noisy triangulations)',
    options: [],
    classify: { angleDeg: 20, forceParametrizablePatches: true },
  },
];

export const routeOf = (format: InputFormat): CatalogueEntry['route'] => (format.startsWith('stl') ? 'stl' : 'cad');

export function catalogueFor(format: InputFormat): CatalogueEntry[] {
  const route = routeOf(format);
  return CATALOGUE.filter((e) => e.route === route && !e.onDemand);
}

export function findEntry(name: string): CatalogueEntry | undefined {
  return CATALOGUE.find((e) => e.name === name);
}

/** Why this build of Gmsh cannot run the entry, or null. */
export function skipReason(entry: CatalogueEntry, caps: GmshInfo['capabilities']): string | null {
  if (!entry.needs || caps[entry.needs]) return null;
  return `this Gmsh build has no ${CAPABILITY_LABEL[entry.needs]}`;
}

/**
 * Relative cost of an entry, for scheduling only: element count grows as size^-3, curvature sizing refines
 * small radii. Under `best` the pool starts the longest attempts first, so the last one to finish is short.
 */
export function estimatedCost(entry: CatalogueEntry): number {
  const curvature = entry.options.some(([k]) => k === 'Mesh.MeshSizeFromCurvature') || entry.fromModel ? 3 : 1;
  return (entry.sizeScale ?? 1) ** -3 * curvature;
}

/** Every attempt the engineer can ask for (the on-demand repair aside), with whether this Gmsh can run it and why not. */
export function catalogueListing(caps: GmshInfo['capabilities']) {
  return CATALOGUE.filter((e) => !e.onDemand).map((e) => ({
    name: e.name,
    description: e.description,
    route: e.route,
    unavailable: skipReason(e, caps),
  }));
}
