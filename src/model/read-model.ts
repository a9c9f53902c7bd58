// The CAD's bodies, faces, curves and vertices as Gmsh's OpenCASCADE import sees them: tag, volume, area or length,
// centroid, the faces of each body, each face's curves and each curve's vertices, body names from the file's labels,
// each face's mean outward normal, width and corner angles (from a coarse surface mesh, fine at the vertices).
// One Gmsh run (src/geo/part-scripts.ts) writes two files read here: the exact mass properties, and the surface mesh
// whose $Entities say which faces bound each body. Read once per input (by sha256) and kept in the job store; entity
// tags are the ones every attempt's script sees, and the groups (interfaces too) are computed from this one read.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { stageInput } from '../input/stage';
import { parseMassReport, parseReportDiagonal } from '../geo/geo-script';
import { modelScript } from '../geo/part-scripts';
import { runGmsh } from '../gmsh/run';
import { memoryExceededMessage } from '../gmsh/memory';
import type { InspectedInput } from '../input/inspect';
import { readMshFile, type Box6, type MshMesh } from '../mesh/msh-reader';
import { faceCorners, type CadCorner } from './corners';
import { InputRejectedError } from '../util/errors';
import { faceAngles, type FaceAngle } from './face-angles';
import { usedOnce } from '../util/boundary-curves';

interface CadBody {
  tag: number;
  /** From the file's label (STEP product or solid name) when it names this body, else null. */
  label: string | null;
  volume: number;
  centroid: [number, number, number];
  faces: number[];
}
interface CadFace {
  tag: number;
  area: number;
  centroid: [number, number, number];
  /** Area-weighted mean outward normal of the face's triangles; null for a face that curves all round (|mean| < 0.5) or did not mesh. */
  normal: [number, number, number] | null;
  /** Bodies that have this face on their boundary. */
  bodies: number[];
  /** Its boundary curves, signed by orientation (a seam twice, once each way). */
  curves: number[];
  /** Its bounding box. */
  box: Box6;
  /**
   * 2·area/perimeter, seams left out of the perimeter: a strip's width (a fillet of radius r is about πr/2 wide);
   * null without boundary curves.
   */
  width: number | null;
}
interface CadCurve {
  tag: number;
  length: number;
  centroid: [number, number, number];
  /** Its end points (CAD vertex tags; one or none for a closed curve). */
  points: number[];
  box: Box6;
}
interface CadVertex {
  tag: number;
  xyz: [number, number, number];
}
export interface CadModel {
  /** Length unit of the tags' geometry: OpenCASCADE converts STEP and IGES to millimetres; BREP carries none. */
  unit: 'mm';
  /** The diagonal of the model's bounding box (0 when Gmsh gave none): the part's size, which sizes are checked against. */
  diagonal: number;
  bodies: CadBody[];
  faces: CadFace[];
  /** Every CAD curve (edge) with its length: the small-features attempt sizes the short ones. */
  curves: CadCurve[];
  /** Faces that share curves, with the angle between them across those curves (180: they continue smoothly). */
  faceAngles: FaceAngle[];
  vertices: CadVertex[];
  /** Every face's interior angle at each of its vertices: near 0° where two curves meet tangentially (a cusp). */
  corners: CadCorner[];
}

const MESH = 'model.msh';
const CURVED_MESH = 'model-quadratic.msh';
const FACTS = 'model-facts.txt';

