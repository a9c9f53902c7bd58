// What in the CAD can keep a mesh below its target, found from the model read against the element size asked for:
// corners where two curves meet almost tangentially (a cusp: every triangle there is a sliver), curves far shorter
// than an element (collapsed edges), and faces far narrower than one (fillet strips, slivers). Each one is named in
// the words an engineer takes back to the CAD tool. Thin walls (two faces close without sharing a curve) are not
// detected here.
import type { Box6 } from '../mesh/msh-reader';
import { CUSP_DEG } from '../contract/geometry';
import type { CadModel } from './read-model';

/** A curve shorter than this fraction of the element size is tiny; below COLLAPSED of it, a collapsed edge. */
const TINY_EDGE = 1e-3;
const COLLAPSED = 1e-6;
/** A face narrower (2·area/perimeter) than this fraction of the element size is a strip the mesh cannot follow. */
const NARROW_FACE = 0.1;

type GeometryFeature =
  | { kind: 'cusp'; face: number; vertex: number; curves: number[]; angle: number }
  | { kind: 'tiny-edge'; curve: number; length: number }
  | { kind: 'narrow-face'; face: number; width: number };

/** A feature with where it is (a box; a point for a cusp) and its words. */
export interface LocatedFeature {
  feature: GeometryFeature;
  box: Box6;
  text: string;
}

/** The part's small features against element size `h`: cusps first, then tiny edges, then narrow faces. */
export function smallFeatures(model: CadModel, h: number): LocatedFeature[] {
  const out: LocatedFeature[] = [];
  const at = new Map(model.vertices.map((v) => [v.tag, v.xyz]));
  for (const c of model.corners) {
    const p = at.get(c.vertex);
    if (c.angle >= CUSP_DEG || !p) continue;
    out.push({ feature: { kind: 'cusp', ...c }, box: [...p, ...p], text: describe({ kind: 'cusp', ...c }, h) });
  }
  for (const c of model.curves)
    if (c.length < TINY_EDGE * h) {
      const f: GeometryFeature = { kind: 'tiny-edge', curve: c.tag, length: c.length };
      out.push({ feature: f, box: c.box, text: describe(f, h) });
    }
  for (const face of model.faces)
    if (face.width !== null && face.width < NARROW_FACE * h) {
      const f: GeometryFeature = { kind: 'narrow-face', face: face.tag, width: face.width };
      out.push({ feature: f, box: face.box, text: describe(f, h) });
    }
  return out;
}

/** "1/50" for a length 50 times smaller than the element size. */
function fraction(x: number, h: number): string {
  const r = h / x;
  return `1/${r >= 1e4 ? r.toExponential(0).replace('e+', 'e') : String(Math.round(r))}`;
}

const mm = (x: number) => `${x < 1e-3 ? x.toExponential(1) : Number(x.toPrecision(3))} mm`;

/** The feature in an engineer's words, against element size `h`. */
function describe(f: GeometryFeature, h: number): string {
  switch (f.kind) {
    case 'cusp':
      return `face ${f.face} has a ${f.angle.toFixed(1)}° corner at vertex ${f.vertex}${f.curves.length === 2 ? ` between curves ${f.curves[0]} and ${f.curves[1]}` : ''} (two edges meet tangentially: a cusp)`;
    case 'tiny-edge':
      return `curve ${f.curve} is ${mm(f.length)} long, ${fraction(f.length, h)} of the element size: ${f.length < COLLAPSED * h ? 'a collapsed edge' : 'a tiny edge'}`;
    case 'narrow-face':
      return `face ${f.face} is ${mm(f.width)} wide, ${fraction(f.width, h)} of the element size: a fillet strip or sliver face`;
  }
}
