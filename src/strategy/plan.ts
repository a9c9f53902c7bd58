// Turns settings + input + Gmsh capabilities into attempts (AttemptSpec), and one attempt into its exact argv.
import { basename, join } from 'node:path';
import type { GmshInfo } from '../contract/api';
import type { AttemptSizing, AttemptSpec } from '../contract/attempt';
import { LOWER_DIM_GROUPS, PHYSICAL_BASE } from '../contract/groups';
import type { InputFormat, MeshSettings } from '../contract/job';
import { GeoScript, geoNumber, geoString } from '../geo/geo-script';
import { addFragments } from '../sizing/fragment';
import { checkSizing, resolveLocalSizes } from '../sizing/resolve';
import { addSizing } from '../sizing/size-fields';
import { ConfigError } from '../util/errors';
import { catalogueFor, findEntry, routeOf, skipReason, type CatalogueEntry } from './catalogue';

export interface PlannedAttempt {
  spec: AttemptSpec;
  entry: CatalogueEntry;
  /** Non-null: not run, with this reason. */
  skip: string | null;
}

/** The attempts a job will consider, in order. `strategy` names one attempt, `exhaustive` all, null the catalogue. */
export function planAttempts(
  jobId: string,
  format: InputFormat,
  settings: MeshSettings,
  caps: GmshInfo['capabilities'],
): PlannedAttempt[] {
  const available = catalogueFor(format);
  let entries: CatalogueEntry[];
  if (settings.strategy && settings.strategy !== 'exhaustive') {
    const e = findEntry(settings.strategy);
    if (!e || e.route !== routeOf(format))
      throw new ConfigError(
        'unknown-strategy',
        `No strategy "${settings.strategy}" for ${format.startsWith('stl') ? 'STL' : 'CAD'} input.`,
        `Choose one of: ${available.map((x) => x.name).join(', ')}, or exhaustive.`,
      );
    if (e.onDemand)
      throw new ConfigError(
        'unknown-strategy',
        `"${e.name}" is planned by the cascade when a mesh needs it; it cannot be asked for on its own.`,
        `Choose one of: ${available.map((x) => x.name).join(', ')}, or exhaustive.`,
      );
    entries = [e];
  } else entries = available;
  return entries.map((entry, index) => ({
    entry,
    skip: skipReason(entry, caps),
    spec: {
      jobId,
      index,
      strategy: entry.name,
      inputFormat: format,
      sizeFactor: settings.sizeFactor,
      elementOrder: settings.elementOrder,
      timeoutSec: settings.attemptTimeoutSec,
      ...(settings.units ? { units: settings.units } : {}),
      ...(settings.sizing ? { sizing: attemptSizing(settings) } : {}),
    },
  }));
}

/** The job's sizing with local targets resolved to CAD entities; a bad flag or unknown group fails the plan. */
function attemptSizing(settings: MeshSettings): AttemptSizing {
  const { local, ...rest } = settings.sizing!;
  checkSizing(rest);
  return { ...rest, ...(local?.length ? { local: resolveLocalSizes(local, settings.groups) } : {}) };
}

const num = (v: number) => String(Number(v.toPrecision(12)));

export interface AttemptCommand {
  argv: string[];
  outFile: string;
  /** Files to write before running: the attempt's .geo script. */
  files: { path: string; content: string }[];
}

/** Millimetres (OpenCASCADE's unit for STEP/IGES; assumed for BREP and STL) to the unit asked for. */
export const UNIT_SCALE = { mm: 1, m: 0.001, in: 1 / 25.4 } as const;

/**
 * The physical groups of an attempt: the ones given, else one per body and one per face; then every curve and every
 * point, so each element saved carries a physical tag (meshio reads the .msh only then).
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
  const size = spec.sizeFactor * (entry.sizeScale ?? 1);
  // Checked again here: a spec can arrive from elsewhere (the worker's runner), and numbers are all that reach Gmsh.
  if (spec.sizing) checkSizing(spec.sizing);
  const script = new GeoScript();
  const inputName = basename(modelPath);
  if (entry.route === 'stl') {
    const c = entry.classify!;
    script
      .merge(inputName)
      .add(
        'geometry',
        `ClassifySurfaces{${geoNumber((c.angleDeg * Math.PI) / 180)}, 1, ${c.forceParametrizablePatches ? 1 : 0}, ${geoNumber(Math.PI)}}`,
      )
      .add('geometry', 'CreateGeometry')
      .add('geometry', 'Surface Loop(1) = Surface{:}')
      .add('geometry', 'Volume(1) = {1}')
      .option('Mesh.MeshSizeMax', (stlDiagonal ?? 1) / 25);
  } else {
    script.factory('OpenCASCADE').merge(inputName);
    if (spec.sizing?.fragment !== false) addFragments(script);
  }
  // A repair refines the faces it names through the same local-size fields the user's --size gets.
  const r = spec.repair;
  addSizing(
    script,
    r
      ? {
          ...spec.sizing,
          local: [
            ...(spec.sizing?.local ?? []),
            { target: `repair of ${r.from}`, dim: 2, tags: r.surfaces, size: r.sizeMin, reach: r.reach },
          ],
        }
      : spec.sizing,
  );
  // Groups keep every element: without SaveAll Gmsh would drop the points and curves no group names.
  script.option('Mesh.SaveAll', 1);
  if (spec.units && spec.units !== 'mm') script.option('Mesh.ScalingFactor', UNIT_SCALE[spec.units]);
  addGroups(script, spec.groups);
  let argv = [gmsh, geoFile, '-3', '-nt', '1', '-format', 'msh41', '-bin', '-o', outFile];
  if (r) {
    // Relocate3D is a command, not an option: the script meshes, optimises and saves itself, and Gmsh only parses it
    // (with -3 on the command line Gmsh would mesh again after the script and drop the optimisation).
    script.add('actions', 'Mesh 3').add('actions', 'OptimizeMesh "Relocate3D"');
    if (r.netgen) script.add('actions', 'OptimizeMesh "Netgen"');
    script.add('actions', `Save ${geoString(basename(outFile))}`);
    argv = [gmsh, geoFile, '-nt', '1', '-bin', '-parse_and_exit'];
  }
  if (size !== 1) argv.push('-clscale', num(size));
  // Curving the edges onto the CAD can fold elements; Gmsh's elastic analogy + optimisation (HighOrderOptimize 2)
  // unfolds them, and the quality kernel's scaled Jacobian checks the result.
  if (spec.elementOrder === 2) argv.push('-order', '2', '-setnumber', 'Mesh.HighOrderOptimize', '2');
  for (const [k, v] of entry.options) argv.push('-setnumber', k, num(v));
  return { argv, outFile, files: [{ path: geoFile, content: script.text() }] };
}
