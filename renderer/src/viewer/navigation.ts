// Camera navigation as CAD tools do it: free trackball rotation (no lock at the poles), wheel zoom towards the
// point under the cursor, double-click to set the pivot, standard views, and a clipping range that follows the
// camera so zooming far out never loses the part. Z is up, as in most CAD tools.
import * as THREE from 'three';
import { TrackballControls } from 'three/examples/jsm/controls/TrackballControls.js';

export type StandardView = 'front' | 'back' | 'left' | 'right' | 'top' | 'bottom' | 'iso';

/** Direction from the part's centre to the camera, and the camera's up, for each standard view. */
const STANDARD_VIEWS: Record<StandardView, { dir: [number, number, number]; up: [number, number, number] }> = {
  front: { dir: [0, -1, 0], up: [0, 0, 1] },
  back: { dir: [0, 1, 0], up: [0, 0, 1] },
  left: { dir: [-1, 0, 0], up: [0, 0, 1] },
  right: { dir: [1, 0, 0], up: [0, 0, 1] },
  top: { dir: [0, 0, 1], up: [0, 1, 0] },
  bottom: { dir: [0, 0, -1], up: [0, -1, 0] },
  iso: { dir: [1, -1, 0.8], up: [0, 0, 1] },
};

export interface CameraState {
  position: THREE.Vector3;
  target: THREE.Vector3;
  up: THREE.Vector3;
}

export class Navigation {
  readonly controls: TrackballControls;
  private loop = 0;
  private ray = new THREE.Raycaster();
  private lastPick: { x: number; y: number; point: THREE.Vector3 | null } | null = null;
  /** Called whenever the camera moved. */
  onChange: () => void = () => undefined;

  constructor(
    readonly camera: THREE.PerspectiveCamera,
    readonly canvas: HTMLCanvasElement,
    /** What the cursor can hit (the part's skin), and the part's bounding sphere. */
    private scene: () => { pickable: THREE.Object3D[]; sphere: THREE.Sphere },
  ) {
    this.controls = new TrackballControls(camera, canvas);
    this.controls.rotateSpeed = 3;
    this.controls.panSpeed = 1;
    this.controls.staticMoving = true;
    // The wheel is ours (towards the cursor); A/S/D must not switch modes while the engineer types elsewhere.
    this.controls.noZoom = true;
    this.controls.keys = ['', '', ''];
    this.controls.addEventListener('change', () => this.onChange());
    // TrackballControls moves the camera in update(): run it every frame while a drag lasts, not all the time.
    this.controls.addEventListener('start', () => {
      const tick = () => {
        this.controls.update();
        this.loop = requestAnimationFrame(tick);
      };
      if (!this.loop) tick();
    });
    this.controls.addEventListener('end', () => {
      cancelAnimationFrame(this.loop);
      this.loop = 0;
      this.controls.update();
    });
    canvas.addEventListener('wheel', this.onWheel, { passive: false });
    canvas.addEventListener('dblclick', this.onDoubleClick);
  }

  private ndc(e: MouseEvent): THREE.Vector2 {
    const r = this.canvas.getBoundingClientRect();
    return new THREE.Vector2(((e.clientX - r.left) / r.width) * 2 - 1, -((e.clientY - r.top) / r.height) * 2 + 1);
  }

  /** The part's surface point under the cursor, or null. */
  pick(e: MouseEvent): THREE.Vector3 | null {
    this.ray.setFromCamera(this.ndc(e), this.camera);
    const hit = this.ray.intersectObjects(this.scene().pickable, false)[0];
    return hit ? hit.point.clone() : null;
  }

