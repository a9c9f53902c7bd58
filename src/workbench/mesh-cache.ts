// Meshes of finished jobs, analysed once (off-thread) and kept for a few views; a job that just completed is
// analysed at once, so the viewer's request finds the work already under way.
import type { MeshPayload } from '../contract/api';
import type { JobResult } from '../contract/job';
import { analyzeMesh } from '../mesh/analyze';
import { WorkbenchError } from './errors';

export interface MeshCache {
  /** The job's mesh for the viewer, analysed once; fails with words when the job has none. */
  of(job: JobResult): Promise<MeshPayload>;
  /** Starts the analysis of a job that just completed. */
  warm(job: JobResult): void;
  drop(jobId: string): void;
}

export function meshCache(limit = 3): MeshCache {
  const meshes = new Map<string, Promise<MeshPayload>>();
  const of = (job: JobResult): Promise<MeshPayload> => {
    let p = meshes.get(job.id);
    if (!p) {
      if (!job.mesh)
        throw new WorkbenchError(
          'no-mesh',
          `Job ${job.id} has no mesh (${job.status}).`,
          job.status === 'failed' ? 'See its attempts for the reasons.' : undefined,
        );
      const failedSurfaces = [...new Set(job.attempts.flatMap((a) => a.failedSurfaces ?? []))];
      const path = job.mesh.path;
      p = analyzeMesh(path, { payload: true }).then((r) => {
        if (!r.payload) throw new WorkbenchError('no-mesh', `${path} has no tetrahedra to show.`);
        return { jobId: job.id, ...r.payload, failedSurfaces };
      });
      p.catch(() => meshes.delete(job.id));
      meshes.set(job.id, p);
      while (meshes.size > limit) meshes.delete(meshes.keys().next().value!);
    }
    return p;
  };
  return {
    of,
    warm(job) {
      if (job.status === 'completed' && job.mesh && !meshes.has(job.id)) of(job).catch(() => undefined);
    },
    drop: (jobId) => void meshes.delete(jobId),
  };
}
