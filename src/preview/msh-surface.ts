// Reads the triangles of a small Gmsh msh 4.1 ASCII file (the coarse preview mesh) into typed arrays.
// The preview mesh is tens of kilobytes, so a direct text parse here is faster than handing it to the off-thread
// volume reader; full meshes go through src/mesh/.

export interface SurfaceMesh {
  entities: { points: number; curves: number; surfaces: number; volumes: number };
  positions: Float32Array;
  indices: Uint32Array;
  surfaceTags: Int32Array;
  bbox: { min: [number, number, number]; max: [number, number, number] };
}

export function parseMshSurface(text: string, file = 'mesh'): SurfaceMesh {
  const lines = text.split('\n');
  let i = 0;
  const next = () => {
    if (i >= lines.length) throw new Error(`${file}: unexpected end of file`);
    return lines[i++].trim();
  };
  let entities = { points: 0, curves: 0, surfaces: 0, volumes: 0 };
  let xyz: number[] = [];
  const tagToIndex = new Map<number, number>();
  const tri: number[] = [];
  const triTag: number[] = [];
  let sawFormat = false;

  while (i < lines.length) {
    const line = lines[i++].trim();
    if (line === '$MeshFormat') {
      const [version, binary] = next().split(/\s+/);
      if (!version.startsWith('4.')) throw new Error(`${file}: msh version ${version}, expected 4.1`);
      if (binary !== '0') throw new Error(`${file}: binary msh, expected ASCII`);
      sawFormat = true;
    } else if (line === '$Entities') {
      const [p, c, s, v] = next().split(/\s+/).map(Number);
      entities = { points: p, curves: c, surfaces: s, volumes: v };
    } else if (line === '$Nodes') {
      const [blocks] = next().split(/\s+/).map(Number);
      xyz = [];
      for (let b = 0; b < blocks; b++) {
        const [, , parametric, n] = next().split(/\s+/).map(Number);
        const tags = new Array<number>(n);
        for (let k = 0; k < n; k++) tags[k] = Number(next());
        for (let k = 0; k < n; k++) {
          const c = next().split(/\s+/);
          tagToIndex.set(tags[k], xyz.length / 3);
          xyz.push(Number(c[0]), Number(c[1]), Number(c[2]));
          void parametric;
        }
      }
    } else if (line === '$Elements') {
      const [blocks] = next().split(/\s+/).map(Number);
      for (let b = 0; b < blocks; b++) {
        const [dim, tag, type, n] = next().split(/\s+/).map(Number);
        for (let k = 0; k < n; k++) {
          const row = next();
          // Type 2: 3-node triangle; type 9: 6-node triangle (use its corners).
          if (dim === 2 && (type === 2 || type === 9)) {
            const f = row.split(/\s+/);
            for (let j = 1; j <= 3; j++) {
              const idx = tagToIndex.get(Number(f[j]));
              if (idx === undefined) throw new Error(`${file}: triangle refers to unknown node ${f[j]}`);
              tri.push(idx);
            }
            triTag.push(tag);
          }
        }
      }
    }
  }
  if (!sawFormat) throw new Error(`${file}: not a Gmsh msh file`);

  const positions = new Float32Array(xyz);
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let k = 0; k < xyz.length; k += 3) {
    for (let a = 0; a < 3; a++) {
      if (xyz[k + a] < min[a]) min[a] = xyz[k + a];
      if (xyz[k + a] > max[a]) max[a] = xyz[k + a];
    }
  }
  if (!xyz.length) {
    min.fill(0);
    max.fill(0);
  }
  return { entities, positions, indices: new Uint32Array(tri), surfaceTags: new Int32Array(triTag), bbox: { min, max } };
}
