// Export a finished job's mesh for a solver (the engine writes the files beside the mesh; an offloaded job's too,
// from its downloaded .msh), and the files already written.
import { useState } from 'react';
import { exportRefusal } from '../../../src/contract/export-limits';
import { EXPORT_FORMAT_INFO, EXPORT_FORMATS, type ExportFormat, type JobResult } from '../../../src/contract/job';
import { errorText, getApi } from '../api';
import { useStore } from '../store';

export function ExportMenu({ job }: { job: JobResult | null }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!job || job.status !== 'completed' || !job.mesh) return null;
  const refusal = (f: ExportFormat) =>
    exportRefusal(f, job.settings.elementOrder, (job.settings.layers?.length ?? 0) > 0);
  const go = async (f: ExportFormat) => {
    setBusy(true);
    setError(null);
    try {
      const j = await getApi().exportJob(job.id, [f]);
      useStore.getState().applyEvents([{ type: 'job', job: j }]);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="export-menu" data-testid="export-menu">
      <select
        value=""
        disabled={busy}
        data-testid="export-format"
        onChange={(e) => e.target.value && void go(e.target.value as ExportFormat)}
        title={`Units: ${job.units ?? 'mm'}`}
      >
        <option value="">{busy ? 'Exporting…' : 'Export…'}</option>
        {EXPORT_FORMATS.map((f) => (
          <option key={f} value={f} disabled={refusal(f) !== null} title={refusal(f) ?? undefined}>
            {EXPORT_FORMAT_INFO[f].label}
          </option>
        ))}
      </select>
      {job.exports?.map((e) =>
        e.error === undefined ? (
          <span
            key={e.format}
            className="small"
            data-testid={`exported-${e.format}`}
            title={`${e.path}\nsha256 ${e.sha256}`}
          >
            {' '}
            {e.path.split(/[\\/]/).pop()}
          </span>
        ) : (
          <span key={e.format} className="small error-text" data-testid={`export-failed-${e.format}`}>
            {' '}
            {e.format} not written: {e.error}
          </span>
        ),
      )}
      {error && (
        <span className="error-text small" data-testid="export-error">
          {' '}
          {error}
        </span>
      )}
    </span>
  );
}
