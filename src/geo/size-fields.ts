// Size settings -> the attempt script: global bounds and curvature as Mesh options, local sizes as Gmsh fields
// (Distance + Threshold around a refined face group or body, a constant restricted to a refined body), all combined
// by a Min field as the background size.
import type { AttemptSizing } from '../contract/attempt';
import { DEFAULT_GROWTH, gmshSizeMax } from '../sizing/size-max';
import type { GeoScript } from './geo-script';

export function addSizing(script: GeoScript, s: AttemptSizing | undefined): void {
  if (!s) return;
  const max = gmshSizeMax(s);
  if (s.sizeMin !== undefined) script.option('Mesh.MeshSizeMin', s.sizeMin);
  if (max !== undefined) script.option('Mesh.MeshSizeMax', max);
  if (s.curvature !== undefined) script.option('Mesh.MeshSizeFromCurvature', s.curvature);
  const local = s.local ?? [];
  if (local.length === 0) return;
  const sizes: number[] = [];
  for (const l of local) {
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
        distMax: l.reach ?? (far - h) / (growth - 1),
      }),
    );
    // inside the body: h everywhere, not only near its boundary
    if (l.dim === 3)
      sizes.push(
        script.field({ kind: 'Restrict', inField: script.field({ kind: 'Constant', size: h }), volumes: l.tags }),
      );
  }
  script.backgroundField(script.field({ kind: 'Min', fields: sizes }));
}
