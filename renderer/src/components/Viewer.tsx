// React wrapper around MeshScene: canvas, legend, and the frame timings (User Timing entries, see ../timing).
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { HOVER_SMALL_FACE_MAX_TRIANGLES, MeshScene, type CameraSync, type Source } from '../viewer/scene';
import type { StandardView } from '../viewer/navigation';
import { drawTriad } from '../viewer/triad';

import { gradientCss, type MetricRange } from '../viewer/colormap';
import { metricInfo, useStore, type Metric, type ViewOptions } from '../store';
import { markOnce, measureOnce } from '../timing';
import { fmtCount, fmtLen, fmtNum } from '../format';

/** What the view buttons and keys ask of a viewer. */
export type ViewCommand = 'fit' | 'worst' | StandardView;
export const VIEW_BUTTONS: { v: StandardView; label: string; key: string }[] = [
  { v: 'iso', label: 'Iso', key: '0' },
  { v: 'front', label: 'Front', key: '1' },
  { v: 'top', label: 'Top', key: '2' },
  { v: 'right', label: 'Right', key: '3' },
  { v: 'back', label: 'Back', key: '4' },
  { v: 'bottom', label: 'Bottom', key: '5' },
  { v: 'left', label: 'Left', key: '6' },
];

export function Viewer(props: {
  source: Source | null;
  view: ViewOptions;
  sync?: CameraSync;
  /** A command for this viewer; a new object each time it is given. */
  command?: { cmd: ViewCommand } | null;
  testId?: string;
  /** The unit of the coordinates shown (the part's, or the unit the mesh was written in). */
  unit?: string;
  /** What an empty viewer says (default: how to open a part). */
  placeholder?: string;
  /** A click (not a drag) on the part preview: the CAD face under it, or null for empty space; shift held. */
  onPickFace?: (tag: number | null, add: boolean) => void;
  /** The face under the cursor as it moves (null: none), when faces can be picked. */
  onHoverFace?: (tag: number | null) => void;
  /** Box selection armed: the next drag draws a box and picks the faces seen in it (shift: added). */
  boxSelect?: boolean;
  onBox?: (tags: number[], add: boolean) => void;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const triadRef = useRef<SVGSVGElement>(null);
  const sceneRef = useRef<MeshScene | null>(null);
  const theme = useStore((s) => s.theme);
  const [range, setRange] = useState<MetricRange | null>(null);
  const [cut, setCut] = useState<{ isolated: number | null; clipAt: number }>({ isolated: null, clipAt: NaN });
  const [error, setError] = useState<string | null>(null);
  const downRef = useRef<{ x: number; y: number } | null>(null);
  const pickRef = useRef(props.onPickFace);
  pickRef.current = props.onPickFace;
  const hoverRef = useRef(props.onHoverFace);
  hoverRef.current = props.onHoverFace;
  const hoverFrame = useRef(0);
  const idRef = useRef(props.testId);
  const [box, setBox] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const [worst, setWorst] = useState<{ metric: Metric; at: number; n: number; value: number } | null>(null);

  // Layout effects throughout: the scene exists, and a new source is drawn, before the browser paints the React
  // update (one whole-page composite fewer between a payload's arrival and its first frame on software GL).
  useLayoutEffect(() => {
    let scene: MeshScene;
    try {
      scene = new MeshScene(canvasRef.current!);
    } catch (e) {
      setError(`3D view unavailable: ${(e as Error).message}. WebGL may be disabled in this browser.`);
      return;
    }
    sceneRef.current = scene;
    scene.onRendered = () => {
      if (triadRef.current) drawTriad(triadRef.current, scene.camera);
    };
    scene.onSourceShown = (src) => {
      if (src.kind === 'mesh') markOnce('shown', src.mesh.jobId);
      if (__MESHBENCH_E2E__)
        canvasRef.current?.setAttribute('data-shown', src.kind === 'mesh' ? src.mesh.jobId : 'preview');
    };
    scene.onWorstCleared = () => setWorst(null);
    if (__MESHBENCH_E2E__) {
      // What the browser tests read: the scene of each viewer (how it drew the part, where a face shows).
      const probes = ((window as { __meshbenchViewers?: Record<string, MeshScene> }).__meshbenchViewers ??= {});
      probes[idRef.current ?? 'viewer-canvas'] = scene;
    }
    const ro = new ResizeObserver(() => {
      const b = boxRef.current!.getBoundingClientRect();
      scene.resize(b.width, b.height);
    });
    ro.observe(boxRef.current!);
    return () => {
      ro.disconnect();
      scene.dispose();
      sceneRef.current = null;
    };
  }, []);

  useLayoutEffect(() => {
    sceneRef.current?.setSync(props.sync ?? null);
  }, [props.sync]);

  // Box selection takes the left drag from the camera while it is armed.
  useEffect(() => {
    const s = sceneRef.current;
    if (s) s.nav.controls.enabled = !props.boxSelect;
  }, [props.boxSelect]);

  useEffect(() => {
    // The theme attribute is set by the App's effect, which runs after this child's: read the colour a frame later.
    const f = requestAnimationFrame(() => {
      const bg = getComputedStyle(document.documentElement).getPropertyValue('--viewer-bg').trim() || '#1d2127';
      sceneRef.current?.setBackground(bg);
    });
    return () => cancelAnimationFrame(f);
  }, [theme]);

  useLayoutEffect(() => {
    const s = sceneRef.current;
    if (!s) return;
    s.applyView(props.view);
    setRange(s.range);
    setCut({ isolated: s.isolated, clipAt: s.clipAt });
  }, [props.view]);

  useLayoutEffect(() => {
    const s = sceneRef.current;
    if (!s) return;
    const t0 = performance.now();
    if (props.source?.kind === 'mesh') markOnce('geometry-start', props.source.mesh.jobId);
    // The scene keeps the camera per part (a job's full payload after its skin, another job of the same part).
    s.setSource(props.source);
    if (props.source?.kind === 'mesh') measureOnce('geometry', props.source.mesh.jobId, t0);
    setRange(s.range);
    setCut({ isolated: s.isolated, clipAt: s.clipAt });
  }, [props.source]);

  useEffect(() => {
    const s = sceneRef.current;
    const c = props.command?.cmd;
    if (!s || !c) return;
    if (c === 'fit') s.fit();
    else if (c === 'worst') showWorst(1);
    else s.standardView(c);
    // Runs once per command (fit, worst, a standard view), not again when the view settings or handlers change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.command]);

  /** Marks the ten worst of the metric shown (SICN when none) and frames the next one (`step` -1: the previous). */
  const showWorst = (step: 1 | -1) => {
    const s = sceneRef.current;
    if (!s) return;
    const m: Metric = props.view.colorBy === 'none' ? 'sicn' : props.view.colorBy;
    const r = s.frameWorst(m, step);
    setWorst(r ? { metric: m, at: r.at, n: r.n, value: r.value } : null);
  };

  const metric = props.view.colorBy === 'none' ? null : metricInfo(props.view.colorBy);
  const unit = props.unit ?? 'mm';
  const band = props.view.band;
  const canvasPoint = (e: React.PointerEvent) => {
    const r = canvasRef.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  return (
    <div className="viewer" ref={boxRef}>
      <canvas
        ref={canvasRef}
        data-testid={props.testId ?? 'viewer-canvas'}
        onPointerDown={(e) => {
          downRef.current = { x: e.clientX, y: e.clientY };
          if (props.boxSelect) {
            const p = canvasPoint(e);
            setBox({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
          }
        }}
        onPointerMove={(e) => {
          if (box && downRef.current) {
            const p = canvasPoint(e);
            setBox({ ...box, x1: p.x, y1: p.y });
            return;
          }
          // The face under the cursor lights up (once per frame), so the engineer sees what a click would pick.
          if (!hoverRef.current || e.buttons || hoverFrame.current) return;
          const { clientX, clientY } = e;
          hoverFrame.current = requestAnimationFrame(() => {
            hoverFrame.current = 0;
            const tag = sceneRef.current?.pickFace(clientX, clientY, HOVER_SMALL_FACE_MAX_TRIANGLES) ?? null;
            sceneRef.current?.setHover(tag);
            hoverRef.current?.(tag);
          });
        }}
        onPointerLeave={() => {
          sceneRef.current?.setHover(null);
          hoverRef.current?.(null);
        }}
        onPointerUp={(e) => {
          const d = downRef.current;
          downRef.current = null;
          if (box) {
            setBox(null);
            const r = canvasRef.current!.getBoundingClientRect();
            const faces = sceneRef.current?.facesInBox(r.left + box.x0, r.top + box.y0, e.clientX, e.clientY);
            props.onBox?.(faces ?? [], e.shiftKey);
            return;
          }
          // a click, not the end of an orbit drag
          if (!d || !pickRef.current || Math.hypot(e.clientX - d.x, e.clientY - d.y) > 4) return;
          pickRef.current(sceneRef.current?.pickFace(e.clientX, e.clientY) ?? null, e.shiftKey);
        }}
      />
      {box && (
        <div
          className="select-box"
          data-testid="select-box"
          style={{
            left: Math.min(box.x0, box.x1),
            top: Math.min(box.y0, box.y1),
            width: Math.abs(box.x1 - box.x0),
            height: Math.abs(box.y1 - box.y0),
          }}
        />
      )}
      <svg
        ref={triadRef}
        className="triad"
        width={80}
        height={80}
        data-testid="triad"
        style={{ display: props.source && props.view.axes ? undefined : 'none' }}
        aria-label="X, Y, Z directions"
      >
        {(['x', 'y', 'z'] as const).map((a) => (
          <g key={a} data-axis={a} className={`axis-${a}`}>
            <line x1={40} y1={40} x2={40} y2={40} />
            <text textAnchor="middle">{a.toUpperCase()}</text>
          </g>
        ))}
      </svg>
      <div className="readouts">
        {props.source && props.view.clip !== 'off' && Number.isFinite(cut.clipAt) && (
          <div className="clip-readout" data-testid="clip-readout">
            cut: {props.view.clip} {props.view.clipFlip ? '≥' : '≤'} {fmtNum(cut.clipAt, 5)} {unit}
          </div>
        )}
        {worst && (
          <div className="worst-readout" data-testid="worst-readout">
            <button onClick={() => showWorst(-1)} title="The previous of the ten worst" aria-label="previous worst">
              ◀
            </button>
            <span>
              worst {worst.at + 1} of {worst.n}: {metricInfo(worst.metric).label} {fmtNum(worst.value, 3)}
              {metricInfo(worst.metric).unit}
            </span>
            <button onClick={() => showWorst(1)} title="The next of the ten worst" aria-label="next worst">
              ▶
            </button>
            <button
              className="banner-close"
              onClick={() => sceneRef.current?.clearWorst()}
              title="Take the marks off"
              aria-label="clear worst"
            >
              ×
            </button>
          </div>
        )}
      </div>
      {props.source && (
        <div className="view-buttons" data-testid="view-buttons">
          {VIEW_BUTTONS.map((b) => (
            <button
              key={b.v}
              title={`${b.label} view (${b.key})`}
              onClick={() => sceneRef.current?.standardView(b.v)}
              data-testid={`view-${b.v}`}
            >
              {b.label}
            </button>
          ))}
          <button title="Fit the part (F)" onClick={() => sceneRef.current?.fit()} data-testid="fit">
            Fit
          </button>
        </div>
      )}
      {error && <div className="viewer-empty error">{error}</div>}
      {!props.source && !error && (
        <div className="viewer-empty" data-testid="viewer-empty">
          {props.placeholder ?? 'Open a part (Ctrl+O, or drop a STEP/IGES/BREP/STL file here) to see it.'}
        </div>
      )}
      {props.source?.kind === 'mesh' && props.source.mesh.tets.length === 0 && (
        <div className="viewer-note" data-testid="mesh-details-loading">
          Loading tetrahedra and quality…
        </div>
      )}
      {props.source?.kind === 'preview' && props.source.targetSizes && (
        <div className="legend" data-testid="size-legend">
          <div className="legend-title">
            Preview coloured by target size: red {fmtLen(props.source.targetSizes.min, unit, 3)} → blue{' '}
            {fmtLen(props.source.targetSizes.max, unit, 3)}
          </div>
          <div className="legend-bar" style={{ background: gradientCss() }} />
          <div className="legend-ticks">
            <span>finer</span>
            <span>the sizes the next run asks for</span>
            <span>coarser</span>
          </div>
        </div>
      )}
      {metric && range && props.source?.kind === 'mesh' && props.source.mesh.tets.length > 0 && (
        <div className="legend" data-testid="legend">
          <div className="legend-title">
            {metric.label}
            {props.view.threshold !== null
              ? ` — showing ${range.higherIsBetter ? '<' : '>'} ${fmt(props.view.threshold)}`
              : band
                ? ` — showing ${bandText(band)}`
                : ''}
          </div>
          {/* The count comes from the last drawn view: only with a threshold or band still set (it lags one render). */}
          {cut.isolated !== null && (props.view.threshold !== null || band) && (
            <div className="small" data-testid="isolate-count">
              {fmtCount(cut.isolated)} element{cut.isolated === 1 ? '' : 's'}{' '}
              {band
                ? `in ${bandText(band)}`
                : `${range.higherIsBetter ? 'below' : 'above'} ${fmt(props.view.threshold!)}`}
              {props.view.clip !== 'off' ? ' on the kept side of the cut' : ''}
            </div>
          )}
          <div
            className="legend-bar"
            style={{ background: gradientCss(), transform: range.higherIsBetter ? undefined : 'scaleX(-1)' }}
          />
          <div className="legend-ticks">
            <span>{fmt(range.lo)}</span>
            <span>{range.higherIsBetter ? 'worse ← → better' : 'better ← → worse'}</span>
            <span>{fmt(range.hi)}</span>
          </div>
        </div>
      )}
    </div>
  );
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
const bandText = (b: { lo: number | null; hi: number | null }) =>
  b.lo === null ? `< ${fmt(b.hi!)}` : b.hi === null ? `≥ ${fmt(b.lo)}` : `${fmt(b.lo)}–${fmt(b.hi)}`;
