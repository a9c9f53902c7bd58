// (h) The new attempts on hard parts: each of `small-features`, `compound-fillets`, `compound-slivers`, `coarse-cusps`
// and `netgen` run alone (`--strategy`, a target every mesh meets, so no repair) against the `default` attempt on the same part
// and size factor, fresh data folder each.
// Reported per job: worst element (SICN min), tetrahedra against default's (what the requested size gives), seconds.
import { basename } from 'node:path';
import { median, meshFresh, type BenchRow } from './measure';

const STRATEGIES = ['small-features', 'compound-fillets', 'compound-slivers', 'coarse-cusps', 'netgen'] as const;
const FACTORS = [1, 0.5];

interface Run {
  status: string;
  sicn: number | null;
  tets: number | null;
  seconds: number | null;
  error: string | null;
}

async function runAlone(cli: string, part: string, strategy: string, sizeFactor: number): Promise<Run> {
  const args = ['--strategy', strategy, '--size-factor', String(sizeFactor), '--min-sicn', '0.001'];
  try {
    const a = (await meshFresh(cli, part, args)).job.attempts[0];
    return {
      status: a.status,
      sicn: a.quality?.sicn?.min ?? null,
      tets: a.elements?.tetrahedra ?? null,
      seconds: a.seconds ?? null,
      error: a.error ?? null,
    };
  } catch (e) {
    return { status: 'failed', sicn: null, tets: null, seconds: null, error: (e as Error).message };
  }
}

export async function benchHardParts(opts: { cli: string; parts: string[]; log: (s: string) => void }) {
  const rows: BenchRow[] = [];
  const jobs: { part: string; sf: number; runs: Record<string, Run> }[] = [];
  for (const part of opts.parts)
    for (const sf of FACTORS) {
      const runs: Record<string, Run> = {};
      for (const s of ['default', ...STRATEGIES]) runs[s] = await runAlone(opts.cli, part, s, sf);
      const cell = (r: Run) =>
        r.status === 'completed'
          ? `${r.sicn!.toFixed(3)} / ${r.tets!.toLocaleString('en-US')} tets / ${r.seconds!.toFixed(1)} s`
          : `${r.status}${r.error ? ` (${r.error.slice(0, 60)})` : ''}`;
      opts.log(
        `  ${basename(part)} ×${sf}: ${Object.entries(runs)
          .map(([s, r]) => `${s} ${cell(r)}`)
          .join('; ')}`,
      );
      jobs.push({ part, sf, runs });
    }
  const ok = (r: Run) => r.status === 'completed' && r.sicn !== null && r.sicn >= 0.1;
  for (const s of STRATEGIES) {
    const both = jobs.filter((j) => j.runs[s].status === 'completed' && j.runs.default.status === 'completed');
    const gain = median(both.map((j) => j.runs[s].sicn! / Math.max(j.runs.default.sicn!, 1e-9)));
    const tets = median(both.map((j) => j.runs[s].tets! / j.runs.default.tets!));
    const met = jobs.filter((j) => ok(j.runs[s])).length;
    const metDefault = jobs.filter((j) => ok(j.runs.default)).length;
    rows.push({
      name: `(h) ${s} alone vs default, ${jobs.length} hard-part jobs: worst element (SICN min) × default's, median`,
      ours: met,
      peer: metDefault,
      unit: 'jobs at SICN ≥ 0.1',
      ratio: gain,
      ratioLabel: 'worst element × default (median)',
      goal: 'better worst element than default',
      met: gain > 1,
      note: `${met} of ${jobs.length} jobs at SICN ≥ 0.1 (default: ${metDefault}); tets ${tets.toFixed(1)}× default's (median); ${jobs.length - both.length} not run or failed`,
    });
  }
  return rows;
}
