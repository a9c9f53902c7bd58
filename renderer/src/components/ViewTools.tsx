// The viewer's toolbar: quality colouring, isolate-worse-than, clipping, edges, wireframe, axes, fit.
import { METRICS, useStore, type ClipAxis, type Metric } from '../store';

export function ViewTools({ onFit }: { onFit: () => void }) {
  const v = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const metric = METRICS.find((m) => m.key === v.colorBy);
  const thrRange = metric ? (metric.key === 'aspectRatio' ? [1, 10, 0.1] : [0, 1, 0.01]) : [0, 1, 0.01];
  const defaultThr = (m: Metric) => (m === 'sicn' || m === 'gamma' || m === 'scaledJacobian' ? 0.3 : m === 'aspectRatio' ? 3 : 0.7);
  return (
    <div className="viewtools">
      <label>Colour
        <select value={v.colorBy} data-testid="color-by" onChange={(e) => setView({ colorBy: e.target.value as Metric | 'none', threshold: null })}>
          <option value="none">none</option>
          {METRICS.map((m) => <option key={m.key} value={m.key}>{m.label}</option>)}
        </select>
      </label>
      <label title="Show only the elements worse than the threshold, inner ones included">
        <input type="checkbox" disabled={!metric} checked={v.threshold !== null} data-testid="threshold-toggle"
          onChange={(e) => setView({ threshold: e.target.checked && metric ? defaultThr(metric.key) : null })} /> isolate worse than
        <input type="range" min={thrRange[0]} max={thrRange[1]} step={thrRange[2]} disabled={v.threshold === null} value={v.threshold ?? thrRange[0]}
          data-testid="threshold" onChange={(e) => setView({ threshold: Number(e.target.value) })} />
        <span className="num">{v.threshold !== null ? v.threshold.toFixed(2) : ''}</span>
      </label>
      <span className="sep" />
      <label>Clip
        <select value={v.clip} data-testid="clip-axis" onChange={(e) => setView({ clip: e.target.value as ClipAxis })}>
          <option value="off">off</option><option value="x">x</option><option value="y">y</option><option value="z">z</option>
        </select>
        <input type="range" min={0} max={1} step={0.005} value={v.clipPos} disabled={v.clip === 'off'} data-testid="clip-pos" onChange={(e) => setView({ clipPos: Number(e.target.value) })} />
      </label>
      <label title="Show the tetrahedra the plane crosses, whole"><input type="checkbox" checked={v.wholeElements} disabled={v.clip === 'off'} onChange={(e) => setView({ wholeElements: e.target.checked })} data-testid="whole-elements" /> whole elements</label>
      <span className="sep" />
      <label><input type="checkbox" checked={v.edges} onChange={(e) => setView({ edges: e.target.checked })} /> edges</label>
      <label><input type="checkbox" checked={v.wireframe} onChange={(e) => setView({ wireframe: e.target.checked })} /> wireframe</label>
      <label><input type="checkbox" checked={v.axes} onChange={(e) => setView({ axes: e.target.checked })} /> axes</label>
      <button onClick={onFit} title="Fit (F)" data-testid="fit">Fit</button>
    </div>
  );
}
