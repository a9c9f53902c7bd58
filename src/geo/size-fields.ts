// Size settings -> the attempt script: global bounds and curvature as Mesh options, local sizes as Gmsh fields
// (Distance + Threshold around a refined face group or body, a constant restricted to a refined body, a ramp around
// each place a repair refines), all combined by a Min field as the background size.
import type { AttemptSizing, FeatureSizing, RepairSpec } from '../contract/attempt';
import { DEFAULT_GROWTH, gmshSizeMax } from '../sizing/size-max';
import type { GeoScript } from './geo-script';

/**
 * The job's sizing, the small-features attempt's sizes at short curves (`features`) and a repair's balls (`repair`),
 * as options and one background field. The last two are in final sizes: divided here by `scale`, the -clscale Gmsh
 * multiplies every size by.
 */
export function addSizing(
  script: GeoScript,
  s: AttemptSizing | undefined,
  features?: { sizing: FeatureSizing; scale: number },
  repair?: { spec: RepairSpec; scale: number },
): void {
  const sizes = s ? addJobSizing(script, s) : [];
  if (features) sizes.push(...addFeatureSizing(script, features.sizing, features.scale));
  if (repair) sizes.push(...addRepairSizing(script, repair.spec, repair.scale));
  if (sizes.length) script.backgroundField(script.field({ kind: 'Min', fields: sizes }));
}

/** Each ball of a repair: its size within its radius, then a linear ramp up to the part's own size. */
function addRepairSizing(script: GeoScript, r: RepairSpec, scale: number): number[] {
  return r.balls.map((b) =>
    script.field({
      kind: 'Ball',
      centre: b.centre,
      radius: b.radius,
      size: b.size / scale,
      slope: r.slope / scale,
      far: r.farSize / scale,
    }),
  );
}

/** Each group of short curves: its size at the curves, growing linearly (slope growth − 1) to the element size. */
function addFeatureSizing(script: GeoScript, f: FeatureSizing, scale: number): number[] {
  return f.curves.map((g) =>
    script.field({
      kind: 'Threshold',
      inField: script.field({ kind: 'Distance', curves: g.tags, samples: g.samples }),
      sizeMin: g.size / scale,
      sizeMax: f.elementSize / scale,
      distMin: 0,
      distMax: (f.elementSize - g.size) / (f.growth - 1),
    }),
  );
}

/** Options for the job's global bounds; the fields of its local sizes, returned for the background Min. */
function addJobSizing(script: GeoScript, s: AttemptSizing): number[] {
  const max = gmshSizeMax(s);
  if (s.sizeMin !== undefined) script.option('Mesh.MeshSizeMin', s.sizeMin);
  if (max !== undefined) script.option('Mesh.MeshSizeMax', max);
  if (s.curvature !== undefined) script.option('Mesh.MeshSizeFromCurvature', s.curvature);
  const sizes: number[] = [];
  for (const l of s.local ?? []) {
    const h = l.size;
    const growth = s.growth ?? DEFAULT_GROWTH;
    // Threshold grows linearly from h at the region to `far`; a slope of (growth - 1) makes each element about
    // `growth` times its neighbour. Without --size-max the ramp simply never ends (other sizes cap it first).
    const far = Math.max(max ?? h * 1000, h);
    // distance from the faces, or from the body's boundary, so the size also grows away from a refined body
    const dist = script.field(
      l.dim === 2 ? { kind: 'Distance', surfaces: l.tags } : { kind: 'Distance', boundaryOfVolumes: l.tags },
    );
    sizes.push(
      script.field({
        kind: 'Threshold',
        inField: dist,
        sizeMin: h,
        sizeMax: far,
        distMin: 0,
        distMax: (far - h) / (growth - 1),
      }),
    );
    // inside the body: h everywhere, not only near its boundary
    if (l.dim === 3)
      sizes.push(
        script.field({ kind: 'Restrict', inField: script.field({ kind: 'Constant', size: h }), volumes: l.tags }),
      );
  }
  return sizes;
}
