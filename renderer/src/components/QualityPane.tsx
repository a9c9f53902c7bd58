// The selected job's quality at a glance, beside the log: the histogram of the metric on screen (SICN unless another
// colours the mesh), each band with its count, the job's target marked, and a click on a band shows just those
// elements in the viewer (click it again for all). The bands are the quality report's own bins, as `meshbench show`
// prints them.
import type { JobResult } from '../../../src/contract/job';
import { qualityBands, type Band } from '../../../src/contract/histogram-bands';
import { metricTarget } from '../../../src/contract/targets';
import { METRICS, metricInfo, useStore, type Metric } from '../store';
import { colorAt } from '../viewer/colormap';
import { fmtCount, fmtNum } from '../format';

const W = 296;
const H = 128;
const PAD_B = 16;
const PAD_T = 14;

/** The band a view's isolate band stands for, by the band's index (the first and last are open-ended). */
const bandRange = (bands: Band[], i: number) => ({
  lo: i === 0 ? null : bands[i].lo,
  hi: i === bands.length - 1 ? null : bands[i].hi,
});

const fmtEdge = (v: number) => String(Number(v.toPrecision(3)));

export function QualityPane({ job }: { job: JobResult }) {
  const view = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const q = job.quality;
  const metric: Metric = view.colorBy === 'none' ? 'sicn' : view.colorBy;
  const info = metricInfo(metric);
  const stats = q?.[metric];
  const metrics = METRICS.filter((m) => q?.[m.key]);
  if (!q || !stats)
    return (
      <aside className="quality-pane" data-testid="quality-pane">
        <h4>Quality</h4>
        <div className="muted small">
          {q ? `No ${info.label} for this mesh.` : 'The quality report comes with the mesh.'}
        </div>
      </aside>
    );
  const bands = qualityBands(stats.histogram, 10);
  const total = bands.reduce((a, b) => a + b.count, 0) || 1;
  const max = Math.max(...bands.map((b) => b.count), 1);
  const target = metricTarget(metric, job.settings.targets);
  const bw = (W - 8) / bands.length;
  const x0 = 4;
  const y = (c: number) => H - PAD_B - (c / max) * (H - PAD_B - PAD_T);
  // The target's place on the axis: inside its band, in proportion (bands are drawn at equal widths).
  const targetX = (() => {
    if (!target) return null;
    const i = bands.findIndex((b) => b.hi === null || target.value < b.hi);
    if (i < 0) return x0 + bands.length * bw;
    const b = bands[i];
    const f = b.hi === null ? 0 : Math.max(0, Math.min(1, (target.value - b.lo) / (b.hi - b.lo)));
    return x0 + (i + f) * bw;
  })();
  const active = (i: number) => {
    const r = bandRange(bands, i);
    return view.colorBy === metric && view.band?.lo === r.lo && view.band?.hi === r.hi;
  };
  const pick = (i: number) =>
    setView(active(i) ? { band: null } : { colorBy: metric, band: bandRange(bands, i), threshold: null });
  // Bars in the viewer's colours: the band's middle on the metric's scale (aspect ratio: up to the last band).
  const top = info.hi ?? bands[bands.length - 1].hi ?? bands[bands.length - 1].lo;
  const colour = (b: Band) => {
    const mid = b.hi === null ? b.lo : (b.lo + b.hi) / 2;
    const t = (mid - info.lo) / (top - info.lo || 1);
    const [r, g, bl] = colorAt(info.higherIsBetter ? t : 1 - t);
    return `rgb(${Math.round(r * 255)},${Math.round(g * 255)},${Math.round(bl * 255)})`;
  };
  return (
    <aside className="quality-pane" data-testid="quality-pane">
      <div className="quality-head">
        <select
          value={metric}
          onChange={(e) => setView({ colorBy: e.target.value as Metric, threshold: null, band: null })}
          data-testid="histo-metric"
          title="The quality measure shown here and colouring the mesh"
        >
          {metrics.map((m) => (
            <option key={m.key} value={m.key}>
              {m.label}
            </option>
          ))}
        </select>
        <span
          className="muted small ellipsis"
          data-testid="histo-summary"
          title={`${fmtCount(q.elements)} tetrahedra; ${info.label} min ${fmtNum(stats.min, 4)}, mean ${fmtNum(stats.avg, 4)}, max ${fmtNum(stats.max, 4)}`}
        >
          {fmtCount(q.elements)} tets · min {fmtNum(stats.min, 3)}
          {info.unit} · max {fmtNum(stats.max, 3)}
          {info.unit}
          {target ? ` · target ${target.kind === 'min' ? '≥' : '≤'} ${target.value}${info.unit}` : ''}
        </span>
      </div>
      <svg
        className="histo quality-histo"
        width={W}
        height={H}
        role="img"
        aria-label={`${info.label} histogram of the selected job`}
        data-testid="job-histogram"
      >
        {bands.map((b, i) => {
          const yy = y(b.count);
          const label = `${b.hi === null ? `≥ ${fmtEdge(b.lo)}` : `${fmtEdge(b.lo)}–${fmtEdge(b.hi)}`}${info.unit}`;
          return (
            <g
              key={i}
              className={`histo-band ${active(i) ? 'active' : ''}`}
              onClick={() => pick(i)}
              data-testid={`histo-band-${i}`}
              data-count={b.count}
            >
              <title>
                {label}: {fmtCount(b.count)} tets ({((b.count / total) * 100).toFixed(1)} %). Click to show only them.
              </title>
              {/* the whole column takes the click, not only the bar */}
              <rect x={x0 + i * bw} y={PAD_T} width={bw} height={H - PAD_B - PAD_T} className="histo-hit" />
              <rect
                x={x0 + i * bw + 1}
                y={yy}
                width={Math.max(1, bw - 2)}
                height={Math.max(b.count ? 1 : 0, H - PAD_B - yy)}
                fill={colour(b)}
              />
              <text x={x0 + (i + 0.5) * bw} y={yy - 2} textAnchor="middle" className="wf-value histo-count">
                {b.count ? fmtCount(b.count) : ''}
              </text>
            </g>
          );
        })}
        {targetX !== null && target && (
          <g data-testid="histo-target">
            <line x1={targetX} x2={targetX} y1={PAD_T - 4} y2={H - PAD_B} className="histo-target" />
            <text
              x={targetX + (targetX > W - 60 ? -3 : 3)}
              y={PAD_T - 5}
              textAnchor={targetX > W - 60 ? 'end' : 'start'}
              className="wf-value histo-target-label"
            >
              target {target.kind === 'min' ? '≥' : '≤'} {target.value}
            </text>
          </g>
        )}
        {bands.map((b, i) =>
          i % Math.ceil(bands.length / 5) === 0 ? (
            <text key={`e${i}`} x={x0 + i * bw} y={H - 4} className="wf-value">
              {fmtEdge(b.lo)}
            </text>
          ) : null,
        )}
        <text x={W - 2} y={H - 4} textAnchor="end" className="wf-value">
          {bands[bands.length - 1].hi === null
            ? `${fmtEdge(bands[bands.length - 1].lo)}+`
            : fmtEdge(bands[bands.length - 1].hi!)}
        </text>
      </svg>
    </aside>
  );
}
