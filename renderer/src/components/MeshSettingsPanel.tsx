// Mesh settings for the next run: strategy, policy, size factor, element order, parallel attempts, SICN target, the
// learned order (opt-in), sizes.
import type { Policy } from '../../../src/contract/job';
import { useStore } from '../store';
import { NumberField } from './NumberField';
import { SizeSettings } from './SizeSettings';

export function MeshSettingsPanel() {
  const st = useStore((s) => s.settings);
  const upd = useStore((s) => s.updateMeshSettings);
  return (
    <section className="card">
      <h4>Mesh settings</h4>
      <div className="form compact">
        <label>
          Strategy
          <input
            list="strategies"
            value={st.strategy ?? ''}
            placeholder="catalogue (policy decides)"
            data-testid="strategy"
            onChange={(e) => upd({ strategy: e.target.value.trim() || null })}
          />
          <datalist id="strategies">
            <option value="default" />
            <option value="hxt" />
            <option value="exhaustive" />
          </datalist>
        </label>
        <label>
          Policy
          <select value={st.policy} onChange={(e) => upd({ policy: e.target.value as Policy })} data-testid="policy">
            <option value="first-acceptable">first acceptable</option>
            <option value="best">best of all</option>
          </select>
        </label>
        <NumberField
          label="Size factor"
          value={st.sizeFactor}
          min={0.05}
          step={0.1}
          testId="size-factor"
          accept={(v) => (v > 0 ? v : undefined)}
          onChange={(sizeFactor) => sizeFactor !== undefined && upd({ sizeFactor })}
        />
        <label>
          Element order
          <select
            value={st.elementOrder}
            data-testid="mesh-settings-order"
            onChange={(e) => upd({ elementOrder: Number(e.target.value) as 1 | 2 })}
          >
            <option value={1}>1 (linear)</option>
            <option value={2}>2 (quadratic)</option>
          </select>
        </label>
        <NumberField
          label="Parallel attempts"
          title="0 = one per CPU core"
          value={st.jobs}
          min={0}
          max={64}
          accept={(v) => Math.max(0, Math.floor(v))}
          onChange={(jobs) => upd({ jobs: jobs ?? 0 })}
        />
        <NumberField
          label="Min SICN target"
          value={st.targets.minSicn}
          min={0}
          max={1}
          step={0.05}
          accept={(v) => v}
          onChange={(minSicn) => upd({ targets: { minSicn: minSicn ?? 0 } })}
        />
        <label title="Try this part's last winner (same sizes and targets) first, then the attempts that win most often here: faster, but the kept mesh may then depend on earlier jobs (CLI: --learned-order)">
          <input
            type="checkbox"
            checked={st.learnedOrder === true}
            data-testid="learned-order"
            onChange={(e) => upd({ learnedOrder: e.target.checked || undefined })}
          />
          Learned order
        </label>
      </div>
      <details open={!!st.sizing} data-testid="sizes-section">
        <summary>Sizes</summary>
        <SizeSettings />
      </details>
    </section>
  );
}
