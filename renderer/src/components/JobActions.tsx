// Per-job file actions beside Export: show the output folder, and delete the job after a confirm step.
import { useEffect, useState } from 'react';
import { isActive, type JobResult } from '../../../src/contract/job';
import * as act from '../actions';

export function JobActions({ job }: { job: JobResult | null }) {
  const [folder, setFolder] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    setFolder(null);
    setConfirming(false);
  }, [job?.id]);
  if (!job) return null;
  const active = isActive(job.status);
  const show = async () => {
    const r = await act.showJobFolder(job.id);
    // A browser cannot open a folder: say where it is instead.
    setFolder(r && !r.opened ? r.path : null);
  };
  return (
    <span className="job-actions" data-testid="job-actions">
      <button
        onClick={() => void show()}
        disabled={!job.outDir}
        data-testid="show-folder"
        title="Open the job's output folder"
      >
        Show in folder
      </button>
      {folder && (
        <span className="small" data-testid="job-folder">
          {' '}
          Output folder: {folder}
        </span>
      )}
      {confirming ? (
        <span data-testid="delete-confirm">
          {' '}
          Delete job {job.id}, its log and its output folder?{' '}
          <button className="danger" onClick={() => void act.deleteJob(job.id)} data-testid="delete-yes">
            Delete
          </button>
          <button onClick={() => setConfirming(false)} data-testid="delete-no">
            Keep
          </button>
        </span>
      ) : (
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
          Delete job…
        </button>
      )}
    </span>
  );
}
