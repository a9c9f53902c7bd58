// A strip above the viewer for a job whose kept mesh came from a targeted repair (never for a repair set aside): where it
// refined (around which bad tetrahedra, on which CAD faces), and a toggle that shows those faces highlighted on the
// part instead of the mesh.
import { keptAttempt, repairWords, type JobResult } from '../../../src/contract/job';

/**
 * The CAD faces where the kept mesh's repair refined (the faces its parent's bad tetrahedra touch), ascending: empty
 * unless the job's mesh is a repair attempt (a repair
 * that was not kept changed nothing the engineer gets back).
 */
export function repairedFaces(job: JobResult | null): number[] {
  if (!job || job.status !== 'completed') return [];
  const kept = keptAttempt(job);
  return kept?.repair ? [...kept.repair.surfaces].sort((a, b) => a - b) : [];
}

/** The highlight colour of repaired faces on the part (amber: changed, not failed). */
export const REPAIRED_COLOUR = { r: 0.95, g: 0.65, b: 0.1 };

export function RepairBanner({
  job,
  showing,
  canShow,
  onToggle,
}: {
  job: JobResult | null;
  showing: boolean;
  canShow: boolean;
  onToggle: () => void;
}) {
  const kept = job?.status === 'completed' ? keptAttempt(job) : undefined;
  if (!kept?.repair) return null;
  const faces = repairedFaces(job);
  return (
    <div className="banner info" data-testid="repair-banner">
      <strong>Targeted repair kept:</strong> the job&apos;s mesh is attempt {kept.index}, which{' '}
      {repairWords(kept.repair!)}, where its elements missed the target.{' '}
      {faces.length > 0 && (
        <button
          data-testid="show-repaired"
          onClick={onToggle}
          disabled={!canShow}
          title={canShow ? '' : 'Open the part to see its faces'}
        >
          {showing ? 'Show the mesh' : 'Show the faces on the part'}
        </button>
      )}
    </div>
  );
}
