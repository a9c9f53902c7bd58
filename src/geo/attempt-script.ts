// The exact Gmsh command of an attempt and the .geo script it runs: Gmsh opens the script, never the user's path.
// The script merges the staged input by bare name (Gmsh resolves it beside the script), sets options, adds geometry
// and size fields, and defines the physical groups, so `attempts[].argv` plus this file replay the attempt by hand.
import { basename, join } from 'node:path';
import { algorithmOptions } from '../contract/algorithms';
import type { AttemptSpec } from '../contract/attempt';
import { LOWER_DIM_GROUPS, PHYSICAL_BASE } from '../contract/groups';
import { UNIT_SCALE } from '../contract/job';
import { checkSizing } from '../sizing/resolve';
import { findEntry } from '../strategy/catalogue';
import { ConfigError } from '../util/errors';
import { GeoScript } from './geo-script';
import { addSizing } from './size-fields';
import { NETGEN_SCRIPT } from '../netgen/netgen-script';

const num = (v: number) => String(Number(v.toPrecision(12)));

export interface AttemptCommand {
  argv: string[];
  outFile: string;
  /** Files to write before running: the attempt's .geo script (and the netgen attempt's Python program). */
  files: { path: string; content: string }[];
  /** A command to run first, in the same folder (the netgen attempt: Netgen meshes, then Gmsh adds the groups). */
  before?: string[];
}

/**
 * The physical groups of an attempt: the ones given (bodies, faces, interfaces and the user's, computed from the
 * model), else one per body and one per face as Gmsh finds them (an STL's classified surfaces); then every curve and
 * every point, so each element saved carries a physical tag (meshio reads the .msh only then).
 */
function addGroups(script: GeoScript, groups: AttemptSpec['groups']): void {
  if (!groups)
    script.physicalPerEntity(3, 'Body_', PHYSICAL_BASE.body).physicalPerEntity(2, 'Face_', PHYSICAL_BASE.face);
  else for (const g of groups) script.physical(g.dim, g.name, g.physical, g.tags);
  for (const g of LOWER_DIM_GROUPS) script.physicalAll(g.dim, g.name, g.physical);
}

/**
 * The exact Gmsh command of an attempt: Gmsh runs the attempt's generated .geo script, which merges the staged
 * input (`modelPath`, in `workDir`, by bare name) and defines the physical groups. `stlDiagonal` sizes the STL
 * route (classified surfaces carry no mesh size of their own).
 */
