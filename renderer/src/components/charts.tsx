// Small hand-drawn SVG charts: phase waterfall and (overlaid) quality histograms.
import type { Histogram, JobResult } from '../../../src/contract/job';

const PHASE_ORDER = ['inspect', 'hash', 'plan', 'prepare', 'upload', 'submit', 'queue', 'worker-download', 'download-input', 'mesh', 'read', 'quality', 'worker-upload', 'download', 'verify', 'write', 'store'];
const PALETTE = ['#4e8fd6', '#d9824a', '#59a869', '#b65fc2', '#d4b23c', '#4fb5b5', '#c95a6a', '#8c8f96'];

export function orderedPhases(phases: Record<string, number>): [string, number][] {
  const entries = Object.entries(phases).filter(([k]) => k !== 'total');
  return entries.sort((a, b) => rank(a[0]) - rank(b[0]));
}
const rank = (k: string) => {
  const i = PHASE_ORDER.indexOf(k);
  return i < 0 ? 100 : i;
};

/** Phases laid end to end (parallel attempts' phases add up, so the sum can exceed the wall total). */
export function Waterfall({ job, width = 420 }: { job: JobResult; width?: number }) {
  const phases = orderedPhases(job.timings?.phases ?? {});
  const total = job.timings?.totalMs ?? 0;
  const sum = phases.reduce((a, [, v]) => a + v, 0);
  const span = Math.max(total, sum, 1);
  const rowH = 18;
  const labelW = 120;
  const barW = width - labelW - 70;
  let t = 0;
  if (!phases.length) return <div className="empty small">No timings recorded yet.</div>;
  return (
    <svg className="waterfall" width={width} height={(phases.length + 1) * rowH + 4} role="img" aria-label="phase waterfall">
      {phases.map(([name, ms], i) => {
        const x = labelW + (t / span) * barW;
        const w = Math.max(1, (ms / span) * barW);
        t += ms;
        return (
          <g key={name} transform={`translate(0, ${i * rowH})`}>
            <text x={0} y={13} className="wf-label">{name}</text>
            <rect x={x} y={3} width={w} height={rowH - 6} rx={2} fill={PALETTE[i % PALETTE.length]} />
            <text x={Math.min(x + w + 4, width - 66)} y={13} className="wf-value">{fmtMs(ms)}</text>
          </g>
        );
      })}
      <g transform={`translate(0, ${phases.length * rowH})`}>
        <text x={0} y={13} className="wf-label strong">total (wall)</text>
        <rect x={labelW} y={3} width={Math.max(1, (total / span) * barW)} height={rowH - 6} rx={2} className="wf-total" />
        <text x={Math.min(labelW + (total / span) * barW + 4, width - 66)} y={13} className="wf-value strong">{fmtMs(total)}</text>
      </g>
    </svg>
  );
}

export const fmtMs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

/** One or two histograms of the same metric, overlaid, normalised to fractions so different mesh sizes compare. */
export function HistogramChart({ series, width = 300, height = 120, title }: { series: { label: string; h: Histogram | undefined; color: string }[]; width?: number; height?: number; title: string }) {
  const valid = series.filter((s) => s.h && s.h.counts.length);
  if (!valid.length) return <div className="empty small">No histogram for {title}.</div>;
  const lo = Math.min(...valid.map((s) => s.h!.edges[0]));
  const hi = Math.max(...valid.map((s) => s.h!.edges[s.h!.edges.length - 1]));
  const fr = valid.map((s) => {
    const total = s.h!.counts.reduce((a, b) => a + b, 0) || 1;
    return s.h!.counts.map((c) => c / total);
  });
  const maxF = Math.max(...fr.flat(), 1e-9);
  const padB = 18;
  const x = (v: number) => ((v - lo) / (hi - lo || 1)) * (width - 8) + 4;
  const y = (f: number) => height - padB - (f / maxF) * (height - padB - 14);
  return (
    <svg className="histo" width={width} height={height} role="img" aria-label={`${title} histogram`}>
      <text x={4} y={11} className="wf-label strong">{title}</text>
      {valid.map((s, si) => (
        <g key={s.label} opacity={valid.length > 1 ? 0.55 : 0.85}>
          {s.h!.counts.map((_, i) => {
            const x0 = x(s.h!.edges[i]);
            const x1 = x(s.h!.edges[i + 1]);
            const yy = y(fr[si][i]);
            return <rect key={i} x={x0} y={yy} width={Math.max(0.5, x1 - x0 - 0.5)} height={height - padB - yy} fill={s.color} />;
          })}
        </g>
      ))}
      <text x={4} y={height - 4} className="wf-value">{lo.toFixed(2)}</text>
      <text x={width - 4} y={height - 4} textAnchor="end" className="wf-value">{hi.toFixed(2)}</text>
      {valid.length > 1 &&
        valid.map((s, i) => (
          <text key={s.label} x={width / 2 + (i - 0.5) * 70} y={height - 4} fill={s.color} className="wf-value" textAnchor="middle">■ {s.label}</text>
        ))}
    </svg>
  );
}
