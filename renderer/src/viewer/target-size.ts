// The preview coloured by target size, before meshing: per preview triangle, the size the settings ask for there.
// Local sizes hold on their faces (a body's: all its faces) and grow away from them by the growth ratio, the same
// linear ramp the engine's Threshold fields give Gmsh; elsewhere --size-max (or a tenth of the part's diagonal).
import type { PartPreview } from '../../../src/contract/api';
import type { SizingSettings, UserGroup } from '../../../src/contract/job';
import { parseSizeTarget } from '../../../src/contract/size-target';

export interface PreviewSizes {
  /** Target size per preview triangle. */
  sizes: Float32Array;
  min: number;
  max: number;
}

/** Null when the settings ask for no size that varies over the part (nothing worth colouring). */
export function previewTargetSizes(
  p: PartPreview,
  s: SizingSettings | undefined,
  groups: readonly UserGroup[] = [],
): PreviewSizes | null {
  if (!s || (!s.local?.length && s.sizeMax === undefined)) return null;
  const n = p.indices.length / 3;
  const cx = new Float64Array(n),
    cy = new Float64Array(n),
    cz = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let x = 0,
      y = 0,
      z = 0;
    for (let k = 0; k < 3; k++) {
      const v = 3 * p.indices[3 * t + k];
      x += p.positions[v];
      y += p.positions[v + 1];
      z += p.positions[v + 2];
    }
    cx[t] = x / 3;
    cy[t] = y / 3;
    cz[t] = z / 3;
  }
  const diag = Math.hypot(...p.bbox.max.map((v, i) => v - p.bbox.min[i]));
  const base = s.sizeMax ?? diag / 10;
  const growth = s.growth ?? 1.3;
  const sizes = new Float32Array(n).fill(base);
  for (const l of s.local ?? []) {
    const target = parseSizeTarget(l.target, groups);
    if (!target) continue;
    const faces = new Set(
      target.dim === 2
        ? target.tags
        : (p.bodies ?? []).filter((b) => target.tags.includes(b.tag)).flatMap((b) => b.faces),
    );
    const region: number[] = [];
    for (let t = 0; t < n; t++) if (faces.has(p.surfaceTags[t])) region.push(t);
    if (region.length === 0) continue;
    for (let t = 0; t < n; t++) {
      let d2 = Infinity;
      if (!faces.has(p.surfaceTags[t]))
        for (const r of region) {
          const dx = cx[t] - cx[r],
            dy = cy[t] - cy[r],
            dz = cz[t] - cz[r];
          const e = dx * dx + dy * dy + dz * dz;
          if (e < d2) d2 = e;
        }
      const h = faces.has(p.surfaceTags[t]) ? l.size : l.size + (growth - 1) * Math.sqrt(d2);
      if (h < sizes[t]) sizes[t] = h;
    }
  }
  let min = Infinity;
  let max = -Infinity;
  for (let t = 0; t < n; t++) {
    if (s.sizeMin !== undefined && sizes[t] < s.sizeMin) sizes[t] = s.sizeMin;
    if (sizes[t] < min) min = sizes[t];
    if (sizes[t] > max) max = sizes[t];
  }
  return { sizes, min, max };
}

/** 0 (finest, drawn red) .. 1 (coarsest, blue) on a log scale. */
export function sizeShade(h: number, min: number, max: number): number {
  return max > min ? Math.log(h / min) / Math.log(max / min) : 1;
}
