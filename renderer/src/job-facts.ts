// What tells one run from another, in words: the facts a job row, the Compare header and the delete confirmation
// show (part, time, backend, strategy kept, sizes, groups, exports ...), and the badges of a job (its status and the
// flags beside it). A new flag or status is one more entry in `jobBadges`; a new setting one more fact in `runFacts`.
import { DEFAULT_SETTINGS as D, type JobResult, type LayerRequest } from '../../src/contract/job';
import { chosenAlgorithms } from '../../src/contract/algorithms';
import { fmtCount, fmtMs } from './format';

/** Boundary layers in the words of the CLI's `--layers GROUP=COUNT,FIRST,GROWTH`. */
export const layerFlag = (l: LayerRequest) => `${l.target}=${l.count},${l.first},${l.growth}`;

export const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** When the job was made: the time of day today, else the date and time (to the second: two runs a minute apart). */
export function jobTime(j: Pick<JobResult, 'createdAt'>, now = new Date()): string {
  const d = new Date(j.createdAt);
  if (Number.isNaN(d.getTime())) return j.createdAt;
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (d.toDateString() === now.toDateString()) return time;
  return `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${time}`;
}

export interface Fact {
  /** Stable key: the same fact of two jobs is compared by it. */
  key: string;
  /** Short label (shown in rows). */
  text: string;
  /** Name of the setting, for "what differs" lines. */
  name: string;
  /** The value alone, for "what differs" lines. */
  value: string;
  /** The setting is at its default: a row leaves it out (its hover text still lists it). */
  usual?: boolean;
}

const fact = (key: string, name: string, value: string, text = `${name} ${value}`, usual = false): Fact => ({
  key,
  name,
  value,
  text,
  usual,
});

/**
 * What was asked of a run: every setting that can make two runs of one part differ. Settings at their default are
 * listed too (as a value), so a difference always shows on both sides.
 */
export function runFacts(j: JobResult): Fact[] {
  const s = j.settings;
  const local = s.sizing?.local ?? [];
  const groups = s.groups ?? [];
  const layers = s.layers ?? [];
  const unit = j.units ?? s.units ?? 'mm';
  const sizing = s.sizing ?? {};
  const policy = s.policy === 'best' ? 'best of all' : 'first acceptable';
  const out: Fact[] = [
    fact('size', 'size', `×${s.sizeFactor}`),
    fact(
      'local',
      'local sizes',
      local.length ? local.map((l) => `${l.target}=${l.size} ${unit}`).join(', ') : 'none',
      `${local.length} local size${local.length > 1 ? 's' : ''}`,
      !local.length,
    ),
    fact(
      'groups',
      'groups',
      groups.length ? groups.map((g) => g.name).join(', ') : 'none',
      `groups ${groups.map((g) => g.name).join(', ')}`,
      !groups.length,
    ),
    fact(
      'layers',
      'layers',
      layers.length ? layers.map(layerFlag).join(' ') : 'none',
      `layers ${layers.map(layerFlag).join(' ')}`,
      !layers.length,
    ),
    fact(
      'exports',
      'exports',
      s.exports?.length ? s.exports.join(', ') : 'none',
      `exports ${s.exports?.join(', ')}`,
      !s.exports?.length,
    ),
  ];
  if (sizing.sizeMin !== undefined) out.push(fact('sizeMin', 'size min', `${sizing.sizeMin} ${unit}`));
  if (sizing.sizeMax !== undefined) out.push(fact('sizeMax', 'size max', `${sizing.sizeMax} ${unit}`));
  if (sizing.targetElements !== undefined)
    out.push(fact('targetElements', 'target', `${fmtCount(sizing.targetElements)} tets`));
  if (sizing.curvature !== undefined) out.push(fact('curvature', 'curvature', `${sizing.curvature}/2π`));
  if (sizing.growth !== undefined) out.push(fact('growth', 'growth', String(sizing.growth)));
  if (sizing.fragment === false) out.push(fact('fragment', 'bodies', 'kept apart'));
  out.push(
    fact('order', 'order', String(s.elementOrder), `order ${s.elementOrder}`, s.elementOrder === D.elementOrder),
    fact('policy', 'policy', policy, policy, s.policy === D.policy),
    fact('minSicn', 'SICN ≥', String(s.targets.minSicn), undefined, s.targets.minSicn === D.targets.minSicn),
    fact('asked', 'strategy asked', s.strategy ?? 'catalogue', `asked ${s.strategy}`, !s.strategy),
  );
  for (const { flag, entry } of chosenAlgorithms(s.algorithms))
    out.push(fact(flag, flag.slice(2).replace('-', ' '), entry.name));
  if (s.units) out.push(fact('units', 'units', s.units));
  return out;
}

