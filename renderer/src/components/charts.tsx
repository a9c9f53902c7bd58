// Small hand-drawn SVG charts: phase waterfall and (overlaid) quality histograms.
import type { Histogram, JobResult } from '../../../src/contract/job';
import { fmtMs } from '../format';
import { shownRange } from '../../../src/contract/histogram-bands';

const PHASE_ORDER = ['inspect', 'hash', 'plan', 'prepare', 'attempts', 'collect', 'write', 'store'];
/** Phases measured inside another one (the engine adds them up per name; parallel attempts' phases add up too). */
const CHILDREN: Record<string, string[]> = {
  prepare: ['health', 'upload'],
  attempts: [
    'submit',
    'queue',
    'workerDownload',
    'workerRunner',
    'workerAttempt',
    'mesh',
    'read',
    'quality',
    'workerUpload',
    'repairDownload',
  ],
  workerAttempt: ['mesh', 'read', 'quality'],
  mesh: ['gmsh1d', 'gmsh2d', 'gmsh3d'],
  collect: ['download', 'verify'],
};
const PALETTE = ['#4e8fd6', '#d9824a', '#59a869', '#b65fc2', '#d4b23c', '#4fb5b5', '#c95a6a', '#8c8f96'];

export interface PhaseRow {
  name: string;
  ms: number;
  /** Offset from the job's start, as laid out (children start where their parent starts). */
  start: number;
  depth: number;
}

/**
 * Lays the phases out as a waterfall: top-level phases end to end in job order, each one's sub-phases end to end
 * from its own start (mesh → gmsh 1D/2D/3D, attempts → queue, mesh, read, quality ..., collect → download, verify).
 */
export function layoutPhases(phases: Record<string, number>): PhaseRow[] {
  const names = Object.keys(phases).filter((k) => k !== 'total');
  const nested = new Set<string>();
  const rows: PhaseRow[] = [];
  const place = (name: string, start: number, depth: number) => {
    rows.push({ name, ms: phases[name], start, depth });
    let t = start;
    // workerAttempt, when present, owns mesh/read/quality; otherwise they sit right under attempts.
    const kids = (CHILDREN[name] ?? []).filter(
      (k) =>
        k in phases &&
        !nested.has(k) &&
        !(name === 'attempts' && 'workerAttempt' in phases && CHILDREN.workerAttempt.includes(k)),
    );
    for (const k of kids) {
      nested.add(k);
      place(k, t, depth + 1);
      t += phases[k];
    }
  };
  for (const k of Object.values(CHILDREN).flat()) if (k in phases) nested.add(k);
  const top = names.filter((n) => !nested.has(n)).sort((a, b) => rank(a) - rank(b));
  nested.clear();
  for (const n of top) nested.add(n);
  let t = 0;
  for (const n of top) {
    place(n, t, 0);
    t += phases[n];
  }
  return rows;
}
const rank = (k: string) => {
  const i = PHASE_ORDER.indexOf(k);
  return i < 0 ? 100 : i;
};

/** Phase waterfall. Sub-phases of `attempts` are summed over the attempts (parallel ones add up). */
export function Waterfall({ job, width = 420 }: { job: JobResult; width?: number }) {
  const rows = layoutPhases(job.timings?.phases ?? {});
  const total = job.timings?.totalMs ?? 0;
  const span = Math.max(total, ...rows.map((r) => r.start + r.ms), 1);
  const rowH = 18;
  const labelW = 130;
  const barW = width - labelW - 70;
  if (!rows.length) return <div className="empty small">No timings recorded yet.</div>;
  return (
    <svg
      className="waterfall"
      width={width}
      height={(rows.length + 1) * rowH + 4}
      role="img"
      aria-label="phase waterfall"
    >
      {rows.map((r, i) => {
        const x = labelW + (r.start / span) * barW;
        const w = Math.max(1, Math.min((r.ms / span) * barW, labelW + barW - x));
        return (
          <g key={`${r.name}-${i}`} transform={`translate(0, ${i * rowH})`}>
            <title>
              {r.depth > 0 && r.name !== 'gmsh1d'
                ? `${r.name}: ${fmtMs(r.ms)} (summed over attempts where several ran)`
                : `${r.name}: ${fmtMs(r.ms)}`}
            </title>
            <text x={r.depth * 10} y={13} className="wf-label">
              {r.depth ? '└ ' : ''}
              {r.name}
            </text>
            <rect
              x={x}
              y={3}
              width={w}
              height={rowH - 6}
              rx={2}
              fill={PALETTE[i % PALETTE.length]}
              opacity={r.depth ? 0.75 : 1}
            />
            <text x={Math.min(x + w + 4, width - 66)} y={13} className="wf-value">
              {fmtMs(r.ms)}
            </text>
          </g>
        );
      })}
      <g transform={`translate(0, ${rows.length * rowH})`}>
        <text x={0} y={13} className="wf-label strong">
          total (wall)
        </text>
        <rect
          x={labelW}
          y={3}
          width={Math.max(1, (total / span) * barW)}
          height={rowH - 6}
          rx={2}
          className="wf-total"
        />
        <text x={Math.min(labelW + (total / span) * barW + 4, width - 66)} y={13} className="wf-value strong">
          {fmtMs(total)}
        </text>
      </g>
    </svg>
  );
}

