// A labelled axes triad (X red, Y green, Z blue) drawn as SVG over the viewer's lower-left corner and turned with
// the camera after every frame: the engineer always knows which way the part faces, whatever the zoom. An overlay
// rather than a second WebGL pass keeps the labels crisp and the render path simple.
import * as THREE from 'three';

const AXES: [string, THREE.Vector3][] = [
  ['x', new THREE.Vector3(1, 0, 0)],
  ['y', new THREE.Vector3(0, 1, 0)],
  ['z', new THREE.Vector3(0, 0, 1)],
];

/** Writes the triad's line ends and labels into `svg` (elements named data-axis="x|y|z") for `camera`. */
export function drawTriad(svg: SVGSVGElement, camera: THREE.Camera, radius = 30) {
  const inv = camera.quaternion.clone().invert();
  const c = radius + 10;
  const v = new THREE.Vector3();
  // Draw the axes pointing away from the viewer first, so the nearer ones lie on top.
  const order = AXES.map(([name, dir]) => {
    v.copy(dir).applyQuaternion(inv);
    return { name, x: c + v.x * radius, y: c - v.y * radius, z: v.z };
  }).sort((a, b) => a.z - b.z);
  for (const a of order) {
    const g = svg.querySelector(`[data-axis="${a.name}"]`) as SVGGElement | null;
    if (!g) continue;
    const line = g.querySelector('line')!;
    line.setAttribute('x2', a.x.toFixed(1));
    line.setAttribute('y2', a.y.toFixed(1));
    const t = g.querySelector('text')!;
    t.setAttribute('x', (c + (a.x - c) * 1.3).toFixed(1));
    t.setAttribute('y', (c + (a.y - c) * 1.3 + 4).toFixed(1));
    svg.appendChild(g);
  }
}
