// The 3D viewer, imperative three.js: skin with flat shading, edge overlay, wireframe, quality colours, a threshold
// that isolates bad tets (inner ones too), a clipping plane with an optional whole-element cut, orbit/fit/axes,
// failed surfaces highlighted on the part preview. Renders on demand only.
import * as THREE from 'three';
import { Navigation, type CameraState, type StandardView } from './navigation';
import type { MeshPayload, PartPreview } from '../../../src/contract/api';
import type { Metric, ViewOptions } from '../store';
import { CELL_EDGES, CELL_TRIANGLES, cellCount, cellNodes } from './cells';
import { colorAt, goodness, metricRange, worseThan, type MetricRange } from './colormap';
import { measureOnce } from '../timing';
import { sizeShade, type PreviewSizes } from './target-size';

/** `partKey`: meshes of one part share its camera (the preview's path is its key). */
export type Source =
  | {
      kind: 'preview';
      preview: PartPreview;
      failedSurfaces?: number[];
      targetSizes?: PreviewSizes | null;
      faceColors?: FaceColors | null;
    }
  | { kind: 'mesh'; mesh: MeshPayload; partKey?: string; faceColors?: FaceColors | null };

const keyOf = (s: Source) => (s.kind === 'preview' ? s.preview.path : (s.partKey ?? s.mesh.jobId));

/** CAD face tag -> colour (groups, the picked faces): drawn over the size shading. */
type FaceColors = ReadonlyMap<number, { r: number; g: number; b: number }>;

const BASE = new THREE.Color(0.62, 0.68, 0.76);
const FAILED = new THREE.Color(0.92, 0.12, 0.1);

/** Cameras of viewers in one group follow each other (compare view). */
export class CameraSync {
  private members = new Set<MeshScene>();
  private busy = false;
  add(s: MeshScene) {
    this.members.add(s);
    return () => this.members.delete(s);
  }
  moved(from: MeshScene) {
    if (this.busy) return;
    this.busy = true;
    for (const m of this.members) if (m !== from) m.copyCamera(from);
    this.busy = false;
  }
}

export class MeshScene {
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  readonly camera = new THREE.PerspectiveCamera(35, 1, 0.01, 1000);
  readonly nav: Navigation;
  /** The camera per part, so switching between jobs (or back to a part) keeps the view the engineer set. */
  private cameras = new Map<string, CameraState>();
  private key: string | null = null;
  private root = new THREE.Group();
  private skin: THREE.Mesh | null = null;
  private edges: THREE.LineSegments | null = null;
  private inner: THREE.Mesh | null = null;
  private innerEdges: THREE.LineSegments | null = null;
  private source: Source | null = null;
  private bbox = new THREE.Box3(new THREE.Vector3(-1, -1, -1), new THREE.Vector3(1, 1, 1));
  private plane = new THREE.Plane(new THREE.Vector3(-1, 0, 0), 0);
  private view: ViewOptions | null = null;
  private frame = 0;
  private disposed = false;
  private sync: CameraSync | null = null;
  private unsync: (() => void) | null = null;
  /** Called after every frame (the triad overlay follows the camera). */
  onRendered: (() => void) | null = null;
  /** Called after the first frame that shows a new source (benchmarks, tests). */
  onSourceShown: ((source: Source) => void) | null = null;
  private shownPending = false;
  private lastRange: MetricRange | null = null;

