// Issue 2 item 10 (c): our quality kernel (all five metrics + summaries) against Gmsh's Plugin(AnalyseMeshQuality)
// computing ICN alone, on the same mesh; only gmsh.plugin.run is timed on Gmsh's side.
import { readMshFile } from '../mesh/msh-reader';
import { measureTets, summarize } from '../quality/kernel';
import { median } from './measure';
import { PyTimer } from './reader-bench';

const GMSH_PLUGIN = `
import json, sys, time
import gmsh
gmsh.initialize(["gmsh", "-nt", "1"])
gmsh.option.setNumber("General.Terminal", 0)
gmsh.open(sys.argv[1])
for name, value in (("ICNMeasure", 1), ("IGEMeasure", 0), ("JacobianDeterminant", 0), ("DimensionOfElements", 3),
                    ("Recompute", 1), ("CreateView", 0)):
    gmsh.plugin.setNumber("AnalyseMeshQuality", name, value)
gmsh.plugin.run("AnalyseMeshQuality")
print(json.dumps({"version": gmsh.option.getString("General.Version")}), flush=True)
for _ in sys.stdin:
    t0 = time.perf_counter()
    gmsh.plugin.run("AnalyseMeshQuality")
    print(json.dumps({"seconds": time.perf_counter() - t0}), flush=True)
gmsh.finalize()
`;

export interface QualityBench {
  /** median ms of measureTets + summarize */
  ours: number;
  /** median ms of gmsh.plugin.run('AnalyseMeshQuality') with ICNMeasure */
  gmsh: number;
  /** gmsh / ours */
  ratio: number;
  tetrahedra: number;
  /** What was compared, for the bench table. */
  note: string;
}

/** At least this many timed pairs (a pair is ~0.3 s), for a stable median on a busy machine. */
const MIN_QUALITY_RUNS = 5;

export async function benchQuality(mshPath: string, repeats = 3): Promise<QualityBench> {
  const mesh = readMshFile(mshPath);
  const py = new PyTimer(GMSH_PLUGIN, [mshPath], "Gmsh's AnalyseMeshQuality plugin");
  try {
    await py.ready();
    // untimed warm-up runs on both sides (Gmsh's first one ran before "ready"); V8 optimizes the kernel meanwhile
    for (let i = 0; i < 3; i++) summarize(measureTets(mesh.nodes, mesh.tets), { cornerNodesOnly: mesh.tetOrder === 2 });
    await py.once();
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < Math.max(repeats, MIN_QUALITY_RUNS); i++) {
      const t0 = performance.now();
      summarize(measureTets(mesh.nodes, mesh.tets), { cornerNodesOnly: mesh.tetOrder === 2 });
      ours.push(performance.now() - t0);
      theirs.push((await py.once()) * 1000);
    }
    const o = median(ours);
    const g = median(theirs);
    const tets = mesh.counts.tetrahedra;
    const note = `${tets.toLocaleString('en-US')} tets; ours: 5 metrics + stats, Gmsh: ICN only; 1 thread each; median of ${ours.length} pairs`;
    return { ours: o, gmsh: g, ratio: g / o, tetrahedra: tets, note };
  } finally {
    py.close();
  }
}
