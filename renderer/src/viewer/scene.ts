// The 3D viewer, imperative three.js: the part preview shaded smoothly with its feature edges (as CAD tools draw a
// part), a mesh's skin flat-shaded with its element edges, wireframe, quality colours, a threshold or a histogram
// band that isolates tets (inner ones too), the ten worst marked, a clipping plane with an optional whole-element
// cut, orbit/fit/axes, the face under the cursor lit, box selection, failed surfaces highlighted on the part
// preview. Renders on demand only.
import * as THREE from 'three';
import { Navigation, type CameraState, type StandardView } from './navigation';
import type { MeshPayload, PartPreview } from '../../../src/contract/api';
import { metricInfo, type Metric, type ViewOptions } from '../store';
import { CELL_EDGES, CELL_TRIANGLES, cellCount, cellNodes } from './cells';
import { colorAt, goodness, metricRange, worseThan, type MetricRange } from './colormap';
import { measureOnce } from '../timing';
import { sizeShade, type PreviewSizes } from './target-size';
import { cornerNormals, featureEdges } from './surface-shading';

/** `partKey`: meshes of one part share its camera (the preview's path is its key). */
export type Source =
  | {
      kind: 'preview';
      preview: PartPreview;
      failedSurfaces?: number[];
      targetSizes?: PreviewSizes | null;
      faceColors?: FaceColors | null;
    }
  | {
      kind: 'mesh';
      mesh: MeshPayload;
      partKey?: string;
      faceColors?: FaceColors | null;
      /** Points drawn over everything: the CAD vertices and short curves a missed job names (what the CAD prevents). */
      points?: readonly (readonly [number, number, number])[];
    };

const keyOf = (s: Source) => (s.kind === 'preview' ? s.preview.path : (s.partKey ?? s.mesh.jobId));

/** CAD face tag -> colour (groups, the picked faces): drawn over the size shading. */
type FaceColors = ReadonlyMap<number, { r: number; g: number; b: number }>;

