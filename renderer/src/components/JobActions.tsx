// Per-job file actions in the bottom bar: export (a dialog), show the output folder, and delete the job after a
// confirmation that names the part, when it ran and how much it holds.
import { useEffect, useState } from 'react';
import { isActive, type JobResult } from '../../../src/contract/job';
import * as act from '../actions';
import { fmtCount } from '../format';
import { baseName, jobTime } from '../job-facts';
import { fmtBytes } from './TimingsPanel';
import { Dialog } from './Dialog';
import { ExportDialog } from './ExportDialog';

/** What a job holds on disk: its mesh and the files exported from it. */
const filesBytes = (j: JobResult) => (j.mesh?.bytes ?? 0) + (j.exports ?? []).reduce((s, e) => s + (e.bytes ?? 0), 0);

export function JobActions({ job }: { job: JobResult | null }) {
  const [folder, setFolder] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [exporting, setExporting] = useState(false);
  useEffect(() => {
    setFolder(null);
    setConfirming(false);
    setExporting(false);
  }, [job?.id]);
  if (!job) return null;
  const active = isActive(job.status);
  const exportable = job.status === 'completed' && !!job.mesh;
  const show = async () => {
    const r = await act.showJobFolder(job.id);
    // A browser cannot open a folder: say where it is instead.
    setFolder(r && !r.opened ? r.path : null);
  };
  return (
    <span className="job-actions" data-testid="job-actions">
      <button
        onClick={() => setExporting(true)}
        disabled={!exportable}
        data-testid="export-open"
        title={
          exportable
            ? 'Write solver files (Abaqus/CalculiX, Nastran, VTU, …) from this mesh'
            : `This job has no mesh to export (${job.status})`
        }
      >
        Export…
      </button>
      <button
        onClick={() => void show()}
        disabled={!job.outDir}
        data-testid="show-folder"
        title={job.outDir ? "Open the job's output folder" : 'This job has no output folder yet'}
      >
        Folder
      </button>
      <button
        onClick={() => setConfirming(true)}
        disabled={active}
        title={
          active
            ? 'A queued or running job cannot be deleted: cancel or stop it first'
            : 'Delete this job, its log and its output folder'
        }
        data-testid="delete-job"
      >
        Delete…
      </button>
      {folder && (
        <Dialog
          title="Output folder"
          onClose={() => setFolder(null)}
          testId="folder-dialog"
          actions={<button onClick={() => setFolder(null)}>Close</button>}
        >
          <div className="small">A browser cannot open a folder; the job&apos;s files are in:</div>
          <div className="path" data-testid="job-folder">
            {folder}
          </div>
        </Dialog>
      )}
      {confirming && (
        <Dialog
          title="Delete this job?"
          onClose={() => setConfirming(false)}
          testId="delete-dialog"
          actions={
            <>
              <button onClick={() => setConfirming(false)} data-testid="delete-no">
                Keep
              </button>
              <button className="danger" onClick={() => void act.deleteJob(job.id)} data-testid="delete-yes">
                Delete
              </button>
            </>
          }
        >
          <p data-testid="delete-confirm">
            Delete the run of <strong title={job.input.path}>{baseName(job.input.path)}</strong> from{' '}
            <strong>{jobTime(job)}</strong> ({job.status}
            {job.mesh ? `, ${fmtCount(job.mesh.elements.tetrahedra)} tetrahedra` : ', no mesh'},{' '}
            {fmtBytes(filesBytes(job))} of files), its log and its output folder?
          </p>
          <p className="muted small">Job {job.id}</p>
        </Dialog>
      )}
      {exporting && <ExportDialog job={job} onClose={() => setExporting(false)} />}
    </span>
  );
}