  private onWheel = (e: WheelEvent) => {
    e.preventDefault();
    // Picking a big skin costs a few ms: reuse the point while the cursor stays put during one wheel gesture.
    const moved = !this.lastPick || Math.abs(this.lastPick.x - e.clientX) + Math.abs(this.lastPick.y - e.clientY) > 2;
    if (moved) this.lastPick = { x: e.clientX, y: e.clientY, point: this.pick(e) };
    let anchor = this.lastPick!.point;
    if (!anchor) {
      // Off the part: the point under the cursor on the plane through the pivot, facing the camera.
      const plane = new THREE.Plane().setFromNormalAndCoplanarPoint(
        this.camera.getWorldDirection(new THREE.Vector3()),
        this.controls.target,
      );
      this.ray.setFromCamera(this.ndc(e), this.camera);
      anchor = this.ray.ray.intersectPlane(plane, new THREE.Vector3()) ?? this.controls.target.clone();
    }
    const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    const s = Math.exp(Math.max(-1, Math.min(1, delta / 300)));
    const { sphere } = this.scene();
    const dist = this.camera.position.distanceTo(this.controls.target);
    // Limits: close enough to see one element, far enough to see the part as a speck.
    if ((s < 1 && dist < sphere.radius * 1e-3) || (s > 1 && dist > sphere.radius * 200)) return;
    this.camera.position.sub(anchor).multiplyScalar(s).add(anchor);
    this.controls.target.sub(anchor).multiplyScalar(s).add(anchor);
    this.camera.lookAt(this.controls.target);
    this.onChange();
  };

  private onDoubleClick = (e: MouseEvent) => {
    const p = this.pick(e);
    if (p) this.setPivot(p);
  };

  /** Rotation turns about `p` from now on; the view slides so the pivot sits in the middle. */
  setPivot(p: THREE.Vector3) {
    const shift = p.clone().sub(this.controls.target);
    this.controls.target.copy(p);
    this.camera.position.add(shift);
    this.camera.lookAt(p);
    this.onChange();
  }

  /** Looks at the sphere from `dir` with `up`, the sphere filling the narrower view angle. */
  look(sphere: THREE.Sphere, dir: THREE.Vector3, up: THREE.Vector3) {
    const r = Math.max(sphere.radius, 1e-6);
    const half = THREE.MathUtils.degToRad(this.camera.fov / 2);
    const narrow = this.camera.aspect < 1 ? Math.atan(Math.tan(half) * this.camera.aspect) : half;
    const dist = r / Math.sin(narrow);
    this.camera.up.copy(up);
    this.camera.position.copy(sphere.center).addScaledVector(dir.clone().normalize(), dist);
    this.controls.target.copy(sphere.center);
    this.camera.lookAt(sphere.center);
    this.onChange();
  }

  standard(view: StandardView, sphere: THREE.Sphere) {
    const v = STANDARD_VIEWS[view];
    this.look(sphere, new THREE.Vector3(...v.dir), new THREE.Vector3(...v.up));
  }

  /** Near and far planes around the part from where the camera is now, so no zoom level clips it away. */
  fitClipRange(sphere: THREE.Sphere) {
    const d = this.camera.position.distanceTo(sphere.center);
    const r = Math.max(sphere.radius, 1e-6);
    const near = Math.max(d - r * 1.5, r * 1e-3, d * 1e-4);
    const far = d + r * 1.5;
    if (near !== this.camera.near || far !== this.camera.far) {
      this.camera.near = near;
      this.camera.far = far;
      this.camera.updateProjectionMatrix();
    }
  }

  save(): CameraState {
    return { position: this.camera.position.clone(), target: this.controls.target.clone(), up: this.camera.up.clone() };
  }

  restore(s: CameraState) {
    this.camera.position.copy(s.position);
    this.camera.up.copy(s.up);
    this.controls.target.copy(s.target);
    this.camera.lookAt(s.target);
    this.onChange();
  }

  dispose() {
    cancelAnimationFrame(this.loop);
    this.canvas.removeEventListener('wheel', this.onWheel);
    this.canvas.removeEventListener('dblclick', this.onDoubleClick);
    this.controls.dispose();
  }
}
