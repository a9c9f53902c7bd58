// Turns settings + input + Gmsh capabilities into attempts (AttemptSpec); src/geo/attempt-script.ts turns one into
// its exact argv and script.
import type { GmshInfo } from '../contract/api';
import type { AttemptSizing, AttemptSpec } from '../contract/attempt';
import type { InputFormat, MeshSettings } from '../contract/job';
import { checkSizing, resolveLocalSizes } from '../sizing/resolve';
import { gmshDefaultSize } from '../sizing/requested-size';
import { smallFeatureSizing } from '../sizing/small-features';
import { compoundGroups, type TopologyFacts } from './compound-groups';
import { cuspSizing, type CornerFacts } from './cusp-points';
import { ConfigError } from '../util/errors';
import { CAPABILITY_LABEL, chosenAlgorithms } from '../contract/algorithms';
import { catalogueFor, findEntry, routeOf, skipReason, type CatalogueEntry } from './catalogue';

export interface PlannedAttempt {
  spec: AttemptSpec;
  entry: CatalogueEntry;
  /** Non-null: not run, with this reason. */
  skip: string | null;
}

/**
 * The attempts a job will consider, in order. `strategy` names one attempt or a comma-separated list (run in that
 * order: e.g. a benchmark of the catalogue without its newer attempts), `exhaustive` all, null the catalogue.
 */
export function planAttempts(
  jobId: string,
  format: InputFormat,
  settings: MeshSettings,
  caps: GmshInfo['capabilities'],
): PlannedAttempt[] {
  const available = catalogueFor(format);
  const named = settings.strategy && settings.strategy !== 'exhaustive' ? settings.strategy.split(',') : null;
  const entries = named ? named.map((name) => namedEntry(name.trim(), format, available)) : available;
  const twice = entries.find((e, i) => entries.indexOf(e) !== i);
  if (twice)
    throw new ConfigError(
      'unknown-strategy',
      `The attempt "${twice.name}" is named twice in --strategy.`,
      'Name each attempt once.',
    );
  // An algorithm this Gmsh build lacks fails the plan in words (the CLI has already refused unknown names).
  for (const { flag, entry } of chosenAlgorithms(settings.algorithms))
    if (entry.needs && !caps[entry.needs])
      throw new ConfigError(
        'unsupported-algorithm',
        `${flag} ${entry.name} needs ${CAPABILITY_LABEL[entry.needs]}, which this Gmsh build does not have.`,
        'Choose another algorithm, or a Gmsh built with it (Settings → Gmsh, or MESHBENCH_GMSH).',
      );
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
      ...(settings.algorithms && Object.keys(settings.algorithms).length ? { algorithms: settings.algorithms } : {}),
    },
  }));
}

/** The catalogue entry a strategy names, or why it cannot be asked for. */
function namedEntry(name: string, format: InputFormat, available: CatalogueEntry[]): CatalogueEntry {
  const e = findEntry(name);
  const choose = `Choose one of: ${available.map((x) => x.name).join(', ')}, or exhaustive.`;
  if (!e || e.route !== routeOf(format))
    throw new ConfigError(
      'unknown-strategy',
      `No strategy "${name}" for ${format.startsWith('stl') ? 'STL' : 'CAD'} input.`,
      choose,
    );
  if (e.onDemand)
    throw new ConfigError(
      'unknown-strategy',
      `"${e.name}" is planned by the cascade when a mesh needs it; it cannot be asked for on its own.`,
      choose,
    );
  return e;
}

/** The job's sizing with local targets resolved to CAD entities; a bad flag or unknown group fails the plan. */
function attemptSizing(settings: MeshSettings): AttemptSizing {
  const { local, ...rest } = settings.sizing!;
  checkSizing(rest);
  return { ...rest, ...(local?.length ? { local: resolveLocalSizes(local, settings.groups) } : {}) };
}

