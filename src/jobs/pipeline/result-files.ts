// The job's files beside its mesh: <name>.msh (Gmsh 4.1 binary), <name>_result.json (the --json object),
// <name>.quality.json (the winner's quality report and score).
import { createHash } from 'node:crypto';
import { basename, extname, join } from 'node:path';
import type { JobResult, LogLine } from '../../contract/job';
import { writeFileAtomic } from '../../util/atomic-write';

/**
 * The most bytes of the part's name a job's files keep. A file name holds at most 255 bytes; the rest is room for
 * the longest suffix MeshBench adds (`.quality.json`, 13 bytes) and a temporary file's while it is written
 * (`.<pid>.<ms>.tmp`, at most 26 bytes).
 */
const STEM_MAX_BYTES = 200;

/**
 * The name a job's files share: the part's name without its extension. A longer one is cut at a character and ends
 * in `~` and 10 hex digits of its sha256, so two long names that differ only past the cut still name different files.
 */
export function outputName(inputPath: string): string {
  const stem = basename(inputPath, extname(inputPath)) || 'mesh';
  if (Buffer.byteLength(stem) <= STEM_MAX_BYTES) return stem;
  const tag = `~${createHash('sha256').update(stem).digest('hex').slice(0, 10)}`;
  let cut = '';
  for (const ch of stem) {
    if (Buffer.byteLength(cut + ch) + tag.length > STEM_MAX_BYTES) break;
    cut += ch;
  }
  return cut + tag;
}
export const meshFileFor = (outDir: string, inputPath: string) => join(outDir, `${outputName(inputPath)}.msh`);

/**
 * The job's result files. The result JSON is the job as --json prints it plus its own log lines (not Gmsh's): all
 * the job store holds of it, so a damaged store is rebuilt from these files (src/jobs/store/heal.ts).
 */
export function writeResultFiles(job: JobResult, log: LogLine[]): void {
  if (!job.outDir) return;
  const name = outputName(job.input.path);
  // Atomic: a reader (another tool watching the folder) never sees half a file.
  writeFileAtomic(join(job.outDir, `${name}_result.json`), `${JSON.stringify({ ...job, log }, null, 2)}\n`);
  if (job.quality)
    writeFileAtomic(
      join(job.outDir, `${name}.quality.json`),
      `${JSON.stringify({ job: job.id, strategy: job.strategy, winnerIndex: job.winnerIndex, score: job.score, elementCounts: job.mesh?.elements, nodes: job.mesh?.nodes, ...job.quality }, null, 2)}\n`,
    );
}
