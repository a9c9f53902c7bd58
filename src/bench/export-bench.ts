// Export writers against meshio writing the same mesh to the same format (.vtu and .inp), on a ~1M-tet mesh with
// a group per body and per face. Both sides get the mesh in memory and are timed on the write alone, interleaved.
// The Fluent writer is timed alone: meshio has no Fluent mesh writer (its `ansys` writer lists cells by their nodes,
// with no faces and no zones, which Fluent and fluent3DMeshToFoam cannot use). Each writer's peak memory is read in
// a fresh process that reads the mesh and writes that one format (out/engine/export-child.cjs).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportView, resolveGroups } from '../export/groups';
import { groupsOfMesh } from '../export/export-mesh';
import { writeFluent } from '../export/fluent';
import { writeInp } from '../export/inp';
import { writeVtu } from '../export/vtu';
import { PHYSICAL_BASE } from '../contract/groups';
import { boxMinusCylinderScript } from '../geo/bench-parts';
import { findGmsh } from '../gmsh/locate';
import { readMshFile } from '../mesh/msh-reader';
import { measureTets } from '../quality/kernel';
import { engineFile } from '../util/engine-files';
import { median, timeCommand } from './measure';
import { PyTimer } from './reader-bench';

/** ~1.1M tets: the box with a cylindrical hole of the other benches, finer. Groups on every volume and surface. */
const SIZE = 0.0155;
/** The export bench's part meshed at `size` (cached by name in `dir`). */
export async function ensureExportMesh(dir: string, size = SIZE): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const name = `bench-export-h${size}.msh`;
  const out = join(dir, name);
  if (existsSync(out)) return out;
  const geo = join(dir, name.replace(/\.msh$/, '.geo'));
  writeFileSync(geo, boxMinusCylinderScript(size, { bodyBase: PHYSICAL_BASE.body, faceBase: PHYSICAL_BASE.face }));
  const tmp = `${out}.${process.pid}.tmp.msh`;
  const argv = [geo, '-3', '-nt', '2', '-format', 'msh41', '-bin', '-o', tmp];
  await new Promise<void>((resolve, reject) =>
    execFile(findGmsh().path, argv, { timeout: 30 * 60_000, maxBuffer: 64 << 20 }, (err, _o, stderr) =>
      err
        ? reject(new Error(`making the export bench mesh failed: ${String(stderr).slice(-300) || err.message}`))
        : resolve(),
    ),
  );
  renameSync(tmp, out);
  return out;
}

// meshio gets the tets (no sets: its fastest .inp) and, for .vtu, the same six per-cell arrays ours writes (measured
// by our kernel, handed over in a .npz), written as raw binary (no compression, like ours).
const MESHIO = `
import json, sys, time
import meshio, numpy
path, out_vtu, out_inp, arrays = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
m = meshio.read(path)
tets = meshio.Mesh(m.points, [c for c in m.cells if c.type == "tetra"])
cd = {k: [numpy.fromfile(arrays + "." + k, dtype=numpy.int32 if k == "body" else numpy.float64)] for k in ['body', 'sicn', 'gamma', 'aspect_ratio', 'min_dihedral_deg', 'skewness']}
with_data = meshio.Mesh(m.points, tets.cells, cell_data=cd)
print(json.dumps({"tets": int(sum(len(c.data) for c in tets.cells))}), flush=True)
for line in sys.stdin:
    fmt = line.strip()
    t0 = time.perf_counter()
    if fmt == "vtu":
        meshio.vtu.write(out_vtu, with_data, binary=True, compression=None)
    else:
        meshio.abaqus.write(out_inp, tets)
    print(json.dumps({"seconds": time.perf_counter() - t0}), flush=True)
`;

export interface ExportBenchRow {
  format: 'vtu' | 'inp' | 'fluent';
  ours: number;
  /** NaN where meshio has no writer for the format. */
  meshio: number;
  ratio: number;
  /** Peak resident set (MiB) of a fresh process that reads the mesh and writes this format alone. */
  peakMiB: number;
  note: string;
}