  constructor(readonly canvas: HTMLCanvasElement) {
    // MSAA on a software rasterizer (SwiftShader, llvmpipe) multiplies the cost of every frame; skip it there.
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: !softwareGl(), preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
    this.renderer.localClippingEnabled = true;
    this.scene.add(this.root);
    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x445566, 1.6));
    const key = new THREE.DirectionalLight(0xffffff, 1.6);
    key.position.set(1, 1.4, 0.8);
    this.camera.add(key);
    this.scene.add(this.camera);
    this.nav = new Navigation(this.camera, canvas, () => ({
      pickable: [this.skin, this.inner].filter((o): o is THREE.Mesh => !!o),
      sphere: this.sphere(),
    }));
    this.nav.onChange = () => {
      this.requestRender();
      this.sync?.moved(this);
    };
  }

  setSync(sync: CameraSync | null) {
    this.unsync?.();
    this.sync = sync;
    this.unsync = sync ? sync.add(this) : null;
  }

  copyCamera(from: MeshScene) {
    this.camera.position.copy(from.camera.position);
    this.camera.quaternion.copy(from.camera.quaternion);
    this.camera.up.copy(from.camera.up);
    this.nav.controls.target.copy(from.nav.controls.target);
    this.requestRender();
  }

  setBackground(css: string) {
    this.scene.background = new THREE.Color(css);
    this.requestRender();
  }

  resize(w: number, h: number) {
    if (w < 1 || h < 1) return;
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.nav.controls.handleResize();
    this.requestRender();
  }

  requestRender() {
    if (this.frame || this.disposed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderNow();
    });
  }

  renderNow() {
    const t0 = performance.now();
    this.nav.fitClipRange(this.sphere());
    this.renderer.render(this.scene, this.camera);
    if (this.shownPending && this.source?.kind === 'mesh') measureOnce('first-render', this.source.mesh.jobId, t0);
    this.onRendered?.();
    if (this.shownPending && this.source) {
      this.shownPending = false;
      this.onSourceShown?.(this.source);
    }
  }

  /**
   * Shows a source. Another source of the same part keeps the camera; a part seen before gets its camera back;
   * a new part is fitted in the iso view.
   */
  setSource(src: Source | null) {
    this.source = src;
    this.clearGroup();
    if (!src) {
      this.requestRender();
      return;
    }
    this.bbox = computeBox(src);
    const key = keyOf(src);
    if (key !== this.key) {
      if (this.key) this.cameras.set(this.key, this.nav.save());
      this.key = key;
      const saved = this.cameras.get(key);
      if (saved) this.nav.restore(saved);
      else this.fit();
    }
    this.shownPending = true;
    if (this.view) this.applyView(this.view);
    // Draw the new source now rather than on the next animation frame: the first frame is what the user waits for.
    // (Without view options yet there is nothing to draw; the first applyView's frame reports it instead.)
    if (this.view) {
      if (this.frame) {
        cancelAnimationFrame(this.frame);
        this.frame = 0;
      }
      this.renderNow();
    }
  }

  private sphere() {
    return this.bbox.getBoundingSphere(new THREE.Sphere());
  }

  /** The whole part in view, from the current direction (the iso view the first time). */
  fit() {
    const dir = this.camera.position.clone().sub(this.nav.controls.target);
    if (this.fitted && dir.lengthSq() > 0) this.nav.look(this.sphere(), dir, this.camera.up.clone());
    else this.nav.standard('iso', this.sphere());
    this.fitted = true;
  }
  private fitted = false;

  standardView(v: StandardView) {
    this.nav.standard(v, this.sphere());
  }

  /**
   * Frames the worst elements of `metric` (the `count` worst tets) and turns about them; returns how many were
   * framed and the worst value, or null without per-tet metrics.
   */
  frameWorst(metric: Metric, count = 10): { n: number; worst: number } | null {
    const src = this.source;
    if (src?.kind !== 'mesh' || !src.mesh.tets.length) return null;
    const vals = (src.mesh.quality as Record<string, Float32Array | undefined>)[metric];
    if (!vals?.length) return null;
    const hib = metric !== 'aspectRatio' && metric !== 'skewness';
    const order = worstIndices(vals, count, hib);
    const box = new THREE.Box3();
    const p = new THREE.Vector3();
    const cell = new Uint32Array(6);
    for (const t of order) {
      const nn = cellNodes(src.mesh, t, cell);
      for (let k = 0; k < nn; k++) box.expandByPoint(p.fromArray(src.mesh.nodes, cell[k] * 3));
    }
    this.frameBox(box);
    return { n: order.length, worst: vals[order[0]] };
  }

  /** Frames a box (e.g. the worst elements) from the current direction, and turns about its centre. */
  frameBox(box: THREE.Box3) {
    const s = box.getBoundingSphere(new THREE.Sphere());
    s.radius = Math.max(s.radius, this.sphere().radius * 0.05);
    this.nav.look(s, this.camera.position.clone().sub(this.nav.controls.target), this.camera.up.clone());
  }

  /**
   * The CAD face under a point of the canvas (client coordinates), or null for empty space: the part preview's
   * triangles carry their Gmsh surface tag, a mesh's skin triangles the face they lie on.
   */
  pickFace(clientX: number, clientY: number): number | null {
    const src = this.source;
    if (!src || !this.skin) return null;
    const r = this.renderer.domElement.getBoundingClientRect();
    const ndc = new THREE.Vector2(((clientX - r.left) / r.width) * 2 - 1, -((clientY - r.top) / r.height) * 2 + 1);
    const ray = new THREE.Raycaster();
    ray.setFromCamera(ndc, this.camera);
    const hit = ray.intersectObject(this.skin, false)[0];
    if (!hit || hit.faceIndex === undefined || hit.faceIndex === null) return null;
    const tag = src.kind === 'preview' ? src.preview.surfaceTags[hit.faceIndex] : src.mesh.skinFaces?.[hit.faceIndex];
    return tag === undefined || tag < 0 ? null : tag;
  }

  /** Rebuilds what depends on the view options (colours, threshold, clipping). */
  applyView(v: ViewOptions) {
    this.view = v;
    const src = this.source;
    this.clearGroup();
    if (!src) return;
    const clipping = this.clipPlanes(v);
    const hasMetrics = src.kind === 'mesh' && src.mesh.tets.length > 0;
    const range = hasMetrics && src.kind === 'mesh' && v.colorBy !== 'none' ? metricRange(src.mesh, v.colorBy) : null;
    this.lastRange = range;
    const isolating = src.kind === 'mesh' && range !== null && v.threshold !== null;

    // Skin: opaque normally, a faint ghost while isolating bad elements.
    const skinGeom =
      src.kind === 'mesh'
        ? skinGeometry(src.mesh, v, range, src.faceColors ?? null)
        : previewGeometry(src.preview, src.failedSurfaces ?? [], src.targetSizes ?? null, src.faceColors ?? null);
    const skinMat = new THREE.MeshStandardMaterial({
      vertexColors: true,
      flatShading: true,
      side: THREE.DoubleSide,
      roughness: 0.75,
      metalness: 0.05,
      clippingPlanes: clipping,
      wireframe: v.wireframe,
      transparent: isolating,
      opacity: isolating ? 0.12 : 1,
      depthWrite: !isolating,
      polygonOffset: true,
      polygonOffsetFactor: 1,
      polygonOffsetUnits: 1,
    });
    this.skin = new THREE.Mesh(skinGeom, skinMat);
    this.root.add(this.skin);
    if (v.edges && !v.wireframe && !isolating) {
      const addEdges = () => {
        if (this.source !== src || this.view !== v || this.disposed) return;
        const edgeGeom =
          src.kind === 'mesh'
            ? edgeGeometry(src.mesh.nodes, src.mesh.skin, 3)
            : edgeGeometry(src.preview.positions, src.preview.indices, 3);
        this.edges = new THREE.LineSegments(edgeGeom, edgeMaterial(clipping));
        this.root.add(this.edges);
        this.requestRender();
      };
      // A big skin's first frame goes out without its edge overlay; the edges follow a frame later.
      const big = src.kind === 'mesh' && src.mesh.skin.length / 3 > 50_000;
      if (big && this.shownPending) setTimeout(addEdges, 0);
      else addEdges();
    }

    if (src.kind === 'mesh') {
      const picked = pickTets(src.mesh, v, range, this.clipAt);
      this.lastIsolated = isolating ? picked.length : null;
      if (picked.length) {
        const g = tetGeometry(src.mesh, picked, range, v);
        // Whole-element cut: the crossed tets stay whole (unclipped); a plain cut slices them with the plane.
        const clipInner = v.clip !== 'off' && !v.wholeElements && !isolating ? clipping : [];
        this.inner = new THREE.Mesh(
          g,
          new THREE.MeshStandardMaterial({
            vertexColors: true,
            flatShading: true,
            side: THREE.DoubleSide,
            roughness: 0.7,
            metalness: 0.05,
            clippingPlanes: clipInner,
            wireframe: v.wireframe,
            polygonOffset: true,
            polygonOffsetFactor: 1,
            polygonOffsetUnits: 1,
          }),
        );
        this.root.add(this.inner);
        if (v.edges && !v.wireframe) {
          this.innerEdges = new THREE.LineSegments(tetEdgeGeometry(src.mesh, picked), edgeMaterial(clipInner));
          this.root.add(this.innerEdges);
        }
      }
    }
    this.requestRender();
  }

  get range() {
    return this.lastRange;
  }

  /** Elements shown by the last isolate (worse than the threshold, on the kept side of the cut); null: not isolating. */
  get isolated() {
    return this.lastIsolated;
  }
  private lastIsolated: number | null = null;

  /** Where the cut is, in model coordinates (NaN without one). */
  get clipAt() {
    const v = this.view;
    if (!v || v.clip === 'off') return NaN;
    const a = v.clip === 'x' ? 0 : v.clip === 'y' ? 1 : 2;
    const lo = this.bbox.min.getComponent(a);
    return lo + (this.bbox.max.getComponent(a) - lo) * v.clipPos;
  }

  private clipPlanes(v: ViewOptions): THREE.Plane[] {
    if (v.clip === 'off') return [];
    const a = v.clip === 'x' ? 0 : v.clip === 'y' ? 1 : 2;
    const c = this.clipAt;
    const n = new THREE.Vector3();
    // Keeps coordinate <= c, or >= c when flipped (three keeps what the normal points towards).
    n.setComponent(a, v.clipFlip ? 1 : -1);
    this.plane.set(n, v.clipFlip ? -c : c);
    return [this.plane];
  }

  private clearGroup() {
    for (const o of [this.skin, this.edges, this.inner, this.innerEdges]) {
      if (!o) continue;
      this.root.remove(o);
      o.geometry.dispose();
      (o.material as THREE.Material).dispose();
    }
    this.skin = this.edges = this.inner = this.innerEdges = null;
  }

  dispose() {
    this.disposed = true;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.unsync?.();
    this.clearGroup();
    this.nav.dispose();
    this.renderer.dispose();
  }
}

