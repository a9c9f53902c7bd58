// Quality colours: red is bad, through orange and yellow, to green and blue for good elements.
import type { MeshPayload } from '../../../src/contract/api';
import { metricInfo, type Metric } from '../store';

const STOPS: [number, [number, number, number]][] = [
  [0, [0.86, 0.14, 0.12]],
  [0.3, [0.95, 0.5, 0.12]],
  [0.55, [0.96, 0.84, 0.25]],
  [0.78, [0.45, 0.78, 0.38]],
  [1, [0.2, 0.52, 0.85]],
];

export function colorAt(t: number, out: [number, number, number] | Float32Array = [0, 0, 0], o = 0) {
  const x = t < 0 ? 0 : t > 1 ? 1 : t;
  let i = 1;
  while (i < STOPS.length - 1 && STOPS[i][0] < x) i++;
  const [t0, c0] = STOPS[i - 1];
  const [t1, c1] = STOPS[i];
  const f = (x - t0) / (t1 - t0 || 1);
  out[o] = c0[0] + (c1[0] - c0[0]) * f;
  out[o + 1] = c0[1] + (c1[1] - c0[1]) * f;
  out[o + 2] = c0[2] + (c1[2] - c0[2]) * f;
  return out;
}

export const gradientCss = () =>
  `linear-gradient(to right, ${STOPS.map(([t, c]) => `rgb(${c.map((v) => Math.round(v * 255)).join(',')}) ${t * 100}%`).join(', ')})`;

export interface MetricRange {
  lo: number;
  hi: number;
  higherIsBetter: boolean;
}

/** Colour range of a metric: its fixed ends, or up to the data's 99th percentile (aspect ratio). */
export function metricRange(mesh: MeshPayload, m: Metric): MetricRange {
  const info = metricInfo(m);
  if (info.hi !== null) return { lo: info.lo, hi: info.hi, higherIsBetter: info.higherIsBetter };
  const v = mesh.quality[m] ?? new Float32Array(0);
  const step = Math.max(1, Math.floor(v.length / 20000));
  const sample: number[] = [];
  for (let i = 0; i < v.length; i += step) if (Number.isFinite(v[i])) sample.push(v[i]);
  sample.sort((a, b) => a - b);
  const p99 = sample.length ? sample[Math.floor(sample.length * 0.99)] : 2;
  return { lo: 1, hi: Math.max(1.5, p99), higherIsBetter: false };
}

/** 0 = worst, 1 = best, for colouring. */
export const goodness = (v: number, r: MetricRange) => {
  const t = (v - r.lo) / (r.hi - r.lo);
  return r.higherIsBetter ? t : 1 - t;
};

/** Is `v` worse than the threshold `t`? */
export const worseThan = (v: number, t: number, r: MetricRange) => (r.higherIsBetter ? v < t : v > t);