/** Wall time and peak resident set of a fresh process reading `msh` and writing `formats` (none: the read alone). */
async function inFreshProcess(msh: string, dir: string, formats: string[]): Promise<{ ms: number; peakMiB: number }> {
  const { stdout } = await timeCommand([process.execPath, engineFile('export-child.cjs'), msh, dir, ...formats]);
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

export async function benchExport(
  dir: string,
  repeats = 3,
  log: (s: string) => void = () => {},
): Promise<ExportBenchRow[]> {
  const msh = await ensureExportMesh(dir);
  const out = (f: string) => join(dir, `export-bench.${f}`);
  const raw = readMshFile(msh, undefined, { full: true });
  const mesh = exportView(raw);
  // The quality both sides write into the .vtu, measured once outside the timers.
  const q = measureTets(mesh.nodes, mesh.tets);
  const arrays = join(dir, 'export-bench-arrays');
  const put = (k: string, a: Float64Array | Int32Array) =>
    writeFileSync(`${arrays}.${k}`, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  put('body', mesh.tetEntities);
  put('sicn', q.sicn);
  put('gamma', q.gamma);
  put('aspect_ratio', q.aspectRatio);
  put('min_dihedral_deg', q.minDihedralDeg);
  put('skewness', q.skewness);
  const py = new PyTimer(MESHIO, [msh, join(dir, 'meshio.vtu'), join(dir, 'meshio.inp'), arrays], 'meshio');
  try {
    const { tets } = (await py.ready()) as { tets: number };
    if (tets !== mesh.tetEntities.length)
      throw new Error(`meshio read ${tets} tets, we read ${mesh.tetEntities.length}`);
    log(`  mesh: ${msh} (${tets.toLocaleString('en-US')} tets, ${mesh.nodeCount.toLocaleString('en-US')} nodes)`);
    const specs = groupsOfMesh(raw);
    const rows: ExportBenchRow[] = [];
    for (const format of ['vtu', 'inp'] as const) {
      const ours: number[] = [];
      const theirs: number[] = [];
      const write = () =>
        format === 'vtu'
          ? writeVtu(out('vtu'), mesh, q)
          : writeInp(out('inp'), mesh, resolveGroups(mesh, specs), 'bench');
      write(); // warm-up, both sides
      await py.once(format);
      for (let i = 0; i < repeats; i++) {
        const t0 = performance.now();
        write();
        ours.push(performance.now() - t0);
        theirs.push((await py.once(format)) * 1000);
      }
      const o = median(ours);
      const m = median(theirs);
      const bytes = statSync(out(format)).size;
      const peerBytes = statSync(join(dir, `meshio.${format}`)).size;
      rows.push({
        format,
        ours: o,
        meshio: m,
        ratio: m / o,
        peakMiB: NaN,
        note: `${tets.toLocaleString('en-US')} tets; ours ${(bytes / 1e6).toFixed(0)} MB, meshio ${(peerBytes / 1e6).toFixed(0)} MB; ${format === 'inp' ? `ours with ${specs.length} groups (ELSET, NSET + SURFACE, resolved inside the timer), meshio the tets only` : 'both the tets and the same 6 per-cell arrays (quality measured once, outside the timers), raw binary'}; median of ${repeats} interleaved writes after one warm-up each`,
      });
      log(`  ${format}: ours ${o.toFixed(0)} ms, meshio ${m.toFixed(0)} ms`);
    }
    // Fluent: faces matched and zoned inside the timer, like a job's export.
    const fluent = () => writeFluent(out('fluent.msh'), mesh, resolveGroups(mesh, specs), 'bench');
    fluent();
    const fl: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      fluent();
      fl.push(performance.now() - t0);
    }
    const flBytes = statSync(out('fluent.msh')).size;
    rows.push({
      format: 'fluent',
      ours: median(fl),
      meshio: NaN,
      ratio: NaN,
      peakMiB: NaN,
      note: `${tets.toLocaleString('en-US')} tets, ${(flBytes / 1e6).toFixed(0)} MB, ${specs.length} groups as zones, every face matched to its two cells inside the timer; median of ${repeats} writes after one warm-up; meshio has no Fluent mesh writer (its ansys writer lists cells by node, with no faces or zones: fluent3DMeshToFoam refuses the file)`,
    });
    log(`  fluent: ours ${median(fl).toFixed(0)} ms (no meshio writer)`);
    // Peak memory, each in a fresh process: the read alone, then the read and one writer.
    const child = join(dir, 'export-child');
    const base = await inFreshProcess(msh, child, []);
    for (const r of rows) {
      r.peakMiB = (await inFreshProcess(msh, child, [r.format])).peakMiB;
      r.note += `; peak memory of a fresh process reading the mesh and writing ${r.format}: ${r.peakMiB.toFixed(0)} MiB (reading alone: ${base.peakMiB.toFixed(0)} MiB)`;
      log(`  ${r.format}: peak ${r.peakMiB.toFixed(0)} MiB (reading alone ${base.peakMiB.toFixed(0)} MiB)`);
    }
    rmSync(child, { recursive: true, force: true });
    for (const k of ['body', 'sicn', 'gamma', 'aspect_ratio', 'min_dihedral_deg', 'skewness'])
      rmSync(`${arrays}.${k}`, { force: true });
    rmSync(out('fluent.msh'), { force: true });
    for (const f of ['vtu', 'inp']) {
      rmSync(out(f), { force: true });
      rmSync(join(dir, `meshio.${f}`), { force: true });
    }
    return rows;
  } finally {
    py.close();
  }
}