/** Indices of the `n` worst values (lowest when higher is better), worst first. */
export function worstIndices(vals: ArrayLike<number>, n: number, higherIsBetter: boolean): number[] {
  const sign = higherIsBetter ? 1 : -1;
  const best: number[] = [];
  for (let i = 0; i < vals.length; i++) {
    if (!Number.isFinite(vals[i])) continue; // not measured for this element kind
    const v = sign * vals[i];
    if (best.length === n && v >= sign * vals[best[best.length - 1]]) continue;
    let j = best.length - (best.length === n ? 1 : 0);
    if (best.length < n) best.push(i);
    while (j > 0 && sign * vals[best[j - 1]] > v) {
      best[j] = best[j - 1];
      j--;
    }
    best[j] = i;
  }
  return best;
}

let software: boolean | null = null;
function softwareGl(): boolean {
  if (software !== null) return software;
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    const name = gl && ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : '';
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    software = /swiftshader|llvmpipe|softpipe|software/i.test(name);
  } catch {
    software = false;
  }
  return software;
}

function edgeMaterial(clipping: THREE.Plane[]) {
  return new THREE.LineBasicMaterial({ color: 0x1b2330, transparent: true, opacity: 0.35, clippingPlanes: clipping });
}

function computeBox(src: Source): THREE.Box3 {
  if (src.kind === 'preview') {
    const b = src.preview.bbox;
    return new THREE.Box3(new THREE.Vector3(...b.min), new THREE.Vector3(...b.max));
  }
  const n = src.mesh.nodes;
  const box = new THREE.Box3();
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n.length; i += 3) {
    for (let a = 0; a < 3; a++) {
      const x = n[i + a];
      if (x < min[a]) min[a] = x;
      if (x > max[a]) max[a] = x;
    }
  }
  if (!n.length) return new THREE.Box3(new THREE.Vector3(-1, -1, -1), new THREE.Vector3(1, 1, 1));
  box.min.set(min[0], min[1], min[2]);
  box.max.set(max[0], max[1], max[2]);
  return box;
}

