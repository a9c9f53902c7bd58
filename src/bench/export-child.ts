// One export in a fresh process, for the export bench's memory readings: reads the mesh, writes the formats named
// (none: the read alone), then prints the wall time and the process's peak resident set as one JSON line.
import { mkdirSync, readFileSync } from 'node:fs';
import type { ExportFormat } from '../contract/job';
import { exportMesh } from '../export/export-mesh';

/**
 * Peak resident set of this process (MiB). Linux: VmHWM, this program's own; getrusage's maxrss would carry over the
 * peak of the parent that forked it (the bench process, holding the mesh too).
 */
function peakMiB(): number {
  try {
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (kib) return Number(kib[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

const [msh, dir, ...formats] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
const t0 = performance.now();
exportMesh(msh, formats as ExportFormat[], dir, 'child');
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, peakMiB: peakMiB() }));