/**
 * Fills in the attempts planned from the part's model read (the small-features attempt's short curves, the
 * compound-fillets attempt's merged faces), or skips them with the reason: no model (an STL, or a read that failed),
 * or nothing to size or merge.
 */
export function planFromModel(
  planned: PlannedAttempt[],
  model: (TopologyFacts & CornerFacts & { bodies: readonly unknown[] }) | null,
  netgen: { python: string } | { reason: string },
): void {
  for (const p of planned) {
    if (p.skip) continue;
    if (p.entry.fromModel === 'netgen') {
      p.skip = netgenSkip(p, model, netgen);
      if (!p.skip && model && 'python' in netgen)
        p.spec.netgen = {
          python: netgen.python,
          maxh: Number((gmshDefaultSize(model.diagonal) * p.spec.sizeFactor).toPrecision(6)),
          curvatureSafety: 0.5,
          closeEdges: 0,
          faces: model.faces.length,
        };
      continue;
    }
    if (p.entry.fromModel === 'cusps') {
      const cusps = model && cuspSizing(model);
      if (cusps) p.spec.cusps = cusps;
      else p.skip = model ? 'the part has no face corner under 10° (a cusp)' : "the part's model could not be read";
      continue;
    }
    const sizeFactor = p.spec.sizeFactor * (p.entry.sizeScale ?? 1);
    const features = model && smallFeatureSizing(model, sizeFactor);
    if (p.entry.fromModel === 'narrow-faces' || p.entry.fromModel === 'sliver-faces') {
      const slivers = p.entry.fromModel === 'sliver-faces';
      p.skip = compoundSkip(p, model);
      const compounds = !p.skip && model ? compoundGroups(model, sizeFactor, { slivers }) : [];
      // (the sliver variant without a sliver would mesh exactly like compound-fillets)
      const same = slivers && model && sameGroups(compounds, compoundGroups(model, sizeFactor));
      if (compounds.length && !same) {
        p.spec.compounds = compounds;
        if (features) p.spec.features = features;
      } else
        p.skip ??= same
          ? 'every narrow face of the part meets a neighbour tangentially: compound-fillets merges them all'
          : slivers
            ? 'the part has no face narrower than half the element size'
            : 'the part has no face narrower than half the element size that meets a neighbour tangentially (a fillet strip)';
      continue;
    }
    if (p.entry.fromModel !== 'short-curves') continue;
    if (features) p.spec.features = features;
    else
      p.skip = model
        ? 'the part has no CAD curve shorter than half the element size'
        : "the part's CAD curves could not be read";
  }
}

const sameGroups = (a: number[][], b: number[][]) => JSON.stringify(a) === JSON.stringify(b);

/** Why the compound-fillets attempt cannot run on this part with these settings, or null. */
function compoundSkip(p: PlannedAttempt, model: TopologyFacts | null): string | null {
  if (!model) return "the part's model could not be read";
  // (a model read that made no surface mesh has no angles between faces)
  if (!model.faceAngles.length) return "the angles between the part's faces could not be read";
  if (p.spec.algorithms?.algorithm3d === 'hxt') return "compound surfaces fail with Gmsh 4.8's HXT; this job chose it";
  return null;
}

/** Why the netgen attempt cannot run on this part here, or null. */
function netgenSkip(
  p: PlannedAttempt,
  model: { bodies: readonly unknown[] } | null,
  netgen: { python: string } | { reason: string },
): string | null {
  if ('reason' in netgen) return netgen.reason;
  if (!model) return "the part's model could not be read";
  // python3-netgen 6.2 crashed (SIGSEGV) on a two-solid part, with or without healing
  if (model.bodies.length !== 1) return `Netgen meshes single-solid parts here; this one has ${model.bodies.length}`;
  if (p.spec.elementOrder !== 1) return 'Netgen makes linear elements here';
  if (p.spec.sizing) return 'Netgen here takes no size settings';
  return null;
}
