// Gmsh's meshing algorithms and optimiser a job may choose over every attempt: the desktop's Advanced section and the
// CLI's --algorithm-2d, --algorithm-3d and --optimizer take the same names, and each becomes the same Gmsh options
// on each attempt's command line (after the attempt's own, so the choice wins).

/** A capability of a Gmsh build (GmshInfo['capabilities']), and its name in messages. */
type Capability = 'openCascade' | 'hxt' | 'netgen' | 'mmg';
export const CAPABILITY_LABEL: Record<Capability, string> = {
  netgen: 'Netgen',
  mmg: 'Mmg',
  hxt: 'HXT',
  openCascade: 'OpenCASCADE',
};

export interface AlgorithmEntry {
  name: string;
  label: string;
  description: string;
  /** Gmsh options it sets (`-setnumber NAME VALUE`). */
  options: [string, number][];
  /** What this Gmsh build must have to run it. */
  needs?: Capability;
}

export const ALGORITHMS_2D = [
  {
    name: 'automatic',
    label: 'Automatic',
    description: "Gmsh's choice per surface (Delaunay on planes, MeshAdapt on curved faces)",
    options: [['Mesh.Algorithm', 2]],
  },
  {
    name: 'meshadapt',
    label: 'MeshAdapt',
    description: 'Local edge swaps and splits: robust on difficult, strongly curved surfaces',
    options: [['Mesh.Algorithm', 1]],
  },
  {
    name: 'delaunay',
    label: 'Delaunay',
    description: 'Fast, good triangles on most surfaces',
    options: [['Mesh.Algorithm', 5]],
  },
  {
    name: 'frontal-delaunay',
    label: 'Frontal-Delaunay',
    description: 'The best-shaped triangles, a little slower',
    options: [['Mesh.Algorithm', 6]],
  },
] as const satisfies readonly AlgorithmEntry[];

export const ALGORITHMS_3D = [
  {
    name: 'delaunay',
    label: 'Delaunay',
    description: "Gmsh's default tetrahedral mesher: robust",
    options: [['Mesh.Algorithm3D', 1]],
  },
  {
    name: 'hxt',
    label: 'HXT',
    description: 'Parallel Delaunay: fast on large parts (not deterministic)',
    options: [['Mesh.Algorithm3D', 10]],
    needs: 'hxt',
  },
  {
    name: 'frontal',
    label: 'Frontal (Netgen)',
    description: "Netgen's advancing front",
    options: [['Mesh.Algorithm3D', 4]],
    needs: 'netgen',
  },
  {
    name: 'mmg3d',
    label: 'MMG3D',
    description: 'Remeshing with Mmg',
    options: [['Mesh.Algorithm3D', 7]],
    needs: 'mmg',
  },
] as const satisfies readonly AlgorithmEntry[];

export const OPTIMIZERS = [
  {
    name: 'default',
    label: "Gmsh's optimiser",
    description: 'Improves the worst tetrahedra after meshing (Gmsh does this by default)',
    options: [['Mesh.Optimize', 1]],
  },
  {
    name: 'none',
    label: 'None',
    description: 'Keeps the mesh as the 3D algorithm made it',
    options: [['Mesh.Optimize', 0]],
  },
  {
    name: 'netgen',
    label: "Gmsh's, then Netgen's",
    description: "Gmsh's optimiser followed by Netgen's",
    options: [
      ['Mesh.Optimize', 1],
      ['Mesh.OptimizeNetgen', 1],
    ],
    needs: 'netgen',
  },
] as const satisfies readonly AlgorithmEntry[];

type Algorithm2D = (typeof ALGORITHMS_2D)[number]['name'];
type Algorithm3D = (typeof ALGORITHMS_3D)[number]['name'];
type Optimizer = (typeof OPTIMIZERS)[number]['name'];

/** The algorithms asked for a job (absent: each attempt's own). */
export interface AlgorithmChoice {
  algorithm2d?: Algorithm2D;
  algorithm3d?: Algorithm3D;
  optimizer?: Optimizer;
}

/** The chosen entries (2D, 3D, optimiser), each with the flag it comes from. */
export function chosenAlgorithms(c: AlgorithmChoice | undefined): { flag: string; entry: AlgorithmEntry }[] {
  const out: { flag: string; entry: AlgorithmEntry }[] = [];
  const add = (flag: string, list: readonly AlgorithmEntry[], name: string | undefined) => {
    const entry = name === undefined ? undefined : list.find((e) => e.name === name);
    if (entry) out.push({ flag, entry });
  };
  add('--algorithm-2d', ALGORITHMS_2D, c?.algorithm2d);
  add('--algorithm-3d', ALGORITHMS_3D, c?.algorithm3d);
  add('--optimizer', OPTIMIZERS, c?.optimizer);
  return out;
}

/** The Gmsh options of a choice, in the order they go on the command line. */
export const algorithmOptions = (c: AlgorithmChoice | undefined): [string, number][] =>
  chosenAlgorithms(c).flatMap((x) => x.entry.options);
