// Memory of the export path on a mesh of over 5 million tetrahedra: the one reader pass plus all six streaming
// writers in this process, measured as the process's peak resident set (run the section alone for a clean reading).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EXPORT_FORMAT_INFO } from '../contract/job';
import { exportMesh, supportedExports } from '../export/export-mesh';
import type { BenchRow } from './measure';
import { ensureExportMesh } from './export-bench';

/** 0.0089 gives ~5.1M tets on the export bench's part (0.0093 gave 4.49M). */
const SIZE = 0.0089;
const LIMIT_MIB = 2048;

export async function benchExportMemory(dir: string, log: (s: string) => void = () => {}): Promise<BenchRow> {
  const msh = await ensureExportMesh(dir, SIZE);
  const out = join(dir, 'export-memory');
  mkdirSync(out, { recursive: true });
  const before = process.resourceUsage().maxRSS / 1024;
  const t0 = performance.now();
  const formats = supportedExports();
  const r = exportMesh(msh, formats, out, 'big');
  const ms = performance.now() - t0;
  const peak = process.resourceUsage().maxRSS / 1024;
  const tets = r.groups?.find((g) => g.dim === 3)?.elements ?? 0;
  for (const e of r.exports) {
    if (e.error !== undefined) throw new Error(`export ${e.format} failed: ${e.error}`);
    log(`  ${e.format}: ${(e.bytes / 2 ** 20).toFixed(0)} MiB`);
  }
  for (const f of formats) rmSync(join(out, `big${EXPORT_FORMAT_INFO[f].extension}`), { force: true });
  log(
    `  ${tets.toLocaleString('en-US')} tets, ${formats.length} formats in ${(ms / 1000).toFixed(1)} s, peak RSS ${peak.toFixed(0)} MiB (${before.toFixed(0)} MiB before)`,
  );
  return {
    name: `(e5) all ${formats.length} exports of a ${(tets / 1e6).toFixed(2)}M-tet mesh: peak memory`,
    ours: Math.round(peak),
    peer: LIMIT_MIB,
    unit: 'MiB',
    ratio: LIMIT_MIB / peak,
    ratioLabel: 'limit / ours',
    goal: `tets >= 5M, peak <= ${LIMIT_MIB} MiB`,
    met: tets >= 5_000_000 && peak <= LIMIT_MIB,
    note: `${(ms / 1000).toFixed(1)} s for all formats; the reader holds the mesh, the writers stream`,
  };
}
