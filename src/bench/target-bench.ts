// (t) `--target-elements N` on a real part: the count reached against the count asked for, N from 10k to 1M.
// Not a speed row: it checks the size estimate + one correction lands within ±15 % where tests cannot go (1M).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { timeCommand, type BenchRow } from './measure';

export interface TargetBenchOptions {
  cli: string;
  part: string;
  counts: number[];
  log: (s: string) => void;
}

export async function benchTargetCount(o: TargetBenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const n of o.counts) {
    const home = mkdtempSync(join(tmpdir(), 'meshbench-bench-'));
    try {
      const r = await timeCommand(
        [process.execPath, o.cli, 'mesh', o.part, '--strategy', 'default', '--target-elements', String(n), '--json'],
        { ...process.env, MESHBENCH_HOME: home },
      );
      const job = JSON.parse(r.stdout);
      const t = job.attempts.find((a: { status: string }) => a.status === 'completed')?.targetCount;
      if (!t) throw new Error(`no completed attempt for --target-elements ${n}`);
      const passes = (t.passes as { size: number | null; elements: number }[])
        .map((p) => `${p.size === null ? 'default' : p.size.toPrecision(4)} → ${p.elements}`)
        .join(', ');
      o.log(
        `  ${n}: reached ${t.reached} (${t.deviationPct.toFixed(1)} %) in ${(r.ms / 1000).toFixed(1)} s; passes ${passes}`,
      );
      rows.push({
        name: `(t) --target-elements ${n} (${basename(o.part)})`,
        ours: t.reached,
        peer: n,
        unit: 'tets',
        ratio: t.reached / n,
        ratioLabel: 'reached / target',
        goal: '0.85 .. 1.15',
        met: Math.abs(t.reached / n - 1) <= 0.15,
        note: `passes (Gmsh size → tets): ${passes}; ${(r.ms / 1000).toFixed(1)} s`,
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }
  return rows;
}
