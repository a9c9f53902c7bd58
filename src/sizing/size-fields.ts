// Size settings -> statements of the attempt's .geo script: global bounds and curvature as Mesh options, local sizes
// as Gmsh fields (Distance + Threshold around a refined face group, MathEval restricted to a refined body), all
// combined by a Min field as the background size.
import type { AttemptSizing } from '../contract/attempt';
import { GeoScript, geoList, geoNumber } from '../geo/geo-script';

/** Default ratio between neighbouring element sizes away from a refined region. */
const DEFAULT_GROWTH = 1.3;

/**
 * `--size-max` is a bound on edge lengths, Gmsh's Mesh.MeshSizeMax a target for them: its 3D Delaunay refinement
 * makes edges up to about twice the size (measured 2.0× on Angled.step and bracket.step, up to 2.34× with HXT, whose
 * runs differ). Asking Gmsh for 0.45 of the bound keeps the longest edge within 1.2× of it (1.02-1.10× measured on
 * Angled, t20_data and wrenchnut with Delaunay and with repeated HXT runs).
 */
const SIZE_MAX_TO_GMSH = 0.45;

/** The Mesh.MeshSizeMax Gmsh gets: 0.45 of --size-max, or the target-count size, whichever is smaller. */
export function gmshSizeMax(s: AttemptSizing): number | undefined {
  const bound = s.sizeMax !== undefined ? s.sizeMax * SIZE_MAX_TO_GMSH : undefined;
  if (s.meshSize === undefined) return bound;
  return bound === undefined ? s.meshSize : Math.min(bound, s.meshSize);
}

export function addSizing(script: GeoScript, s: AttemptSizing | undefined): void {
  if (!s) return;
  const max = gmshSizeMax(s);
  if (s.sizeMin !== undefined) script.option('Mesh.MeshSizeMin', s.sizeMin);
  if (max !== undefined) script.option('Mesh.MeshSizeMax', max);
  if (s.curvature !== undefined) script.option('Mesh.MeshSizeFromCurvature', s.curvature);
  const local = s.local ?? [];
  if (local.length === 0) return;
  let id = 0;
  const sizes: number[] = [];
  for (const l of local) {
    const h = l.size;
    const growth = s.growth ?? DEFAULT_GROWTH;
    // Threshold grows linearly from h at the region to `far`; a slope of (growth - 1) makes each element about
    // `growth` times its neighbour. Without --size-max the ramp simply never ends (other sizes cap it first).
    const far = Math.max(max ?? h * 1000, h);
    const dist = ++id;
    if (l.dim === 2)
      script
        .add('fields', `Field[${dist}] = Distance`)
        .add('fields', `Field[${dist}].SurfacesList = ${geoList(l.tags)}`);
    else {
      // distance from the body's boundary, so the size also grows away from a refined body
      script
        .add('fields', `mbSz${dist}[] = Abs(Boundary{Volume${geoList(l.tags)};})`)
        .add('fields', `Field[${dist}] = Distance`)
        .add('fields', `Field[${dist}].SurfacesList = {mbSz${dist}[]}`);
    }
    const thr = ++id;
    script
      .add('fields', `Field[${thr}] = Threshold`)
      .add('fields', `Field[${thr}].InField = ${dist}`)
      .add('fields', `Field[${thr}].SizeMin = ${geoNumber(h)}`)
      .add('fields', `Field[${thr}].SizeMax = ${geoNumber(far)}`)
      .add('fields', `Field[${thr}].DistMin = 0`)
      .add('fields', `Field[${thr}].DistMax = ${geoNumber(l.reach ?? (far - h) / (growth - 1))}`);
    sizes.push(thr);
    if (l.dim === 3) {
      // inside the body: h everywhere, not only near its boundary
      const val = ++id;
      const res = ++id;
      script
        .add('fields', `Field[${val}] = MathEval`)
        .add('fields', `Field[${val}].F = "${geoNumber(h)}"`)
        .add('fields', `Field[${res}] = Restrict`)
        .add('fields', `Field[${res}].InField = ${val}`)
        .add('fields', `Field[${res}].VolumesList = ${geoList(l.tags)}`)
        .add('fields', `Field[${res}].SurfacesList = {mbSz${dist}[]}`);
      sizes.push(res);
    }
  }
  const min = id + 1;
  script
    .add('fields', `Field[${min}] = Min`)
    .add('fields', `Field[${min}].FieldsList = ${geoList(sizes)}`)
    .add('fields', `Background Field = ${min}`);
}
