// Turns settings + input + Gmsh capabilities into attempts (AttemptSpec), and one attempt into its exact argv.
import { join } from 'node:path';
import type { GmshInfo } from '../contract/api';
import type { AttemptSpec } from '../contract/attempt';
import type { InputFormat, MeshSettings } from '../contract/job';
import { ConfigError } from '../util/errors';
import { catalogueFor, findEntry, routeOf, skipReason, type CatalogueEntry } from './catalogue';

export interface PlannedAttempt {
  spec: AttemptSpec;
  entry: CatalogueEntry;
  /** Non-null: not run, with this reason. */
  skip: string | null;
}

/** The attempts a job will consider, in order. `strategy` names one attempt, `exhaustive` all, null the catalogue. */
export function planAttempts(jobId: string, format: InputFormat, settings: MeshSettings, caps: GmshInfo['capabilities']): PlannedAttempt[] {
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
    },
  }));
}

const num = (v: number) => String(Number(v.toPrecision(12)));

export interface AttemptCommand {
  argv: string[];
  outFile: string;
  /** Files to write before running (the STL route's .geo script). */
  files: { path: string; content: string }[];
}

/**
 * The exact Gmsh command of an attempt. `modelPath` is the file Gmsh opens (the input itself, or a copy with the
 * extension Gmsh needs); `stlDiagonal` sizes the STL route (classified surfaces carry no mesh size of their own).
 */
export function attemptCommand(gmsh: string, spec: AttemptSpec, modelPath: string, workDir: string, stlDiagonal?: number): AttemptCommand {
  const entry = findEntry(spec.strategy);
  if (!entry) throw new ConfigError('unknown-strategy', `No strategy "${spec.strategy}".`);
  const outFile = join(workDir, `attempt-${spec.index}-${entry.name}.msh`);
  const size = spec.sizeFactor * (entry.sizeScale ?? 1);
  const files: AttemptCommand['files'] = [];
  let model = modelPath;
  if (entry.route === 'stl') {
    const c = entry.classify!;
    model = join(workDir, `attempt-${spec.index}-${entry.name}.geo`);
    // Merge by bare file name: Gmsh resolves it beside the .geo, so no path quoting is ever needed.
    const stlName = modelPath.slice(Math.max(modelPath.lastIndexOf('/'), modelPath.lastIndexOf('\\')) + 1);
    const lc = (stlDiagonal ?? 1) / 25;
    files.push({
      path: model,
      content: [
        `Merge "${stlName}";`,
        `ClassifySurfaces{${num((c.angleDeg * Math.PI) / 180)}, 1, ${c.forceParametrizablePatches ? 1 : 0}, ${num(Math.PI)}};`,
        'CreateGeometry;',
        'Surface Loop(1) = Surface{:};',
        'Volume(1) = {1};',
        `Mesh.MeshSizeMax = ${num(lc)};`,
        '',
      ].join('\n'),
    });
  }
  const argv = [gmsh, model, '-3', '-nt', '1', '-format', 'msh41', '-bin', '-o', outFile];
  if (size !== 1) argv.push('-clscale', num(size));
  if (spec.elementOrder === 2) argv.push('-order', '2');
  for (const [k, v] of entry.options) argv.push('-setnumber', k, num(v));
  return { argv, outFile, files };
}
