// React wrapper around MeshScene: canvas, legend, and the frame timings (User Timing entries, see ../timing).
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { MeshScene, type CameraSync, type Source } from '../viewer/scene';
import { gradientCss, type MetricRange } from '../viewer/colormap';
import { METRICS, useStore, type ViewOptions } from '../store';
import { markOnce, measureOnce } from '../timing';

export function Viewer(props: {
  source: Source | null;
  view: ViewOptions;
  sync?: CameraSync;
  fitSignal?: number;
  testId?: string;
  label?: string;
  /** What an empty viewer says (default: how to open a part). */
  placeholder?: string;
  /** A click (not a drag) on the part preview: the CAD face under it, or null for empty space; shift held. */
  onPickFace?: (tag: number | null, add: boolean) => void;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const sceneRef = useRef<MeshScene | null>(null);
  const prevRef = useRef<Source | null>(null);
  const theme = useStore((s) => s.theme);
  const [range, setRange] = useState<MetricRange | null>(null);
  const [error, setError] = useState<string | null>(null);
  const downRef = useRef<{ x: number; y: number } | null>(null);
  const pickRef = useRef(props.onPickFace);
  pickRef.current = props.onPickFace;

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
    scene.onSourceShown = (src) => {
      if (src.kind === 'mesh') markOnce('shown', src.mesh.jobId);
      canvasRef.current?.setAttribute('data-shown', src.kind === 'mesh' ? src.mesh.jobId : 'preview');
    };
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
  }, [props.view]);

  useLayoutEffect(() => {
    const s = sceneRef.current;
    if (!s) return;
    const t0 = performance.now();
    if (props.source?.kind === 'mesh') markOnce('geometry-start', props.source.mesh.jobId);
    // The same job's full payload following its skin keeps the camera where the user put it.
    const prev = prevRef.current;
    const sameJob = prev?.kind === 'mesh' && props.source?.kind === 'mesh' && prev.mesh.jobId === props.source.mesh.jobId;
    prevRef.current = props.source;
    s.setSource(props.source, !sameJob);
    if (props.source?.kind === 'mesh') measureOnce('geometry', props.source.mesh.jobId, t0);
    setRange(s.range);
  }, [props.source]);

  useEffect(() => {
    if (props.fitSignal) sceneRef.current?.fit();
  }, [props.fitSignal]);

  const metric = METRICS.find((m) => m.key === props.view.colorBy);
  return (
    <div className="viewer" ref={boxRef}>
      <canvas
        ref={canvasRef}
        data-testid={props.testId ?? 'viewer-canvas'}
        onPointerDown={(e) => (downRef.current = { x: e.clientX, y: e.clientY })}
        onPointerUp={(e) => {
          const d = downRef.current;
          downRef.current = null;
          // a click, not the end of an orbit drag
          if (!d || !pickRef.current || Math.hypot(e.clientX - d.x, e.clientY - d.y) > 4) return;
          pickRef.current(sceneRef.current?.pickFace(e.clientX, e.clientY) ?? null, e.shiftKey);
        }}
      />
      {props.label && <div className="viewer-label">{props.label}</div>}
      {error && <div className="viewer-empty error">{error}</div>}
      {!props.source && !error && <div className="viewer-empty" data-testid="viewer-empty">{props.placeholder ?? 'Open a part (Ctrl+O, or drop a STEP/IGES/BREP/STL file here) to see it.'}</div>}
      {props.source?.kind === 'mesh' && props.source.mesh.tets.length === 0 && (
        <div className="viewer-note" data-testid="mesh-details-loading">Loading tetrahedra and quality…</div>
      )}
      {metric && range && props.source?.kind === 'mesh' && props.source.mesh.tets.length > 0 && (
        <div className="legend" data-testid="legend">
          <div className="legend-title">{metric.label}{props.view.threshold !== null ? ` — showing ${range.higherIsBetter ? '<' : '>'} ${fmt(props.view.threshold)}` : ''}</div>
          <div className="legend-bar" style={{ background: gradientCss(), transform: range.higherIsBetter ? undefined : 'scaleX(-1)' }} />
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
