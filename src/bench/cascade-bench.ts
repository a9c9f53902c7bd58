// "Time to an acceptable mesh": the project's hard parts (resources/hard-parts) at size factor 0.5, each meshed by
// the adaptive cascade (budgets, bounded waits, targeted repair) and by the plain catalogue order, back to back in
// fresh data folders (no learned order from earlier runs). Reported: total wall time of each side over the set,
// and how many parts each made acceptable.
import { basename, join } from 'node:path';
import { median, meshFresh, type BenchRow } from './measure';

const HARD_PARTS = [
  'thin-wall.step',
  'small-fillet.step',
  'sliver-boss.step',
  'micro-fillet.step',
  'fillet-rim.step',
  'round-rim.step',
];

export interface CascadeBenchOptions {
  cli: string;
  partsDir: string;
  repeats: number;
  sizeFactor?: number;
  log: (s: string) => void;
}

interface Run {
  ms: number;
  acceptable: boolean;
  winner: string | null;
}

async function meshOnce(o: CascadeBenchOptions, part: string, cascade: 'adaptive' | 'plain'): Promise<Run> {
  const { ms, job } = await meshFresh(o.cli, part, [
    '--size-factor',
    String(o.sizeFactor ?? 0.5),
    '--cascade',
    cascade,
  ]);
  return { ms, acceptable: job.targets?.met === true, winner: job.strategy };
}

export async function benchCascade(o: CascadeBenchOptions): Promise<BenchRow> {
  const perPart: { part: string; adaptive: Run[]; plain: Run[] }[] = [];
  for (const name of HARD_PARTS) {
    const part = join(o.partsDir, name);
    const row = { part: basename(name, '.step'), adaptive: [] as Run[], plain: [] as Run[] };
    for (let i = 0; i < o.repeats; i++) {
      const p = await meshOnce(o, part, 'plain');
      const a = await meshOnce(o, part, 'adaptive');
      row.plain.push(p);
      row.adaptive.push(a);
      o.log(
        `  ${row.part}: plain ${(p.ms / 1000).toFixed(2)} s (${p.acceptable ? `acceptable, ${p.winner}` : 'below target'}), adaptive ${(a.ms / 1000).toFixed(2)} s (${a.acceptable ? `acceptable, ${a.winner}` : 'below target'})`,
      );
    }
    perPart.push(row);
  }
  const total = (side: 'adaptive' | 'plain') =>
    perPart.reduce((s, r) => s + median(r[side].map((x) => x.ms)), 0) / 1000;
  // A part counts as acceptable for a side when most of its runs were.
  const ok = (side: 'adaptive' | 'plain') =>
    perPart.filter((r) => r[side].filter((x) => x.acceptable).length * 2 > r[side].length).length;
  const [ours, peer] = [total('adaptive'), total('plain')];
  const ratio = peer / ours;
  const [okOurs, okPeer] = [ok('adaptive'), ok('plain')];
  return {
    name: 'time to an acceptable mesh (hard parts, size factor 0.5)',
    ours,
    peer,
    unit: 's',
    ratio,
    ratioLabel: 'plain / adaptive',
    goal: '>= 3, as many acceptable',
    met: ratio >= 3 && okOurs >= okPeer,
    note: `${perPart.length} parts (${perPart.map((r) => r.part).join(', ')}); acceptable: adaptive ${okOurs}, plain ${okPeer}; per part median of ${o.repeats} back-to-back pairs, each run in a fresh data folder (whole CLI process)`,
  };
}
