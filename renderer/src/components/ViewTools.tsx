// The viewer's toolbar: quality colouring, isolate-worse-than, Worst (the ten worst marked, one framed), clipping with
// flip, edges, wireframe, axes triad. One row at 1280 px that never scrolls: the readouts live in the viewer. Each
// tool that cannot act yet says why.
import { METRICS, metricInfo, useStore, type ClipAxis, type Metric } from '../store';

export function ViewTools({
  onWorst,
  hasPart,
  hasMetrics,
  quadratic,
}: {
  onWorst: () => void;
  /** Something is shown (a part or a mesh): clipping and display options apply. */
  hasPart: boolean;
  /** A mesh with its per-element quality is shown: colouring, isolate and Worst apply. */
  hasMetrics: boolean;
  /** The mesh is quadratic (the scaled Jacobian exists). */
  quadratic: boolean;
}) {
  const v = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const metric = v.colorBy === 'none' ? null : metricInfo(v.colorBy);
  const noPart = 'Open a part first';
  const noMesh = hasPart ? 'Run the part: colouring by quality needs a mesh' : noPart;
  const colourWhy = !hasMetrics ? noMesh : null;
  const isolateWhy = colourWhy ?? (metric ? null : 'Choose a quality to colour by first');
  const clipWhy = hasPart ? null : noPart;
  const cutWhy = clipWhy ?? (v.clip === 'off' ? 'Choose a clip axis first' : null);
  return (
    <div className="viewtools" data-testid="view-tools">
      <label title={colourWhy ?? 'Colour the elements by a quality measure'}>
        Colour
        <select
          value={v.colorBy}
          data-testid="color-by"
          disabled={!!colourWhy}
          onChange={(e) => setView({ colorBy: e.target.value as Metric | 'none', threshold: null, band: null })}
        >
          <option value="none">none</option>
          {METRICS.filter((m) => m.key !== 'scaledJacobian' || quadratic).map((m) => (
            <option key={m.key} value={m.key}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <label title={isolateWhy ?? 'Show only the elements worse than the threshold, inner ones included'}>
        <input
          type="checkbox"
          disabled={!!isolateWhy}
          checked={v.threshold !== null}
          data-testid="threshold-toggle"
          onChange={(e) => setView({ threshold: e.target.checked && metric ? metric.isolateAt : null, band: null })}
        />{' '}
        isolate
        <input
          type="range"
          min={metric?.lo ?? 0}
          max={metric ? (metric.hi ?? metric.sliderHi) : 1}
          step={metric?.step ?? 0.01}
          disabled={v.threshold === null}
          value={v.threshold ?? metric?.lo ?? 0}
          data-testid="threshold"
          onChange={(e) => setView({ threshold: Number(e.target.value), band: null })}
        />
        <span className="num">{v.threshold !== null ? v.threshold.toFixed(2) : ''}</span>
      </label>
      <button
        onClick={onWorst}
        disabled={!hasMetrics}
        data-testid="zoom-worst"
        title={
          hasMetrics
            ? `Mark the 10 worst elements by ${metric?.label ?? 'SICN'} (of the isolated ones, on the kept side of a cut) and frame them one by one`
            : noMesh
        }
      >
        Worst
      </button>
      <span className="sep" />
      <label title={clipWhy ?? 'Cut the part with a plane across an axis'}>
        Clip
        <select
          value={v.clip}
          data-testid="clip-axis"
          disabled={!!clipWhy}
          onChange={(e) => setView({ clip: e.target.value as ClipAxis })}
        >
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
          disabled={!!cutWhy}
          data-testid="clip-pos"
          onChange={(e) => setView({ clipPos: Number(e.target.value) })}
        />
      </label>
      <button
        className={v.clipFlip ? 'active' : ''}
        disabled={!!cutWhy}
        onClick={() => setView({ clipFlip: !v.clipFlip })}
        data-testid="clip-flip"
        title={cutWhy ?? 'Keep the other side of the cut'}
      >
        ⇄ flip
      </button>
      <label title={cutWhy ?? 'Whole elements: show the tetrahedra the plane crosses whole instead of sliced'}>
        <input
          type="checkbox"
          checked={v.wholeElements}
          disabled={!!cutWhy}
          onChange={(e) => setView({ wholeElements: e.target.checked })}
          data-testid="whole-elements"
        />{' '}
        whole
      </label>
      <span className="sep" />
      <label title={clipWhy ?? "The part's edges (a mesh's element edges too)"}>
        <input
          type="checkbox"
          checked={v.edges}
          disabled={!!clipWhy}
          onChange={(e) => setView({ edges: e.target.checked })}
        />{' '}
        edges
      </label>
      <label title={clipWhy ?? 'Wireframe'}>
        <input
          type="checkbox"
          checked={v.wireframe}
          disabled={!!clipWhy}
          onChange={(e) => setView({ wireframe: e.target.checked })}
        />{' '}
        wire
      </label>
      <label title={clipWhy ?? 'The labelled X/Y/Z triad in the corner'}>
        <input
          type="checkbox"
          checked={v.axes}
          disabled={!!clipWhy}
          onChange={(e) => setView({ axes: e.target.checked })}
        />{' '}
        axes
      </label>
    </div>
  );
}
