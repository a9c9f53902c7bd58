// (i) The Interface_<a>_<b> search on a 40-body assembly: TypeScript over the one model read (once per job) against
// the .geo loop every attempt script ran before (compare each pair of bodies face by face, in Gmsh's interpreter,
// in every Gmsh process of a job). The loop's cost is the parse time of the script with it minus the same script
// without it (same import and fragmenting), median of the repeats.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockGridScript, interfaceSearchBaseline } from '../geo/bench-parts';
import { findGmsh } from '../gmsh/locate';
import { inspectInput } from '../input/inspect';
import { jobGroups } from '../model/job-groups';
import { readCadModel } from '../model/read-model';
import { median, type BenchRow } from './measure';

const GRID = [8, 5] as const; // 40 bodies, 67 shared faces

export async function benchInterfaces(repeats: number, log: (s: string) => void): Promise<BenchRow> {
  const gmsh = findGmsh().path;
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-bench-interfaces-'));
  try {
    const step = join(dir, 'blocks-40.step');
    writeFileSync(join(dir, 'blocks.geo'), blockGridScript(...GRID));
    execFileSync(gmsh, [join(dir, 'blocks.geo'), '-0', '-o', step], { stdio: 'ignore' });

    const model = await readCadModel(gmsh, inspectInput(step));
    const tsMs: number[] = [];
    let found = 0;
    for (let r = 0; r < Math.max(repeats, 5); r++) {
      const t0 = performance.now();
      found = jobGroups(model, [], { interfaces: true }).filter((g) => g.name.startsWith('Interface_')).length;
      tsMs.push(performance.now() - t0);
    }

    const parse = (search: boolean) => {
      const geo = join(dir, search ? 'with-search.geo' : 'without.geo');
      writeFileSync(geo, interfaceSearchBaseline('blocks-40.step', 'count.txt', search));
      const t0 = performance.now();
      execFileSync(gmsh, [geo, '-nt', '1', '-parse_and_exit'], { cwd: dir, stdio: 'ignore' });
      const ms = performance.now() - t0;
      return { ms, count: Number(readFileSync(join(dir, 'count.txt'), 'utf8').trim()) };
    };
    const withMs: number[] = [];
    const withoutMs: number[] = [];
    let geoFound = 0;
    for (let r = 0; r < repeats; r++) {
      const w = parse(true);
      geoFound = w.count;
      withMs.push(w.ms);
      withoutMs.push(parse(false).ms);
    }
    const ours = median(tsMs);
    const peer = median(withMs) - median(withoutMs);
    log(
      `  ${model.bodies.length} bodies, ${model.faces.length} faces: TypeScript ${ours.toFixed(2)} ms (${found} interfaces, the whole group list); .geo loop ${peer.toFixed(0)} ms per Gmsh run (${geoFound} interfaces; script ${median(withMs).toFixed(0)} ms with it, ${median(withoutMs).toFixed(0)} ms without)`,
    );
    if (found !== geoFound) throw new Error(`TypeScript found ${found} interfaces, the .geo loop ${geoFound}`);
    return {
      name: `(i) Interface_ search, ${model.bodies.length}-body assembly (TypeScript once vs .geo per Gmsh run)`,
      ours,
      peer,
      unit: 'ms',
      ratio: peer / ours,
      ratioLabel: '.geo / TypeScript',
      goal: 'TypeScript < 50 ms',
      met: ours < 50,
      note: `${found} interfaces both ways; the .geo loop ran in every attempt's Gmsh process`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
