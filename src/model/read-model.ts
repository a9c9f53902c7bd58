// The CAD's bodies and faces as Gmsh's OpenCASCADE import sees them: tag, volume or area, centroid, the faces of
// each body, body names from the file's labels, and each face's mean outward normal (from a coarse surface mesh).
// Read once per input (by sha256) and kept in the job store; entity tags are the ones every attempt's script sees.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stageInput } from '../input/stage';
import { addFragments } from '../sizing/fragment';
import { GeoScript } from '../geo/geo-script';
import { runGmsh } from '../gmsh/run';
import { memoryExceededMessage } from '../gmsh/memory';
import type { InspectedInput } from '../input/inspect';
import { readMshFile } from '../mesh/msh-reader';
import { InputRejectedError } from '../util/errors';

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
}
export interface CadModel {
  /** Length unit of the tags' geometry: OpenCASCADE converts STEP and IGES to millimetres; BREP carries none. */
  unit: 'mm';
  bodies: CadBody[];
  faces: CadFace[];
}

const VEC = '%.17g %.17g %.17g';

function modelScript(inputName: string, meshName: string, fragment: boolean): string {
  const s = new GeoScript().factory('OpenCASCADE').merge(inputName);
  if (fragment) addFragments(s); // the same geometry the attempts mesh, so face tags agree
  const g = (t: string) => s.add('geometry', t);
  g('mbV[] = Volume{:};');
  g('For mbI In {0:#mbV[]-1}');
  g('  mbC[] = CenterOfMass Volume{mbV[mbI]};');
  g(`  Printf("MB_BODY %g %.17g ${VEC}", mbV[mbI], Mass Volume{mbV[mbI]}, mbC[0], mbC[1], mbC[2]);`);
  g('  mbB[] = Boundary{Volume{mbV[mbI]};};');
  g('  For mbJ In {0:#mbB[]-1}');
  g('    Printf("MB_BOUNDARY %g %g", mbV[mbI], mbB[mbJ]);');
  g('  EndFor');
  g('EndFor');
  g('mbS[] = Surface{:};');
  g('For mbI In {0:#mbS[]-1}');
  g('  mbC[] = CenterOfMass Surface{mbS[mbI]};');
  g(`  Printf("MB_FACE %g %.17g ${VEC}", mbS[mbI], Mass Surface{mbS[mbI]}, mbC[0], mbC[1], mbC[2]);`);
  g('EndFor');
  s.option('Mesh.MeshSizeFactor', 4).option('Mesh.SaveAll', 1);
  s.add('physicals', 'Mesh 2');
  s.add('physicals', `Save "${meshName}"`);
  return s.text();
}

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
    const staged = stageInput(input, dir);
    writeFileSync(
      join(dir, 'model.geo'),
      modelScript(staged.slice(dir.length + 1), 'model.msh', opts.fragment !== false),
    );
    const run = await runGmsh([gmshPath, 'model.geo', '-nt', '1', '-parse_and_exit'], {
      cwd: dir,
      timeoutMs: opts.timeoutMs ?? 300_000,
      signal: opts.signal,
    });
    if (run.memoryExceeded)
      throw new InputRejectedError('input-memory', `${input.path}: ${memoryExceededMessage(run.memoryLimitBytes!)}`);
    const lines = run.lines;
    const bodies: CadBody[] = [];
    const faces = new Map<number, CadFace>();
    const labels: string[] = [];
    const sign = new Map<string, number>();
    for (const l of lines) {
      const f = l.trim().split(/\s+/);
      if (f[0] === 'MB_BODY')
        bodies.push({ tag: +f[1], label: null, volume: +f[2], centroid: [+f[3], +f[4], +f[5]], faces: [] });
      else if (f[0] === 'MB_FACE')
        faces.set(+f[1], { tag: +f[1], area: +f[2], centroid: [+f[3], +f[4], +f[5]], normal: null, bodies: [] });
      else if (f[0] === 'MB_BOUNDARY') {
        const [v, s] = [+f[1], +f[2]];
        bodies.find((b) => b.tag === v)?.faces.push(Math.abs(s));
        sign.set(`${v}:${Math.abs(s)}`, Math.sign(s));
      }
      const m = /Label '(.*)' \(3D\)/.exec(l);
      if (m) labels.push(partName(m[1]));
    }
    if (!bodies.length && !faces.size) {
      const errs = lines.filter((l) => /error/i.test(l));
      throw new InputRejectedError(
        'input-unreadable',
        `${input.path}: Gmsh found no body and no face in it${errs.length ? ` (${errs.join('; ')})` : ''}.`,
      );
    }
    // A label names a body only when the file labels each body once (Gmsh binds them in the same order).
    if (labels.length === bodies.length) bodies.forEach((b, i) => (b.label = labels[i] || null));
    for (const b of bodies) for (const t of b.faces) faces.get(t)?.bodies.push(b.tag);
    try {
      addNormals(join(dir, 'model.msh'), faces, bodies, sign);
    } catch {
      /* no surface mesh: normals stay null */
    }
    return { unit: 'mm', bodies, faces: [...faces.values()].sort((a, b) => a.tag - b.tag) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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

function addNormals(mshPath: string, faces: Map<number, CadFace>, bodies: CadBody[], sign: Map<string, number>) {
  const m = readMshFile(mshPath);
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
  void bodies;
}