export async function readCadModel(
  gmshPath: string,
  input: InspectedInput,
  opts: { timeoutMs?: number; signal?: AbortSignal; fragment?: boolean } = {},
): Promise<CadModel> {
  if (input.format.startsWith('stl'))
    throw new InputRejectedError(
      'input-no-cad-faces',
      `${input.path}: an STL file has triangles, not CAD faces or bodies; its faces exist only after classification.`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-model-'));
  try {
    const stagedName = basename(stageInput(input, dir));
    writeFileSync(join(dir, 'model.geo'), modelScript(stagedName, MESH, CURVED_MESH, FACTS, opts.fragment !== false));
    const run = await runGmsh([gmshPath, 'model.geo', '-nt', '1', '-parse_and_exit'], {
      cwd: dir,
      timeoutMs: opts.timeoutMs ?? 300_000,
      signal: opts.signal,
    });
    if (run.memoryExceeded)
      throw new InputRejectedError('input-memory', `${input.path}: ${memoryExceededMessage(run.memoryLimitBytes!)}`);
    const bodies: CadBody[] = [];
    const faces = new Map<number, CadFace>();
    let facts: ReturnType<typeof parseMassReport> = [];
    let diagonal = 0;
    try {
      const report = readFileSync(join(dir, FACTS), 'utf8');
      facts = parseMassReport(report);
      diagonal = parseReportDiagonal(report);
    } catch {
      /* no report: Gmsh found nothing (said below) */
    }
    const curves: CadCurve[] = [];
    for (const f of facts)
      if (f.dim === 3) bodies.push({ tag: f.tag, label: null, volume: f.mass, centroid: f.centroid, faces: [] });
      else if (f.dim === 2)
        faces.set(f.tag, {
          tag: f.tag,
          area: f.mass,
          centroid: f.centroid,
          normal: null,
          bodies: [],
          curves: [],
          box: pointBox(f.centroid),
          width: null,
        });
      else curves.push({ tag: f.tag, length: f.mass, centroid: f.centroid, points: [], box: pointBox(f.centroid) });
    if (!bodies.length && !faces.size) throw new UnreadableModelError(input, stagedName, run.lines);
    // (Gmsh prints the file's labels only in its log: OpenCASCADE's names reach no file in Gmsh 4.8)
    const labels = run.lines.map((l) => /Label '(.*)' \(3D\)/.exec(l)).flatMap((m) => (m ? [partName(m[1])] : []));
    // A label names a body only when the file labels each body once (Gmsh binds them in the same order).
    if (labels.length === bodies.length) bodies.forEach((b, i) => (b.label = labels[i] || null));
    let mesh: MshMesh | null = null;
    try {
      mesh = readMshFile(join(dir, MESH), undefined, { all: true });
    } catch {
      /* no surface mesh: no body lists its faces, and normals stay null */
    }
    const sign = new Map<string, number>();
    for (const v of mesh?.volumeFaces ?? []) {
      const b = bodies.find((x) => x.tag === v.tag);
      for (const s of v.faces) {
        b?.faces.push(Math.abs(s));
        faces.get(Math.abs(s))?.bodies.push(v.tag);
        sign.set(`${v.tag}:${Math.abs(s)}`, Math.sign(s));
      }
    }
    if (mesh) addNormals(mesh, faces, sign);
    const byTag = new Map(curves.map((c) => [c.tag, c]));
    for (const c of mesh?.curvePoints ?? []) {
      const curve = byTag.get(c.tag);
      if (!curve) continue;
      curve.points.push(...c.points.map(Math.abs));
      curve.box = c.box;
    }
    for (const s of mesh?.surfaceCurves ?? []) {
      const f = faces.get(s.tag);
      if (!f) continue;
      f.curves.push(...s.curves);
      f.box = s.box;
      const perimeter = usedOnce(s.curves).reduce((sum, c) => sum + (byTag.get(c)?.length ?? 0), 0);
      f.width = perimeter > 0 ? (2 * f.area) / perimeter : null;
    }
    let angles: FaceAngle[] = [];
    try {
      angles = faceAngles(readMshFile(join(dir, CURVED_MESH), undefined, { full: true }));
    } catch {
      /* no quadratic mesh (the surface mesh failed): no angles, and no compound attempt */
    }
    return {
      unit: 'mm',
      diagonal,
      bodies,
      faces: [...faces.values()].sort((a, b) => a.tag - b.tag),
      curves,
      faceAngles: angles,
      vertices: (mesh?.pointPositions ?? []).map((p) => ({ tag: p.tag, xyz: p.xyz })),
      corners: mesh ? faceCorners(mesh) : [],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The model read found no solid and no face: the file is refused before any attempt runs, in one short message with
 * OpenCASCADE's own reason (a truncated STEP: "StepFile : Undefined Parsing: Line 1009: ... unexpected end of file").
 * Gmsh's whole log of the read travels with it for the job's log.
 */
export class UnreadableModelError extends InputRejectedError {
  /** Gmsh's log of the read, without OpenCASCADE's colour escapes. */
  readonly gmshLines: string[];
  constructor(input: InspectedInput, stagedName: string, lines: string[]) {
    super(
      'input-unreadable',
      `${input.path}: no solid and no face could be read from it, so there is nothing to mesh. OpenCASCADE: ${occReason(lines, stagedName, basename(input.path))}`,
      'Check the file in the CAD tool that wrote it (a truncated or empty export?) and export it again.',
    );
    this.name = 'UnreadableModelError';
    this.gmshLines = lines.map((l) => l.replace(ANSI, ''));
  }
}

// eslint-disable-next-line no-control-regex -- OpenCASCADE colours its messages with ANSI escapes
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * What OpenCASCADE said while reading (its own lines, without Gmsh's level prefix), else Gmsh's errors about the file,
 * the staged name replaced by the user's; at most 300 characters.
 */
function occReason(lines: string[], stagedName: string, userName: string): string {
  const clean = lines.map((l) => l.replace(ANSI, '').trim()).filter(Boolean);
  const occ = clean
    .filter((l) => !/^(Info|Warning|Error|Debug)\s*:/.test(l))
    .map((l) => l.replace(/^\*+\s*(ERR\s+)?|\s*\*+$/g, '').trim());
  const gmsh = clean
    .filter((l) => /^Error\s*:/.test(l) && !/\.geo'/.test(l))
    .map((l) => l.replace(/^Error\s*:\s*/, '').replaceAll(stagedName, userName));
  const said = [...new Set([...occ, ...gmsh].filter(Boolean))];
  const text = said.length ? said.join('; ') : 'no error, and no shape in the file';
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/**
 * The part's own name from Gmsh's label path (`Shapes/<assembly>/<instance>/<part>`): its last segment, or '' when
 * it is only the name a STEP writer puts in when the CAD gave none ("Open CASCADE STEP translator 7.6 1.2").
 */
function partName(labelPath: string): string {
  const last = labelPath.split('/').filter(Boolean).pop() ?? '';
  // (capped: a label travels with the attempt spec, whose fields the worker bounds)
  return /^Open CASCADE STEP translator\b/i.test(last) || /^Shapes$/.test(last) ? '' : last.trim().slice(0, 200);
}

const pointBox = (p: [number, number, number]): Box6 => [p[0], p[1], p[2], p[0], p[1], p[2]];

function addNormals(m: MshMesh, faces: Map<number, CadFace>, sign: Map<string, number>) {
  const acc = new Map<number, [number, number, number, number]>();
  const X = m.nodes;
  for (let t = 0; t < m.triangleEntities.length; t++) {
    const [a, b, c] = [m.triangles[3 * t], m.triangles[3 * t + 1], m.triangles[3 * t + 2]];
    const u = [X[3 * b] - X[3 * a], X[3 * b + 1] - X[3 * a + 1], X[3 * b + 2] - X[3 * a + 2]];
    const v = [X[3 * c] - X[3 * a], X[3 * c + 1] - X[3 * a + 1], X[3 * c + 2] - X[3 * a + 2]];
    const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
    const e = m.triangleEntities[t];
    const s = acc.get(e) ?? [0, 0, 0, 0];
    s[0] += n[0];
    s[1] += n[1];
    s[2] += n[2];
    s[3] += Math.hypot(n[0], n[1], n[2]);
    acc.set(e, s);
  }
  for (const [tag, [x, y, z, total]] of acc) {
    const f = faces.get(tag);
    if (!f || total === 0) continue;
    const len = Math.hypot(x, y, z);
    if (len < 0.5 * total) continue;
    // Outward for the (first) body it bounds: Boundary{} gives the face's orientation in that body's shell.
    const o = f.bodies.length ? (sign.get(`${f.bodies[0]}:${tag}`) ?? 1) : 1;
    f.normal = [(o * x) / len, (o * y) / len, (o * z) / len].map((c) => Math.round(c * 1e9) / 1e9 + 0) as [
      number,
      number,
      number,
    ];
  }
}
