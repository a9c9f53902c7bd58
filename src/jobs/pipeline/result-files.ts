// The job's files beside its mesh: <name>.msh (Gmsh 4.1 binary), <name>_result.json (the --json object),
// <name>.quality.json (the winner's quality report and score).
import { basename, extname, join } from 'node:path';
import type { JobResult } from '../../contract/job';
import { writeFileAtomic } from '../../util/atomic-write';

export const outputName = (inputPath: string) => basename(inputPath, extname(inputPath)) || 'mesh';
export const meshFileFor = (outDir: string, inputPath: string) => join(outDir, `${outputName(inputPath)}.msh`);

export function writeResultFiles(job: JobResult): void {
  if (!job.outDir) return;
  const name = outputName(job.input.path);
  // Atomic: a reader (another tool watching the folder) never sees half a file.
  writeFileAtomic(join(job.outDir, `${name}_result.json`), `${JSON.stringify(job, null, 2)}\n`);
  if (job.quality)
    writeFileAtomic(
      join(job.outDir, `${name}.quality.json`),
      `${JSON.stringify({ job: job.id, strategy: job.strategy, winnerIndex: job.winnerIndex, score: job.score, elementCounts: job.mesh?.elements, nodes: job.mesh?.nodes, ...job.quality }, null, 2)}\n`,
    );
}