/**
 * Flat-shaded triangles need their own vertices: copy each triangle's corners out of the shared node array, and give
 * all three the triangle's colour (written by `colour(t, rgb)`).
 */
function unindexedGeometry(
  nodes: ArrayLike<number>,
  tri: ArrayLike<number>,
  colour: (t: number, rgb: Float32Array) => void,
): THREE.BufferGeometry {
  const tris = tri.length / 3;
  const pos = new Float32Array(tris * 9);
  const col = new Float32Array(tris * 9);
  const rgb = new Float32Array(3);
  for (let t = 0; t < tris; t++) {
    colour(t, rgb);
    for (let k = 0; k < 3; k++) {
      const n = tri[t * 3 + k] * 3;
      const o = t * 9 + k * 3;
      pos[o] = nodes[n];
      pos[o + 1] = nodes[n + 1];
      pos[o + 2] = nodes[n + 2];
      col[o] = rgb[0];
      col[o + 1] = rgb[1];
      col[o + 2] = rgb[2];
    }
  }
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(pos, 3));
  g.setAttribute('color', new THREE.BufferAttribute(col, 3));
  return g;
}

const setColour = (rgb: Float32Array, c: { r: number; g: number; b: number }) => {
  rgb[0] = c.r;
  rgb[1] = c.g;
  rgb[2] = c.b;
};