/** Where and how it ran: part, time, backend, strategy kept, size of the mesh, time taken. */
export function outcomeFacts(j: JobResult): Fact[] {
  return [
    fact('part', 'part', baseName(j.input.path), baseName(j.input.path)),
    fact('time', 'started', jobTime(j), jobTime(j)),
    fact('backend', 'backend', j.backend ?? j.requestedBackend, j.backend ?? j.requestedBackend),
    fact('strategy', 'strategy kept', j.strategy ?? '—', j.strategy ?? (j.status === 'completed' ? '—' : 'none yet')),
    fact(
      'tets',
      'tets',
      j.mesh ? fmtCount(j.mesh.elements.tetrahedra) : '—',
      j.mesh ? `${fmtCount(j.mesh.elements.tetrahedra)} tets` : '',
    ),
    // Boundary layers: the prisms (and pyramids) grown, beside the tets.
    ...(j.mesh?.elements.prisms || j.mesh?.elements.pyramids
      ? [
          fact(
            'layerElements',
            'prisms',
            `${fmtCount(j.mesh.elements.prisms ?? 0)} prisms, ${fmtCount(j.mesh.elements.pyramids ?? 0)} pyramids`,
            `${fmtCount(j.mesh.elements.prisms ?? 0)} prisms`,
          ),
        ]
      : []),
    fact('took', 'took', fmtMs(j.timings?.totalMs || null), j.timings?.totalMs ? fmtMs(j.timings.totalMs) : ''),
  ];
}

/** The facts of two jobs that differ (the part, backend and settings; not the time or the outcome's size). */
export function differingFacts(a: JobResult, b: JobResult): { name: string; a: string; b: string }[] {
  const keep = (f: Fact[]) => f.filter((x) => ['part', 'backend', 'strategy'].includes(x.key));
  const fa = [...keep(outcomeFacts(a)), ...runFacts(a)];
  const fb = [...keep(outcomeFacts(b)), ...runFacts(b)];
  const keys = [...new Set([...fa, ...fb].map((f) => f.key))];
  const out: { name: string; a: string; b: string }[] = [];
  for (const k of keys) {
    const x = fa.find((f) => f.key === k);
    const y = fb.find((f) => f.key === k);
    const name = (x ?? y)!.name;
    const va = x?.value ?? 'default';
    const vb = y?.value ?? 'default';
    if (va !== vb) out.push({ name, a: va, b: vb });
  }
  return out;
}

export interface Badge {
  key: string;
  text: string;
  /** A css class: st-<status> colours, or flag-<kind>. */
  tone: string;
  title: string;
}

/** The status, then the flags a job carries (below target, stopped, fell back). */
export function jobBadges(j: JobResult): Badge[] {
  const out: Badge[] = [{ key: 'status', text: j.status, tone: `st-${j.status}`, title: statusTitle(j) }];
  if (j.status === 'completed' && j.targets && !j.targets.met)
    out.push({
      key: 'below',
      text: 'below target',
      tone: 'flag-warn',
      title: `The best valid mesh was kept below the targets: ${j.targets.missed.join('; ')}`,
    });
  if (j.stopped) out.push({ key: 'stopped', text: 'stopped', tone: 'flag-muted', title: j.stopped.reason });
  if (j.fallback)
    out.push({
      key: 'fallback',
      text: 'ran locally',
      tone: 'flag-muted',
      title: `Fell back from ${j.fallback.from}: ${j.fallback.reason}`,
    });
  return out;
}

function statusTitle(j: JobResult): string {
  if (j.status === 'failed' || j.status === 'rejected') return j.error?.message ?? j.status;
  if (j.status === 'completed') return `Meshed with ${j.strategy} on ${j.backend}`;
  return j.status;
}
