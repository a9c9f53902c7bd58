// Export a finished job's mesh for a solver: which formats, which groups (every face, or only the named groups),
// the length unit, and the folder (the job's own, or one chosen). The engine writes the files from the job's .msh
// (an offloaded job's downloaded one too); the files written are listed with their sizes.
import { useState } from 'react';
import {
  EXPORT_FORMAT_INFO,
  EXPORT_FORMATS,
  LENGTH_UNITS,
  type ExportFormat,
  type JobResult,
  type LengthUnit,
} from '../../../src/contract/job';
import type { ExportOptions } from '../../../src/contract/api';
import { exportRefusal } from '../../../src/contract/export-limits';
import { errorText, getApi } from '../api';
import { useStore } from '../store';
import { Dialog } from './Dialog';
import { fmtBytes } from './TimingsPanel';
import { meshUnit } from '../units';
import { baseName } from '../job-facts';

export function ExportDialog({ job, onClose }: { job: JobResult; onClose: () => void }) {
  const [formats, setFormats] = useState<ExportFormat[]>(job.settings.exports?.length ? job.settings.exports : ['inp']);
  const [groups, setGroups] = useState<NonNullable<ExportOptions['groups']>>('all');
  const [units, setUnits] = useState<LengthUnit>(meshUnit(job));
  const [folder, setFolder] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [written, setWritten] = useState<JobResult['exports'] | null>(null);
  const faceGroups = (job.groups ?? []).filter((g) => g.dim === 2);
  const named = faceGroups.filter((g) => !/^Face_\d+$/.test(g.name));

  const pick = async () => {
    try {
      const f = await getApi().pickFolder();
      if (f) setFolder(f);
      else setError('No folder was chosen (the browser harness offers one only when started with --export-dir).');
    } catch (e) {
      setError(errorText(e));
    }
  };
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      const j = await getApi().exportJob(job.id, formats, { groups, units, ...(folder ? { folder } : {}) });
      useStore.getState().applyEvents([{ type: 'job', job: j }]);
      setWritten((j.exports ?? []).filter((e) => formats.includes(e.format)));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const why = !formats.length ? 'Choose at least one format' : busy ? 'Exporting…' : null;
  return (
    <Dialog
      title={`Export ${baseName(job.input.path)}`}
      onClose={onClose}
      testId="export-dialog"
      status={
        <div className="dialog-status">
          {error && (
            <div className="error-text small" data-testid="export-error">
              {error}
            </div>
          )}
          {written && (
            <ul className="checks" data-testid="export-written">
              {written.map((e) =>
                e.error === undefined ? (
                  <li
                    key={e.format}
                    className="ok"
                    title={`${e.path}\nsha256 ${e.sha256}`}
                    data-testid={`exported-${e.format}`}
                  >
                    ✓ {e.path} ({fmtBytes(e.bytes)})
                  </li>
                ) : (
                  <li key={e.format} className="bad" data-testid={`export-failed-${e.format}`}>
                    ✗ {EXPORT_FORMAT_INFO[e.format].label} not written: {e.error}
                  </li>
                ),
              )}
            </ul>
          )}
        </div>
      }
      actions={
        <>
          <button onClick={onClose}>Close</button>
          <button
            className="primary"
            disabled={!!why}
            title={why ?? 'Write the files'}
            onClick={() => void go()}
            data-testid="export-go"
          >
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </>
      }
    >
      <div className="export-form">
        <fieldset>
          <legend>Formats</legend>
          {EXPORT_FORMATS.map((f) => {
            const no = exportRefusal(f, job.settings.elementOrder, (job.settings.layers?.length ?? 0) > 0);
            return (
              <label key={f} title={no ?? EXPORT_FORMAT_INFO[f].label}>
                <input
                  type="checkbox"
                  disabled={!!no}
                  checked={formats.includes(f)}
                  data-testid={`export-format-${f}`}
                  onChange={(e) => setFormats(e.target.checked ? [...formats, f] : formats.filter((x) => x !== f))}
                />{' '}
                {EXPORT_FORMAT_INFO[f].label}
                {no ? ` — ${no}` : ''}
              </label>
            );
          })}
        </fieldset>
        <fieldset>
          <legend>Groups</legend>
          <label title="Every CAD face as its own group (Face_<tag>), besides the bodies and the named groups">
            <input
              type="radio"
              name="export-groups"
              checked={groups === 'all'}
              data-testid="export-groups-all"
              onChange={() => setGroups('all')}
            />{' '}
            all faces ({faceGroups.length} face group{faceGroups.length === 1 ? '' : 's'})
          </label>
          <label title="Only the groups with a name (yours, the bodies, the interfaces): no Face_<tag> group per face">
            <input
              type="radio"
              name="export-groups"
              checked={groups === 'named'}
              data-testid="export-groups-named"
              onChange={() => setGroups('named')}
            />{' '}
            named groups only ({named.length ? named.map((g) => g.name).join(', ') : 'no named face group'})
          </label>
        </fieldset>
        <fieldset>
          <legend>Units</legend>
          <label>
            Length unit{' '}
            <select value={units} onChange={(e) => setUnits(e.target.value as LengthUnit)} data-testid="export-units">
              {LENGTH_UNITS.map((u) => (
                <option key={u} value={u}>
                  {u}
                  {u === meshUnit(job) ? ' (as meshed)' : ''}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>Folder</legend>
          <div className="path small" data-testid="export-folder" title={folder ?? job.outDir ?? ''}>
            {folder ?? `${job.outDir ?? '—'} (the job's folder)`}
          </div>
          <button onClick={() => void pick()} data-testid="export-pick-folder">
            Choose folder…
          </button>{' '}
          {folder && (
            <button onClick={() => setFolder(null)} title="Back to the job's own folder">
              Job folder
            </button>
          )}
        </fieldset>
      </div>
    </Dialog>
  );
}