function previewGeometry(
  p: PartPreview,
  failed: number[],
  sizes: PreviewSizes | null,
  faces: FaceColors | null,
): THREE.BufferGeometry {
  const bad = new Set(failed);
  return unindexedGeometry(p.positions, p.indices, (t, rgb) => {
    const own = faces?.get(p.surfaceTags[t]);
    if (bad.has(p.surfaceTags[t])) setColour(rgb, FAILED);
    else if (own) setColour(rgb, own);
    else if (sizes)
      colorAt(sizeShade(sizes.sizes[t], sizes.min, sizes.max), rgb); // finest red, coarsest blue
    else setColour(rgb, BASE);
  });
}

function skinGeometry(
  m: MeshPayload,
  v: ViewOptions,
  range: MetricRange | null,
  faces: FaceColors | null,
): THREE.BufferGeometry {
  const values = v.colorBy !== 'none' ? m.quality[v.colorBy] : null;
  return unindexedGeometry(m.nodes, m.skin, (t, rgb) => {
    const own = !values && m.skinFaces ? faces?.get(m.skinFaces[t]) : undefined;
    if (values && range && Number.isFinite(values[m.skinTet[t]])) colorAt(goodness(values[m.skinTet[t]], range), rgb);
    else if (own) setColour(rgb, own);
    else setColour(rgb, BASE);
  });
}

/**
 * Elements drawn whole (tets, and the layers' prisms and pyramids): the bad ones when isolating (on the kept side of
 * the plane), else the ones the plane crosses. An element without the metric (NaN) is never "bad".
 */
function pickTets(m: MeshPayload, v: ViewOptions, range: MetricRange | null, c: number): Uint32Array {
  const nt = cellCount(m);
  const out: number[] = [];
  const axis = v.clip === 'off' ? -1 : v.clip === 'x' ? 0 : v.clip === 'y' ? 1 : 2;
  const side = v.clipFlip ? -1 : 1; // kept: side * (c - coordinate) >= 0
  const vals = v.colorBy !== 'none' ? m.quality[v.colorBy] : undefined;
  const cell = new Uint32Array(6);
  if (range && v.threshold !== null && vals) {
    for (let t = 0; t < nt; t++) {
      if (!worseThan(vals[t], v.threshold, range)) continue;
      if (axis >= 0) {
        const nn = cellNodes(m, t, cell);
        let s = 0;
        for (let k = 0; k < nn; k++) s += m.nodes[cell[k] * 3 + axis];
        if (side * (c - s / nn) < 0) continue;
      }
      out.push(t);
    }
    return Uint32Array.from(out);
  }
  if (axis < 0) return new Uint32Array(0);
  for (let t = 0; t < nt; t++) {
    const nn = cellNodes(m, t, cell);
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < nn; k++) {
      const x = m.nodes[cell[k] * 3 + axis];
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (lo <= c && hi >= c) out.push(t);
  }
  return Uint32Array.from(out);
}