export { fmtMs };

/** One or two histograms of the same metric, overlaid, normalised to fractions so different mesh sizes compare. */
export function HistogramChart({
  series,
  width = 300,
  height = 120,
  title,
}: {
  series: { label: string; h: Histogram | undefined; color: string }[];
  width?: number;
  height?: number;
  title: string;
}) {
  const given = series.filter((s) => s.h && s.h.counts.length);
  if (!given.length) return <div className="empty small">No histogram for {title}.</div>;
  // The axis runs to the bin holding the 99th percentile; rarer values beyond go to one overflow bar at the right.
  const shown = shownRange(given.map((s) => s.h!));
  const overflowFrom = shown[0].overflowFrom;
  const valid = given.map((s, i) => {
    const edges = shown[i].edges;
    // The overflow bar gets the width of an average bin drawn.
    const extra =
      overflowFrom === null
        ? []
        : [edges[edges.length - 1] + (edges[edges.length - 1] - edges[0]) / (edges.length - 1)];
    return { ...s, h: { edges: [...edges, ...extra], counts: shown[i].counts } };
  });
  const lo = Math.min(...valid.map((s) => s.h.edges[0]));
  const hi = Math.max(...valid.map((s) => s.h.edges[s.h.edges.length - 1]));
  const fr = valid.map((s) => {
    const total = s.h.counts.reduce((a, b) => a + b, 0) || 1;
    return s.h.counts.map((c) => c / total);
  });
  const maxF = Math.max(...fr.flat(), 1e-9);
  const padB = 18;
  const x = (v: number) => ((v - lo) / (hi - lo || 1)) * (width - 8) + 4;
  const y = (f: number) => height - padB - (f / maxF) * (height - padB - 14);
  const axisEnd = overflowFrom ?? hi;
  return (
    <svg
      className="histo"
      width={width}
      height={height}
      role="img"
      aria-label={`${title} histogram`}
      data-testid="histogram"
    >
      <text x={4} y={11} className="wf-label strong">
        {title}
      </text>
      {valid.map((s, si) =>
        si === 0 ? (
          <g key={s.label} opacity={0.8}>
            {s.h.counts.map((_, i) => {
              const x0 = x(s.h.edges[i]);
              const x1 = x(s.h.edges[i + 1]);
              const yy = y(fr[si][i]);
              return (
                <rect
                  key={i}
                  x={x0}
                  y={yy}
                  width={Math.max(0.5, x1 - x0 - 0.5)}
                  height={height - padB - yy}
                  fill={s.color}
                />
              );
            })}
          </g>
        ) : (
          // Later series as a step outline over the first, so identical distributions stay readable.
          <path
            key={s.label}
            fill="none"
            stroke={s.color}
            strokeWidth={1.6}
            d={s.h.counts
              .map(
                (_, i) => `${i ? 'L' : 'M'}${x(s.h.edges[i])},${y(fr[si][i])} L${x(s.h.edges[i + 1])},${y(fr[si][i])}`,
              )
              .join(' ')}
          />
        ),
      )}
      <text x={4} y={height - 4} className="wf-value">
        {lo.toFixed(2)}
      </text>
      <text x={width - 4} y={height - 4} textAnchor="end" className="wf-value" data-testid="histo-end">
        {overflowFrom === null ? fmtEdge(axisEnd) : `${fmtEdge(axisEnd)}+`}
      </text>
      {valid.length > 1 &&
        valid.map((s, i) => (
          <text
            key={s.label}
            x={width / 2 + (i - 0.5) * 70}
            y={height - 4}
            style={{ fill: s.color }}
            className="wf-value"
            textAnchor="middle"
          >
            ■ {s.label}
          </text>
        ))}
    </svg>
  );
}

/** Edge labels: two decimals for unit ranges, fewer for large values. */
const fmtEdge = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
