// (l) Boundary layers' cost: the same ~100k-tet job (the demo bracket at a size factor, `--strategy default`) with and
// without 5 prism layers on a face group, interleaved, a fresh data folder each. Reported: wall time of the CLI job,
// the attempt's `layers` phase, and the element counts of both meshes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, timeCommand, type BenchRow } from './measure';

/** The bracket's size factor for ~100k tetrahedra, and 5 layers of 0.05 growing 1.2× on its face 1 (all measured). */
const SIZE_FACTOR = 0.12;
const LAYERS = 'face:1=5,0.05,1.2';

interface Run {
  ms: number;
  layersMs: number;
  elements: { tetrahedra: number; prisms: number; pyramids: number };
  count: number | null;
}

async function runJob(cli: string, part: string, layers: boolean): Promise<Run> {
  const home = mkdtempSync(join(tmpdir(), 'meshbench-bench-layers-'));
  try {
    const argv = [process.execPath, cli, 'mesh', part, '--strategy', 'default', '--size-factor', String(SIZE_FACTOR)];
    const { ms, stdout } = await timeCommand(
      [...argv, '--min-sicn', '0.001', '--json', ...(layers ? ['--layers', LAYERS] : [])],
      { ...process.env, MESHBENCH_HOME: home },
    );
    const job = JSON.parse(stdout);
    const a = job.attempts[job.winnerIndex ?? 0];
    if (job.status !== 'completed') throw new Error(`the job ${layers ? 'with' : 'without'} layers ${job.status}`);
    return {
      ms,
      layersMs: a.timings?.phases?.layers ?? 0,
      elements: {
        tetrahedra: a.elements.tetrahedra,
        prisms: a.elements.prisms ?? 0,
        pyramids: a.elements.pyramids ?? 0,
      },
      count: job.layers?.[0]?.measured.count ?? null,
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

export async function benchLayers(opts: { cli: string; part: string; repeats: number; log: (s: string) => void }) {
  const plain: Run[] = [];
  const layered: Run[] = [];
  for (let r = 0; r < opts.repeats; r++) {
    plain.push(await runJob(opts.cli, opts.part, false));
    layered.push(await runJob(opts.cli, opts.part, true));
  }
  const p = plain[0].elements;
  const l = layered[0].elements;
  const ours = median(layered.map((x) => x.ms)) / 1000;
  const peer = median(plain.map((x) => x.ms)) / 1000;
  const grow = median(layered.map((x) => x.layersMs)) / 1000;
  const counts = `without: ${p.tetrahedra.toLocaleString('en-US')} tets; with: ${l.tetrahedra.toLocaleString('en-US')} tets + ${l.prisms.toLocaleString('en-US')} prisms + ${l.pyramids.toLocaleString('en-US')} pyramids (${layered[0].count ?? 0} layers grown)`;
  opts.log(
    `  ${counts}; job ${peer.toFixed(2)} s without, ${ours.toFixed(2)} s with (layers phase ${grow.toFixed(2)} s)`,
  );
  if (layered[0].count !== 5) throw new Error(`asked for 5 layers, the mesh has ${layered[0].count}`);
  return {
    name: `(l) mesh job with 5 prism layers (${LAYERS}) vs without, bracket ×${SIZE_FACTOR}`,
    ours,
    peer,
    unit: 's',
    ratio: ours / peer,
    ratioLabel: 'with / without',
    goal: 'report',
    met: null,
    note: `${counts}; layers phase ${grow.toFixed(2)} s; median of ${opts.repeats} interleaved pairs`,
  } satisfies BenchRow;
}
