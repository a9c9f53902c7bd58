// The top bar: open, run / cancel / re-run, batch, run on both, the compute switch, the breaker, modes, theme,
// settings.
import type { RefObject } from 'react';
import { isActive, type Backend } from '../../../src/contract/job';
import { useShallow } from 'zustand/react/shallow';
import { getApi } from '../api';
import * as act from '../actions';
import { useStore } from '../store';
import { BreakerBadge } from './BreakerBadge';

export function TopBar({ fileRef }: { fileRef: RefObject<HTMLInputElement | null> }) {
  const s = useStore(
    useShallow((x) => ({
      theme: x.theme,
      parts: x.parts,
      currentPart: x.currentPart,
      jobs: x.jobs,
      selectedJob: x.selectedJob,
      mode: x.mode,
      compute: x.compute,
    })),
  );
  const { setCompute, setAppSettings, setMode, toggleTheme, openSettings } = useStore.getState();
  const job = s.selectedJob ? (s.jobs[s.selectedJob] ?? null) : null;
  const part = s.parts.find((p) => p.path === s.currentPart) ?? null;
  const running = job && isActive(job.status);
  const can = act.meshable(part);
  const batch = s.parts.filter((p) => act.meshable(p).ok).length;
  const name = part ? act.baseName(part.path) : null;
  return (
    <header className="topbar">
      <span className="brand" data-testid="brand">
        MeshBench
      </span>
      {/* The highlighted button is the next useful step: Open until a part can be meshed, then Run. */}
      <button
        className={can.ok ? '' : 'primary'}
        onClick={() => act.openDialog(() => fileRef.current?.click())}
        title="Open parts (Ctrl+O)"
        data-testid="open-part"
      >
        Open…
      </button>
      <input
        ref={fileRef}
        type="file"
        multiple
        hidden
        data-testid="open-file"
        accept=".step,.stp,.iges,.igs,.brep,.brp,.stl"
        onChange={(e) => {
          const f = [...(e.target.files ?? [])];
          e.target.value = '';
          void act.openFiles(f);
        }}
      />
      <span className="sep" />
      <button
        className={`run ${can.ok ? 'primary' : ''}`}
        data-testid="run-mesh"
        onClick={() => act.run()}
        disabled={!can.ok}
        title={can.ok ? `Mesh ${name} with the settings in the side panel (Ctrl+Enter)` : can.why}
      >
        ▶ Run{name ? <span className="run-part">{name}</span> : null}
      </button>
      <button
        data-testid="stop-job"
        onClick={() => act.stop()}
        disabled={!running}
        title={
          running
            ? 'Stop & keep best: stop the attempts and keep the best valid mesh so far'
            : 'No job of yours is running: Stop keeps the best mesh of a running job'
        }
      >
        Stop
      </button>
      <button
        data-testid="cancel-job"
        onClick={() => act.cancel()}
        disabled={!running}
        title={running ? 'Cancel the job, keeping no mesh (Ctrl+.)' : 'No job of yours is running'}
      >
        ■ Cancel
      </button>
      <button
        data-testid="rerun-job"
        onClick={() => act.rerun()}
        disabled={!job || !!running}
        title={
          !job
            ? 'Select a job to run it again'
            : running
              ? 'The job is still running'
              : 'Run the selected job again with the same part and settings'
        }
      >
        ↻ Re-run
      </button>
      <button
        onClick={() => act.runBatch()}
        disabled={batch < 2}
        data-testid="run-batch"
        title={
          batch < 2
            ? `Open two or more parts that can be meshed to run them in one go (${batch} open now)`
            : `Mesh every opened part that can be meshed (${batch} of ${s.parts.length})`
        }
      >
        Run batch ({batch})
      </button>
      <button
        onClick={() => void act.runOnBoth()}
        disabled={!can.ok}
        title={can.ok ? 'Mesh the part locally and on Modal, then compare' : can.why}
      >
        Run on both
      </button>
      <span className="sep" />
      <label className="compute">
        Compute
        <select
          data-testid="compute-switch"
          value={s.compute}
          onChange={(e) => {
            const compute = e.target.value as Backend;
            setCompute(compute);
            // Remembered for the next session too (the environment's MESHBENCH_COMPUTE still wins there).
            void getApi()
              .saveSettings({ compute })
              .then(
                (saved) => setAppSettings(saved),
                () => undefined,
              );
          }}
        >
          <option value="local">Local</option>
          <option value="modal">Modal</option>
          <option value="auto">Auto</option>
        </select>
      </label>
      <BreakerBadge />
      <span className="grow" />
      <nav className="modes">
        <button className={s.mode === 'work' ? 'active' : ''} onClick={() => setMode('work')}>
          Workbench
        </button>
        <button
          className={s.mode === 'compare' ? 'active' : ''}
          onClick={() => setMode('compare')}
          data-testid="mode-compare"
        >
          Compare
        </button>
      </nav>
      <button onClick={toggleTheme} title="Theme">
        {s.theme === 'dark' ? '☀' : '☾'}
      </button>
      <button onClick={openSettings} data-testid="open-settings">
        Settings
      </button>
    </header>
  );
}