function tetGeometry(
  m: MeshPayload,
  tets: Uint32Array,
  range: MetricRange | null,
  v: ViewOptions,
): THREE.BufferGeometry {
  const cell = new Uint32Array(6);
  let nTri = 0;
  for (let i = 0; i < tets.length; i++) nTri += CELL_TRIANGLES[cellNodes(m, tets[i], cell)].length;
  const pos = new Float32Array(nTri * 9);
  const col = new Float32Array(nTri * 9);
  const values = v.colorBy !== 'none' ? m.quality[v.colorBy] : null;
  const rgb = new Float32Array(3);
  let o = 0;
  for (let i = 0; i < tets.length; i++) {
    const t = tets[i];
    if (values && range && Number.isFinite(values[t])) colorAt(goodness(values[t], range), rgb);
    else {
      rgb[0] = 0.85;
      rgb[1] = 0.62;
      rgb[2] = 0.35;
    }
    for (const f of CELL_TRIANGLES[cellNodes(m, t, cell)]) {
      for (const k of f) {
        const n = cell[k] * 3;
        pos[o] = m.nodes[n];
        pos[o + 1] = m.nodes[n + 1];
        pos[o + 2] = m.nodes[n + 2];
        col[o] = rgb[0];
        col[o + 1] = rgb[1];
        col[o + 2] = rgb[2];
        o += 3;
      }
    }
  }
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(pos, 3));
  g.setAttribute('color', new THREE.BufferAttribute(col, 3));
  return g;
}

/**
 * Unique edges of a triangle (k=3) or tet (k=4) index list, as line-segment positions. An open-addressing table of
 * packed (min,max) node pairs: three.js's WireframeGeometry keys edges by formatted coordinates, far too slow for
 * a million-element mesh.
 */
function edgeGeometry(nodes: Float32Array, cells: Uint32Array, k: 2 | 3 | 4): THREE.BufferGeometry {
  const pairs =
    k === 2
      ? [[0, 1]]
      : k === 3
        ? [
            [0, 1],
            [1, 2],
            [2, 0],
          ]
        : [
            [0, 1],
            [0, 2],
            [0, 3],
            [1, 2],
            [1, 3],
            [2, 3],
          ];
  const n = cells.length / k;
  let cap = 16;
  while (cap < n * pairs.length * 2) cap *= 2;
  const mask = cap - 1;
  const ta = new Int32Array(cap).fill(-1);
  const tb = new Int32Array(cap);
  const out = new Float32Array(n * pairs.length * 6);
  let m = 0;
  for (let c = 0; c < n; c++) {
    for (const [i, j] of pairs) {
      let a = cells[c * k + i];
      let b = cells[c * k + j];
      if (a > b) {
        const s = a;
        a = b;
        b = s;
      }
      let h = (Math.imul(a, -1640531535) ^ Math.imul(b, -2048144777)) & mask;
      for (;;) {
        if (ta[h] === -1) {
          ta[h] = a;
          tb[h] = b;
          out[m] = nodes[a * 3];
          out[m + 1] = nodes[a * 3 + 1];
          out[m + 2] = nodes[a * 3 + 2];
          out[m + 3] = nodes[b * 3];
          out[m + 4] = nodes[b * 3 + 1];
          out[m + 5] = nodes[b * 3 + 2];
          m += 6;
          break;
        }
        if (ta[h] === a && tb[h] === b) break;
        h = (h + 1) & mask;
      }
    }
  }
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(out.subarray(0, m), 3));
  return g;
}

function tetEdgeGeometry(m: MeshPayload, picked: Uint32Array): THREE.BufferGeometry {
  const cell = new Uint32Array(6);
  const segments: number[] = [];
  for (const e of picked) for (const [i, j] of CELL_EDGES[cellNodes(m, e, cell)]) segments.push(cell[i], cell[j]);
  return edgeGeometry(m.nodes, Uint32Array.from(segments), 2);
}
