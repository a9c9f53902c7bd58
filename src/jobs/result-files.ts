// The job's files beside its mesh: <name>.msh (Gmsh 4.1 binary), <name>_result.json (the --json object),
// <name>.quality.json (the winner's quality report and score).
import { basename, extname, join } from 'node:path';
import type { FinalJobStatus, JobError, JobResult, LogLine } from '../contract/job';
import { writeFileAtomic } from '../util/atomic-write';
import { errorMessage } from '../util/errors';
import type { JobStore } from './store';

export const outputName = (inputPath: string) => basename(inputPath, extname(inputPath)) || 'mesh';
export const meshFileFor = (outDir: string, inputPath: string) => join(outDir, `${outputName(inputPath)}.msh`);

function writeResultFiles(job: JobResult): void {
  if (!job.outDir) return;
  const name = outputName(job.input.path);
  // Atomic: a reader (another tool watching the folder) never sees half a file.
  writeFileAtomic(join(job.outDir, `${name}_result.json`), `${JSON.stringify(job, null, 2)}\n`);
  if (job.quality)
    writeFileAtomic(
      join(job.outDir, `${name}.quality.json`),
      `${JSON.stringify({ job: job.id, strategy: job.strategy, score: job.score, elementCounts: job.mesh?.elements, nodes: job.mesh?.nodes, ...job.quality }, null, 2)}\n`,
    );
}

/** Records a job's end: status and error (also as a log line), then its result files beside the mesh. */
export function closeJob(
  store: JobStore,
  id: string,
  status: FinalJobStatus,
  error: JobError | null,
  log: (level: LogLine['level'], text: string) => void,
): JobResult {
  store.finishJob(id, status, error);
  if (error)
    log(
      status === 'failed' || status === 'rejected' ? 'error' : 'warning',
      `${error.message}${error.hint ? ` (${error.hint})` : ''}`,
    );
  const job = store.getJob(id)!;
  try {
    writeResultFiles(job);
  } catch (e) {
    log('warning', `Could not write the result files in ${job.outDir}: ${errorMessage(e)}`);
  }
  return job;
}
