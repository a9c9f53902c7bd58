// A strip above the viewer for a job whose mesh came from a targeted repair: which CAD faces were refined, and a
// toggle that shows them highlighted on the part instead of the mesh.
import type { JobResult } from '../../../src/contract/job';

/** The CAD faces the job's completed repair attempts refined, ascending. */
export function repairedFaces(job: JobResult | null): number[] {
  if (!job || job.status !== 'completed') return [];
  return [
    ...new Set(job.attempts.filter((a) => a.status === 'completed' && a.repair).flatMap((a) => a.repair!.surfaces)),
  ].sort((a, b) => a - b);
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
  const faces = repairedFaces(job);
  if (!faces.length) return null;
  const from = [...new Set(job!.attempts.filter((a) => a.repair).map((a) => a.repair!.from))].filter(
    (f) => f !== 'targeted-repair',
  );
  return (
    <div className="banner info" data-testid="repair-banner">
      <strong>Targeted repair:</strong> refined face{faces.length > 1 ? 's' : ''} {faces.join(', ')}
      {from.length ? ` of ${from.join(', ')}` : ''}, where its elements missed the target.{' '}
      <button
        data-testid="show-repaired"
        onClick={onToggle}
        disabled={!canShow}
        title={canShow ? '' : 'Open the part to see its faces'}
      >
        {showing ? 'Show the mesh' : 'Show them on the part'}
      </button>
    </div>
  );
}