export function attemptCommand(
  gmsh: string,
  spec: AttemptSpec,
  modelPath: string,
  workDir: string,
  stlDiagonal?: number,
): AttemptCommand {
  const entry = findEntry(spec.strategy);
  if (!entry) throw new ConfigError('unknown-strategy', `No strategy "${spec.strategy}".`);
  const outFile = join(workDir, `attempt-${spec.index}-${entry.name}.msh`);
  const geoFile = join(workDir, `attempt-${spec.index}-${entry.name}.geo`);
  if (entry.engine === 'netgen') return netgenCommand(gmsh, spec, basename(modelPath), outFile, geoFile);
  const size = spec.sizeFactor * (entry.sizeScale ?? 1);
  const script = new GeoScript();
  const inputName = basename(modelPath);
  if (entry.route === 'stl') {
    const c = entry.classify!;
    script
      .merge(inputName)
      .classifySurfaces((c.angleDeg * Math.PI) / 180, c.forceParametrizablePatches)
      .option('Mesh.MeshSizeMax', (stlDiagonal ?? 1) / 25);
  } else {
    script.factory('OpenCASCADE').merge(inputName);
    // touching solids made conformal; their Interface_<a>_<b> groups come with the model's groups
    if (spec.sizing?.fragment !== false) script.fragmentSolids();
    for (const g of spec.compounds ?? []) script.compoundSurface(g);
    if (spec.cusps) script.pointSize(spec.cusps.points, spec.cusps.size);
  }
  // Checked again here: a spec can arrive from elsewhere (the worker's runner), and the numbers are all that reach
  // Gmsh (a size of 1e-300 would run it until the watchdog).
  const r = spec.repair;
  if (spec.sizing) checkSizing(spec.sizing);
  if (r)
    checkSizing({
      local: [...r.balls, { size: r.farSize }].map((b) => ({ target: `repair of ${r.from}`, size: b.size })),
    });
  addSizing(
    script,
    spec.sizing,
    spec.features ? { sizing: spec.features, scale: size } : undefined,
    r ? { spec: r, scale: size } : undefined,
  );
  // Groups keep every element: without SaveAll Gmsh would drop the points and curves no group names.
  script.option('Mesh.SaveAll', 1);
  if (spec.units && spec.units !== 'mm') script.option('Mesh.ScalingFactor', UNIT_SCALE[spec.units]);
  addGroups(script, spec.groups);
  let argv = [gmsh, geoFile, '-3', '-nt', '1', '-format', 'msh41', '-bin', '-o', outFile];
  if (r) {
    // Relocate3D is a command, not an option: the script meshes, optimises and saves itself, and Gmsh only parses it
    // (with -3 on the command line Gmsh would mesh again after the script and drop the optimisation).
    script.mesh(3).optimize('Relocate3D');
    if (r.netgen) script.optimize('Netgen');
    script.save(basename(outFile));
    argv = [gmsh, geoFile, '-nt', '1', '-bin', '-parse_and_exit'];
  }
  if (size !== 1) argv.push('-clscale', num(size));
  // Curving the edges onto the CAD can fold elements; Gmsh's elastic analogy + optimisation (HighOrderOptimize 2)
  // unfolds them, and the quality kernel's scaled Jacobian checks the result.
  if (spec.elementOrder === 2) argv.push('-order', '2', '-setnumber', 'Mesh.HighOrderOptimize', '2');
  for (const [k, v] of entry.options) argv.push('-setnumber', k, num(v));
  // The job's choice of algorithms comes last, so it wins over the attempt's own.
  for (const [k, v] of algorithmOptions(spec.algorithms)) argv.push('-setnumber', k, num(v));
  return { argv, outFile, files: [{ path: geoFile, content: script.text() }] };
}

/**
 * The netgen attempt: Netgen (python3-netgen, its own process) meshes the staged input into a msh 2.2 file whose
 * faces carry the model's tags, then Gmsh merges it, adds the job's groups and saves msh 4.1 like any attempt.
 */
function netgenCommand(gmsh: string, spec: AttemptSpec, inputName: string, outFile: string, geoFile: string) {
  const ng = spec.netgen;
  if (!ng) throw new ConfigError('unknown-strategy', 'The netgen attempt needs its Netgen settings (spec.netgen).');
  const program = geoFile.replace(/\.geo$/, '.py');
  const ngMesh = basename(geoFile).replace(/\.geo$/, '-netgen.msh');
  const values = [ng.maxh, ng.curvatureSafety, ng.closeEdges];
  if (!values.every((v) => Number.isFinite(v) && v >= 0) || !(ng.maxh > 0) || !Number.isInteger(ng.faces))
    throw new ConfigError('invalid-size', `Netgen settings out of range: ${JSON.stringify(values)}.`);
  const script = new GeoScript().merge(ngMesh);
  if (spec.units && spec.units !== 'mm') script.option('Mesh.ScalingFactor', UNIT_SCALE[spec.units]);
  addGroups(script, spec.groups);
  script.save(basename(outFile));
  return {
    before: [ng.python, program, inputName, ngMesh, ...values.map(num), String(ng.faces)],
    argv: [gmsh, geoFile, '-nt', '1', '-format', 'msh41', '-bin', '-parse_and_exit'],
    outFile,
    files: [
      { path: program, content: NETGEN_SCRIPT },
      { path: geoFile, content: script.text() },
    ],
  };
}
