// Numbers for people: no -1.776e-15 for a zero, no 481 ms wrapping over two lines, sizes with a unit that fits.

/** A measured value with about `digits` significant digits; tiny values next to `scale` read as 0. */
export function fmtNum(v: number | null | undefined, digits = 4, scale = 0): string {
  if (v == null || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Math.abs(v) < Math.max(Math.abs(scale) * 1e-9, 1e-12)) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential(Math.max(0, digits - 1)).replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

/** A count with thousands separators. */
export const fmtCount = (n: number | null | undefined) => (n == null ? '—' : Math.round(n).toLocaleString('en-US'));

/** Milliseconds as ms below a second, else seconds (never broken over two lines). */
export const fmtMs = (ms: number | null | undefined) =>
  ms == null
    ? '—'
    : ms >= 10_000
      ? `${(ms / 1000).toFixed(1)}\u00a0s`
      : ms >= 1000
        ? `${(ms / 1000).toFixed(2)}\u00a0s`
        : `${Math.round(ms)}\u00a0ms`;

/** A length with its unit (the part's millimetres unless the job wrote the mesh in another unit). */
export const fmtLen = (v: number | null | undefined, unit = 'mm', digits = 4, scale = 0) =>
  `${fmtNum(v, digits, scale)}\u00a0${unit}`;
