// The viewer's toolbar: quality colouring, isolate-worse-than with zoom to the worst, clipping with flip, edges,
// wireframe, axes triad. One row at 1280 px.
import { METRICS, useStore, type ClipAxis, type Metric } from '../store';
import { fmtNum } from '../format';

export function ViewTools({ onWorst, worst }: { onWorst: () => void; worst: { n: number; worst: number } | null }) {
  const v = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const metric = METRICS.find((m) => m.key === v.colorBy);
  const thrRange = metric ? (metric.key === 'aspectRatio' ? [1, 10, 0.1] : [0, 1, 0.01]) : [0, 1, 0.01];
  const defaultThr = (m: Metric) =>
    m === 'sicn' || m === 'gamma' || m === 'scaledJacobian' ? 0.3 : m === 'aspectRatio' ? 3 : 0.7;
  return (
    <div className="viewtools">
      <label>
        Colour
        <select
          value={v.colorBy}
          data-testid="color-by"
          onChange={(e) => setView({ colorBy: e.target.value as Metric | 'none', threshold: null })}
        >
          <option value="none">none</option>
          {METRICS.map((m) => (
            <option key={m.key} value={m.key}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <label title="Show only the elements worse than the threshold, inner ones included">
        <input
          type="checkbox"
          disabled={!metric}
          checked={v.threshold !== null}
          data-testid="threshold-toggle"
          onChange={(e) => setView({ threshold: e.target.checked && metric ? defaultThr(metric.key) : null })}
        />{' '}
        isolate
        <input
          type="range"
          min={thrRange[0]}
          max={thrRange[1]}
          step={thrRange[2]}
          disabled={v.threshold === null}
          value={v.threshold ?? thrRange[0]}
          data-testid="threshold"
          onChange={(e) => setView({ threshold: Number(e.target.value) })}
        />
        <span className="num">{v.threshold !== null ? v.threshold.toFixed(2) : ''}</span>
      </label>
      <button
        onClick={onWorst}
        data-testid="zoom-worst"
        title={`Zoom to worst: frame the 10 worst elements by ${metric?.label ?? 'SICN'} and turn about them`}
      >
        Worst
      </button>
      {worst && (
        <span className="muted small" data-testid="worst-readout">
          worst {fmtNum(worst.worst)}
        </span>
      )}
      <span className="sep" />
      <label>
        Clip
        <select value={v.clip} data-testid="clip-axis" onChange={(e) => setView({ clip: e.target.value as ClipAxis })}>
          <option value="off">off</option>
          <option value="x">x</option>
          <option value="y">y</option>
          <option value="z">z</option>
        </select>
        <input
          type="range"
          min={0}
          max={1}
          step={0.005}
          value={v.clipPos}
          disabled={v.clip === 'off'}
          data-testid="clip-pos"
          onChange={(e) => setView({ clipPos: Number(e.target.value) })}
        />
      </label>
      <button
        className={v.clipFlip ? 'active' : ''}
        disabled={v.clip === 'off'}
        onClick={() => setView({ clipFlip: !v.clipFlip })}
        data-testid="clip-flip"
        title="Keep the other side of the cut"
      >
        ⇄ flip
      </button>
      <label title="Whole elements: show the tetrahedra the plane crosses whole instead of sliced">
        <input
          type="checkbox"
          checked={v.wholeElements}
          disabled={v.clip === 'off'}
          onChange={(e) => setView({ wholeElements: e.target.checked })}
          data-testid="whole-elements"
        />{' '}
        whole
      </label>
      <span className="sep" />
      <label>
        <input type="checkbox" checked={v.edges} onChange={(e) => setView({ edges: e.target.checked })} /> edges
      </label>
      <label title="Wireframe">
        <input type="checkbox" checked={v.wireframe} onChange={(e) => setView({ wireframe: e.target.checked })} /> wire
      </label>
      <label title="The labelled X/Y/Z triad in the corner">
        <input type="checkbox" checked={v.axes} onChange={(e) => setView({ axes: e.target.checked })} /> axes
      </label>
    </div>
  );
}