const BASE = new THREE.Color(0.62, 0.68, 0.76);
/** Pixels around a click within which a small face, or any face when the click missed the part, is still picked. */
const PICK_SLACK = 4;
/** A face covering fewer square pixels than this on screen counts as small (hard to hit exactly). */
const SMALL_FACE_PX = 400;
/** Above this many skin triangles a pick takes the face under the cursor only (the small-face search would lag). */
const SMALL_FACE_MAX_TRIANGLES = 200_000;
/** Triangles of one face a box selection tries (a ray each) before taking it as hidden. */
const BOX_TRIES = 16;
/** The same while hovering, which runs once per frame. */
export const HOVER_SMALL_FACE_MAX_TRIANGLES = 30_000;
/** Above this many skin triangles the hover tint is skipped (recolouring the whole skin per move would stutter). */
const HOVER_MAX_TRIANGLES = 400_000;
const FAILED = new THREE.Color(0.92, 0.12, 0.1);
/** The colour of what the geometry prevents: faces (through faceColors) and points. */
export const GEOMETRY_COLOUR = { r: 1, g: 0.42, b: 0 };

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
  private features: THREE.LineSegments | null = null;
  private marks: THREE.Group | null = null;
  private pointMarks: THREE.Points | null = null;
  /** The ten worst of the last "Worst": for which metric and view, their tets worst first, the one framed. */
  private worst: { metric: Metric; view: ViewOptions; source: Source; tets: number[]; at: number } | null = null;
  /** Called when the worst marks go away (a new source, metric, isolation or cut). */
  onWorstCleared: (() => void) | null = null;
  /** The skin's colours as built, so a hover tint can be taken off again. */
  private skinColors: Float32Array | null = null;
  private hoverTag: number | null = null;

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
    if (src !== this.source) {
      this.clearWorst();
      this.hoverTag = null;
    }
    this.source = src;
    this.clearGroup();
    this.setPointMarks(src?.kind === 'mesh' ? (src.points ?? []) : []);
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

  /** Points (CAD vertices, short curves) drawn over the part, a few pixels wide whatever the zoom. */
  private setPointMarks(points: readonly (readonly [number, number, number])[]) {
    discard(this.scene, this.pointMarks);
    this.pointMarks = null;
    if (!points.length) return;
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.Float32BufferAttribute(points.flat(), 3));
    const c = GEOMETRY_COLOUR;
    const m = new THREE.PointsMaterial({ color: new THREE.Color(c.r, c.g, c.b), size: 9, sizeAttenuation: false });
    m.depthTest = false;
    this.pointMarks = new THREE.Points(g, m);
    this.pointMarks.renderOrder = 10;
    this.scene.add(this.pointMarks);
  }

  /** How many marked points are drawn (the browser tests' probe). */
  markedPoints(): number {
    return this.pointMarks ? this.pointMarks.geometry.getAttribute('position').count : 0;
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
   * "Worst": marks the ten worst elements of `metric` (among the isolated ones when a threshold or band isolates, on
   * the kept side of a cut) and frames one of them close up. Pressed again on the same view, it steps to the next of
   * the ten. Returns which one is framed, of how many, and its value; null without per-tet metrics.
   */
  frameWorst(metric: Metric, step: 1 | -1 = 1): { at: number; n: number; value: number; values: number[] } | null {
    const src = this.source;
    const v = this.view;
    if (src?.kind !== 'mesh' || !src.mesh.tets.length || !v) return null;
    const vals = src.mesh.quality[metric];
    if (!vals?.length) return null;
    if (this.worst && this.worst.metric === metric && sameFocus(this.worst, src, v)) {
      const n = this.worst.tets.length;
      this.worst.at = (this.worst.at + step + n) % n;
    } else {
      this.clearWorst();
      const range = v.colorBy === metric ? this.lastRange : metricRange(src.mesh, metric);
      const isolating = v.colorBy === metric && (v.threshold !== null || v.band !== null);
      // Candidates: the isolated elements (or all), on the kept side of the cut.
      const pool = isolating
        ? pickTets(src.mesh, v, range, this.clipAt)
        : v.clip !== 'off'
          ? keptTets(src.mesh, v, this.clipAt)
          : null;
      const tets = worstIndices(vals, 10, metricInfo(metric).higherIsBetter, pool);
      if (!tets.length) return null;
      this.worst = { metric, view: v, source: src, tets, at: 0 };
      this.marks = markGeometry(src.mesh, tets);
      this.scene.add(this.marks);
    }
    const w = this.worst;
    const t = w.tets[w.at];
    const box = new THREE.Box3();
    const p = new THREE.Vector3();
    const cell = new Uint32Array(6);
    const nn = cellNodes(src.mesh, t, cell);
    for (let k = 0; k < nn; k++) box.expandByPoint(p.fromArray(src.mesh.nodes, cell[k] * 3));
    this.frameBox(box);
    return { at: w.at, n: w.tets.length, value: vals[t], values: w.tets.map((x) => vals[x]) };
  }

  clearWorst() {
    if (!this.worst) return;
    this.worst = null;
    discard(this.scene, this.marks);
    this.marks = null;
    this.requestRender();
    this.onWorstCleared?.();
  }

  /** Frames a box (one element, a few) from the current direction, close enough to see it, and turns about it. */
  frameBox(box: THREE.Box3) {
    const s = box.getBoundingSphere(new THREE.Sphere());
    // An element fills about a sixth of the view: its neighbours show around it.
    s.radius = Math.max(s.radius * 3, this.sphere().radius * 0.01);
    this.nav.look(s, this.camera.position.clone().sub(this.nav.controls.target), this.camera.up.clone());
  }

  /** A ray from the camera through a point of the canvas (client coordinates). */
  private rayAt(clientX: number, clientY: number): THREE.Raycaster {
    const r = this.renderer.domElement.getBoundingClientRect();
    const ndc = new THREE.Vector2(((clientX - r.left) / r.width) * 2 - 1, -((clientY - r.top) / r.height) * 2 + 1);
    const ray = new THREE.Raycaster();
    ray.setFromCamera(ndc, this.camera);
    return ray;
  }

  /** The CAD face of each skin triangle: the preview's surface tags, a mesh's skin faces; null when unknown. */
  private faceTags(): ArrayLike<number> | null {
    const src = this.source;
    if (!src) return null;
    return src.kind === 'preview' ? src.preview.surfaceTags : (src.mesh.skinFaces ?? null);
  }

  /**
   * The CAD face under a point of the canvas (client coordinates), or null for empty space: the part preview's
   * triangles carry their Gmsh surface tag, a mesh's skin triangles the face they lie on. Small faces win near the
   * cursor: a face that covers only a few pixels on screen (a narrow fillet, a chamfer strip) and passes within
   * PICK_SLACK pixels of the point, at the depth of what is hit there, is taken over the big face beside it, so it
   * needs no pixel-exact click. A point just off the part takes the nearest face within PICK_SLACK.
   */
  pickFace(clientX: number, clientY: number, budget = SMALL_FACE_MAX_TRIANGLES): number | null {
    const tags = this.faceTags();
    if (!tags || !this.skin) return null;
    const hitAt = (x: number, y: number) => this.rayAt(x, y).intersectObject(this.skin!, false)[0];
    let hit = hitAt(clientX, clientY);
    for (let k = 0; !hit && k < 8; k++) {
      const a = (k * Math.PI) / 4;
      hit = hitAt(clientX + PICK_SLACK * Math.cos(a), clientY + PICK_SLACK * Math.sin(a));
    }
    if (!hit || hit.faceIndex === undefined || hit.faceIndex === null) return null;
    const tag = tags[hit.faceIndex];
    if (tag === undefined || tag < 0) return null;
    return tags.length <= budget ? (this.smallFaceNear(clientX, clientY, hit.point, tag) ?? tag) : tag;
  }

  /** A face smaller than SMALL_FACE_PX on screen passing within PICK_SLACK pixels of the point, at the hit's depth. */
  private smallFaceNear(clientX: number, clientY: number, at: THREE.Vector3, hitTag: number): number | null {
    const tags = this.faceTags()!;
    const pos = this.skin!.geometry.getAttribute('position').array as Float32Array;
    const r = this.renderer.domElement.getBoundingClientRect();
    const px = (v: THREE.Vector3) => [r.left + ((v.x + 1) / 2) * r.width, r.top + ((1 - v.y) / 2) * r.height];
    const dir = this.camera.getWorldDirection(new THREE.Vector3());
    const eye = this.camera.position;
    const depth = (p: THREE.Vector3) => (p.x - eye.x) * dir.x + (p.y - eye.y) * dir.y + (p.z - eye.z) * dir.z;
    const reach = this.sphere().radius * 0.02; // a face this much behind what is hit is hidden by it
    const hitDepth = depth(at);
    const near = new Set<number>();
    const area = new Map<number, number>();
    const a = new THREE.Vector3();
    const b = new THREE.Vector3();
    const c = new THREE.Vector3();
    for (let t = 0; t < tags.length; t++) {
      a.fromArray(pos, t * 9);
      b.fromArray(pos, t * 9 + 3);
      c.fromArray(pos, t * 9 + 6);
      const front = Math.min(depth(a), depth(b), depth(c));
      const [ax, ay] = px(a.project(this.camera));
      const [bx, by] = px(b.project(this.camera));
      const [cx, cy] = px(c.project(this.camera));
      area.set(tags[t], (area.get(tags[t]) ?? 0) + Math.abs((bx - ax) * (cy - ay) - (cx - ax) * (by - ay)) / 2);
      if (tags[t] === hitTag || near.has(tags[t]) || front > hitDepth + reach) continue;
      if (distToTriangle2d(clientX, clientY, ax, ay, bx, by, cx, cy) <= PICK_SLACK) near.add(tags[t]);
    }
    let best: number | null = null;
    for (const tag of near)
      if ((area.get(tag) ?? Infinity) < SMALL_FACE_PX && (best === null || area.get(tag)! < area.get(best)!))
        best = tag;
    return best;
  }

  /** Lights the face under the cursor (null: none), so the engineer sees what a click would pick. */
  setHover(tag: number | null) {
    if (tag === this.hoverTag) return;
    this.hoverTag = tag;
    this.paintHover();
    this.requestRender();
  }

  private paintHover() {
    const skin = this.skin;
    const tags = this.faceTags();
    if (!skin || !this.skinColors || !tags || tags.length > HOVER_MAX_TRIANGLES) return;
    const col = skin.geometry.getAttribute('color') as THREE.BufferAttribute;
    const arr = col.array as Float32Array;
    arr.set(this.skinColors);
    if (this.hoverTag !== null)
      for (let t = 0; t < tags.length; t++)
        if (tags[t] === this.hoverTag) for (let k = 0; k < 9; k++) arr[t * 9 + k] = arr[t * 9 + k] * 0.5 + 0.5;
    col.needsUpdate = true;
  }

  /**
   * The faces seen inside a box of the canvas (client coordinates): each face with a triangle whose centre projects
   * into the box and is the first thing a ray from the camera meets there (hidden faces are not taken).
   */
  facesInBox(x0: number, y0: number, x1: number, y1: number): number[] {
    const tags = this.faceTags();
    if (!tags || !this.skin) return [];
    const r = this.renderer.domElement.getBoundingClientRect();
    const [lx, hx, ly, hy] = [Math.min(x0, x1), Math.max(x0, x1), Math.min(y0, y1), Math.max(y0, y1)];
    const pos = this.skin.geometry.getAttribute('position').array as Float32Array;
    const tries = new Map<number, number>();
    const found = new Set<number>();
    const c = new THREE.Vector3();
    for (let t = 0; t < tags.length; t++) {
      const tag = tags[t];
      if (tag < 0 || found.has(tag) || (tries.get(tag) ?? 0) >= BOX_TRIES) continue;
      c.set(
        (pos[t * 9] + pos[t * 9 + 3] + pos[t * 9 + 6]) / 3,
        (pos[t * 9 + 1] + pos[t * 9 + 4] + pos[t * 9 + 7]) / 3,
        (pos[t * 9 + 2] + pos[t * 9 + 5] + pos[t * 9 + 8]) / 3,
      ).project(this.camera);
      if (c.z < -1 || c.z > 1) continue;
      const x = r.left + ((c.x + 1) / 2) * r.width;
      const y = r.top + ((1 - c.y) / 2) * r.height;
      if (x < lx || x > hx || y < ly || y > hy) continue;
      tries.set(tag, (tries.get(tag) ?? 0) + 1);
      const hit = this.rayAt(x, y).intersectObject(this.skin, false)[0];
      if (hit?.faceIndex != null && tags[hit.faceIndex] === tag) found.add(tag);
    }
    return [...found].sort((a, b) => a - b);
  }

  /**
   * A point of the canvas (client coordinates) where a face shows, unhidden: the centre of its largest triangle on
   * screen that a ray meets first; null when it is hidden from this view. The browser tests aim with it.
   */
  faceScreenPoint(tag: number): { x: number; y: number } | null {
    const tags = this.faceTags();
    if (!tags || !this.skin) return null;
    const pos = this.skin.geometry.getAttribute('position').array as Float32Array;
    const r = this.renderer.domElement.getBoundingClientRect();
    const seen: { x: number; y: number; area: number }[] = [];
    const a = new THREE.Vector3();
    const b = new THREE.Vector3();
    const c = new THREE.Vector3();
    for (let t = 0; t < tags.length; t++) {
      if (tags[t] !== tag) continue;
      a.fromArray(pos, t * 9).project(this.camera);
      b.fromArray(pos, t * 9 + 3).project(this.camera);
      c.fromArray(pos, t * 9 + 6).project(this.camera);
      const area = Math.abs((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y));
      const x = r.left + (((a.x + b.x + c.x) / 3 + 1) / 2) * r.width;
      const y = r.top + ((1 - (a.y + b.y + c.y) / 3) / 2) * r.height;
      seen.push({ x, y, area });
    }
    seen.sort((p, q) => q.area - p.area);
    for (const p of seen.slice(0, 20)) {
      const hit = this.rayAt(p.x, p.y).intersectObject(this.skin, false)[0];
      if (hit?.faceIndex != null && tags[hit.faceIndex] === tag) return { x: p.x, y: p.y };
    }
    return null;
  }

  /**
   * What the skin and its lines are as drawn (the browser tests read it): triangles, how many of them carry corner
   * normals that differ (smooth shading; none when flat), and the line segments of the CAD's edges and of the
   * element edges.
   */
  drawnStats(): { triangles: number; smooth: number; featureSegments: number; elementSegments: number } {
    const n = this.skin?.geometry.getAttribute('normal')?.array as Float32Array | undefined;
    const triangles = (this.skin?.geometry.getAttribute('position')?.count ?? 0) / 3;
    let smooth = 0;
    if (n)
      for (let t = 0; t < triangles; t++) {
        const o = t * 9;
        const d1 = n[o] * n[o + 3] + n[o + 1] * n[o + 4] + n[o + 2] * n[o + 5];
        const d2 = n[o] * n[o + 6] + n[o + 1] * n[o + 7] + n[o + 2] * n[o + 8];
        if (Math.min(d1, d2) < 0.9995) smooth++;
      }
    const segments = (o: THREE.LineSegments | null) => (o?.geometry.getAttribute('position')?.count ?? 0) / 2;
    return { triangles, smooth, featureSegments: segments(this.features), elementSegments: segments(this.edges) };
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
    const isolating = src.kind === 'mesh' && range !== null && (v.threshold !== null || v.band !== null);
    // The worst marks belong to one source, metric, isolation and cut: any change takes them off.
    if (this.worst && !sameFocus(this.worst, src, v)) this.clearWorst();

    // Skin: opaque normally, a faint ghost while isolating bad elements.
    const skinGeom =
      src.kind === 'mesh'
        ? skinGeometry(src.mesh, v, range, src.faceColors ?? null)
        : previewGeometry(src.preview, src.failedSurfaces ?? [], src.targetSizes ?? null, src.faceColors ?? null);
    const skinMat = new THREE.MeshStandardMaterial({
      vertexColors: true,
      // A mesh shows its facets; the part preview carries smooth normals.
      flatShading: src.kind === 'mesh',
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
    this.skinColors = (skinGeom.getAttribute('color').array as Float32Array).slice();
    this.skin = new THREE.Mesh(skinGeom, skinMat);
    this.root.add(this.skin);
    this.paintHover();
    if (v.edges && !v.wireframe && !isolating) {
      const addEdges = () => {
        if (this.source !== src || this.view !== v || this.disposed) return;
        // The preview: the CAD's own edges only. A mesh: its element edges, faint, and the CAD's edges over them.
        const feature =
          src.kind === 'mesh'
            ? src.mesh.skinFaces
              ? featureEdges(src.mesh.nodes, src.mesh.skin, { tags: src.mesh.skinFaces, creaseDeg: 180 })
              : null
            : featureEdges(src.preview.positions, src.preview.indices, {
                tags: isStl(src.preview) ? null : src.preview.surfaceTags,
              });
        if (src.kind === 'mesh') {
          this.edges = new THREE.LineSegments(edgeGeometry(src.mesh.nodes, src.mesh.skin, 3), edgeMaterial(clipping));
          this.root.add(this.edges);
        }
        if (feature) {
          const g = new THREE.BufferGeometry();
          g.setAttribute('position', new THREE.BufferAttribute(feature, 3));
          this.features = new THREE.LineSegments(g, featureMaterial(clipping));
          this.root.add(this.features);
        }
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
    for (const o of [this.skin, this.edges, this.features, this.inner, this.innerEdges]) discard(this.root, o);
    this.skin = this.edges = this.features = this.inner = this.innerEdges = null;
  }

  dispose() {
    this.disposed = true;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.unsync?.();
    this.clearGroup();
    discard(this.scene, this.pointMarks);
    this.nav.dispose();
    this.renderer.dispose();
    // Give the WebGL context back now, not at garbage collection: Chromium keeps at most 16, and switching between
    // the workbench and Compare would otherwise pile them up until the oldest live one is lost. Only for a canvas
    // that has left the page: a canvas still shown (a new job in the same Compare pane) gets its next scene on the
    // same context, and a context lost on purpose would leave that scene drawing nothing.
    if (!this.renderer.domElement.isConnected) this.renderer.forceContextLoss();
  }
}

/** Takes `o` (and all it holds) out of `parent` and frees its buffers and materials on the GPU. */
function discard(parent: THREE.Object3D, o: THREE.Object3D | null) {
  if (!o) return;
  parent.remove(o);
  o.traverse((x) => {
    if (x instanceof THREE.Mesh || x instanceof THREE.LineSegments || x instanceof THREE.Points) {
      x.geometry.dispose();
      (x.material as THREE.Material).dispose();
    }
  });
}

/** Indices of the `n` worst values (lowest when higher is better), worst first; among `pool` when given. */
export function worstIndices(
  vals: ArrayLike<number>,
  n: number,
  higherIsBetter: boolean,
  pool: ArrayLike<number> | null = null,
): number[] {
  const sign = higherIsBetter ? 1 : -1;
  const best: number[] = [];
  const count = pool ? pool.length : vals.length;
  for (let p = 0; p < count; p++) {
    const i = pool ? pool[p] : p;
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

/** The CAD's edges: darker and opaque, over the faint element edges. */
function featureMaterial(clipping: THREE.Plane[]) {
  return new THREE.LineBasicMaterial({ color: 0x10151c, transparent: true, opacity: 0.9, clippingPlanes: clipping });
}

const isStl = (p: PartPreview) => p.format.startsWith('stl');

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
  const g = unindexedGeometry(p.positions, p.indices, (t, rgb) => {
    const own = faces?.get(p.surfaceTags[t]);
    if (bad.has(p.surfaceTags[t])) setColour(rgb, FAILED);
    else if (own) setColour(rgb, own);
    else if (sizes)
      colorAt(sizeShade(sizes.sizes[t], sizes.min, sizes.max), rgb); // finest red, coarsest blue
    else setColour(rgb, BASE);
  });
  // Smooth over each CAD face and across tangent ones; an STL has no faces, only its folds.
  const normals = cornerNormals(p.positions, p.indices, isStl(p) ? { creaseDeg: 30 } : { tags: p.surfaceTags });
  g.setAttribute('normal', new THREE.BufferAttribute(normals, 3));
  return g;
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
  if (range && (v.threshold !== null || v.band !== null) && vals) {
    const lo = v.band?.lo ?? -Infinity;
    const hi = v.band?.hi ?? Infinity;
    for (let t = 0; t < nt; t++) {
      if (v.band ? !(vals[t] >= lo && vals[t] < hi) : !worseThan(vals[t], v.threshold!, range)) continue;
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
  const pairs: readonly (readonly [number, number])[] =
    k === 2
      ? [[0, 1]]
      : k === 3
        ? [
            [0, 1],
            [1, 2],
            [2, 0],
          ]
        : CELL_EDGES[4];
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

/** Elements whose centre is on the kept side of the cut. */
function keptTets(m: MeshPayload, v: ViewOptions, c: number): Uint32Array {
  const axis = v.clip === 'x' ? 0 : v.clip === 'y' ? 1 : 2;
  const side = v.clipFlip ? -1 : 1;
  const out: number[] = [];
  const cell = new Uint32Array(6);
  for (let t = 0, n = cellCount(m); t < n; t++) {
    const nn = cellNodes(m, t, cell);
    let s = 0;
    for (let k = 0; k < nn; k++) s += m.nodes[cell[k] * 3 + axis];
    if (side * (c - s / nn) >= 0) out.push(t);
  }
  return Uint32Array.from(out);
}

/** Whether the worst marks still describe what is shown: the same source, metric, isolation and cut. */
function sameFocus(w: { source: Source; view: ViewOptions }, src: Source, v: ViewOptions): boolean {
  const a = w.view;
  return (
    w.source === src &&
    a.colorBy === v.colorBy &&
    a.threshold === v.threshold &&
    a.band?.lo === v.band?.lo &&
    a.band?.hi === v.band?.hi &&
    a.clip === v.clip &&
    a.clipPos === v.clipPos &&
    a.clipFlip === v.clipFlip
  );
}

const MARK = 0xff2bd6;

/** The worst tets drawn over everything (no depth test) in a loud magenta, with their edges. */
function markGeometry(m: MeshPayload, tets: number[]): THREE.Group {
  const picked = Uint32Array.from(tets);
  const g = new THREE.Group();
  const solid = new THREE.Mesh(
    tetGeometry(m, picked, null, { colorBy: 'none' } as ViewOptions),
    new THREE.MeshBasicMaterial({
      color: MARK,
      transparent: true,
      opacity: 0.55,
      depthTest: false,
      side: THREE.DoubleSide,
    }),
  );
  const lines = new THREE.LineSegments(
    tetEdgeGeometry(m, picked),
    new THREE.LineBasicMaterial({ color: MARK, depthTest: false }),
  );
  solid.renderOrder = lines.renderOrder = 10;
  g.add(solid, lines);
  return g;
}

/** Distance in pixels from a point to a triangle on screen (0 inside it). */
function distToTriangle2d(
  x: number,
  y: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
) {
  const side = (px: number, py: number, qx: number, qy: number) => (qx - px) * (y - py) - (qy - py) * (x - px);
  const s1 = side(ax, ay, bx, by);
  const s2 = side(bx, by, cx, cy);
  const s3 = side(cx, cy, ax, ay);
  if ((s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0)) return 0;
  const seg = (px: number, py: number, qx: number, qy: number) => {
    const dx = qx - px;
    const dy = qy - py;
    const l = dx * dx + dy * dy;
    const t = l ? Math.max(0, Math.min(1, ((x - px) * dx + (y - py) * dy) / l)) : 0;
    return Math.hypot(x - (px + t * dx), y - (py + t * dy));
  };
  return Math.min(seg(ax, ay, bx, by), seg(bx, by, cx, cy), seg(cx, cy, ax, ay));
}
