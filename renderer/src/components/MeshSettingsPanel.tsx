// Mesh settings for the next run: the strategy, chosen from the catalogue (every attempt named and described), policy,
// size factor, element order, parallel attempts, SICN target, the learned order (opt-in); sizes; and an Advanced
// section for Gmsh's 2D and 3D algorithm and the optimiser, the same choices as the CLI's --algorithm-2d,
// --algorithm-3d and --optimizer.
import {
  ALGORITHMS_2D,
  ALGORITHMS_3D,
  CAPABILITY_LABEL,
  OPTIMIZERS,
  type AlgorithmChoice,
  type AlgorithmEntry,
} from '../../../src/contract/algorithms';
import type { Policy } from '../../../src/contract/job';
import { useStore } from '../store';
import { NumberField } from './NumberField';
import { SizeSettings } from './SizeSettings';

const CATALOGUE = '';

export function MeshSettingsPanel() {
  const st = useStore((s) => s.settings);
  const upd = useStore((s) => s.updateMeshSettings);
  const catalogue = useStore((s) => s.catalogue);
  const format = useStore((s) => s.parts.find((p) => p.path === s.currentPart)?.preview?.format);
  const route = format?.startsWith('stl') ? 'stl' : 'cad';
  const attempts = (catalogue?.attempts ?? []).filter((a) => a.route === route);
  const chosen = attempts.find((a) => a.name === st.strategy);
  const strategyNote = !st.strategy
    ? 'Every attempt below in turn, the one that learned to win on this part first; the policy keeps the result.'
    : st.strategy === 'exhaustive'
      ? 'Every attempt of the catalogue; the policy keeps the result.'
      : (chosen?.description ??
        `“${st.strategy}” is not in the catalogue for ${route === 'stl' ? 'STL' : 'CAD'} parts.`);
  return (
    <section className="card">
      <h4>Mesh settings</h4>
      <div className="form compact">
        <label className="wide" title={strategyNote}>
          Strategy
          <select
            value={st.strategy ?? CATALOGUE}
            data-testid="strategy"
            onChange={(e) => upd({ strategy: e.target.value || null })}
          >
            <option value={CATALOGUE}>catalogue: every attempt, policy decides</option>
            {st.strategy === 'exhaustive' && <option value="exhaustive">exhaustive (every attempt)</option>}
            {st.strategy && st.strategy !== 'exhaustive' && !chosen && (
              <option value={st.strategy}>{st.strategy} (not for this part)</option>
            )}
            {attempts.map((a) => (
              <option key={a.name} value={a.name} disabled={!!a.unavailable} title={a.unavailable ?? a.description}>
                {a.name}
                {a.unavailable ? ` (unavailable: ${a.unavailable})` : ''}
              </option>
            ))}
          </select>
          <span className="note ellipsis" data-testid="strategy-note">
            {strategyNote}
          </span>
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
          title="Multiplies every element size (Gmsh -clscale): below 1 is finer"
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
          title="A mesh with a worse element than this misses its target"
          value={st.targets.minSicn}
          min={0}
          max={1}
          step={0.05}
          accept={(v) => v}
          onChange={(minSicn) => upd({ targets: { ...st.targets, minSicn: minSicn ?? 0 } })}
        />
        <label
          className="check"
          title="Try this part's last winner (same sizes and targets) first, then the attempts that win most often here: faster, but the kept mesh may then depend on earlier jobs (CLI: --learned-order)"
        >
          <input
            type="checkbox"
            checked={st.learnedOrder === true}
            data-testid="learned-order"
            onChange={(e) => upd({ learnedOrder: e.target.checked || undefined })}
          />
          Learned order
        </label>
        <label
          className="check"
          title="A targeted repair of a mesh below the targets, kept only if it beats the mesh it repairs. On when the catalogue is walked; off after a strategy named on its own unless ticked (CLI: --repair)"
        >
          <input
            type="checkbox"
            checked={st.repair ?? !(st.strategy && st.strategy !== 'exhaustive')}
            data-testid="repair"
            onChange={(e) => upd({ repair: e.target.checked })}
          />
          Targeted repair
        </label>
      </div>
      <details open={!!st.sizing} data-testid="sizes-section" id="sizes-section">
        <summary>Sizes (mm)</summary>
        <SizeSettings />
      </details>
      <details
        open={!!st.algorithms || st.targets.minDihedral !== undefined || st.targets.maxAspect !== undefined}
        data-testid="advanced-section"
      >
        <summary>Advanced: more targets, algorithms</summary>
        <div className="form compact">
          <NumberField
            label="Min dihedral angle target (°)"
            title="Optional: the smallest dihedral angle any tetrahedron may have (CLI: --min-dihedral)"
            value={st.targets.minDihedral}
            placeholder="none"
            min={0}
            max={70}
            step={1}
            testId="target-min-dihedral"
            accept={(v) => v}
            onChange={(minDihedral) => upd({ targets: { ...st.targets, minDihedral: minDihedral || undefined } })}
          />
          <NumberField
            label="Max aspect ratio target"
            title="Optional: the largest aspect ratio any tetrahedron may have, 1 for the regular one (CLI: --max-aspect)"
            value={st.targets.maxAspect}
            placeholder="none"
            min={1}
            step={1}
            testId="target-max-aspect"
            accept={(v) => Math.max(1, v)}
            onChange={(maxAspect) => upd({ targets: { ...st.targets, maxAspect } })}
          />
        </div>
        <Advanced />
      </details>
    </section>
  );
}

/** Gmsh's 2D and 3D algorithm and the optimiser over every attempt, as the CLI's flags of the same names. */
function Advanced() {
  const algorithms = useStore((s) => s.settings.algorithms);
  const caps = useStore((s) => s.catalogue?.capabilities ?? null);
  const upd = useStore((s) => s.updateMeshSettings);
  const set = (patch: AlgorithmChoice) => {
    const next = Object.fromEntries(
      Object.entries({ ...algorithms, ...patch }).filter(([, v]) => v !== undefined),
    ) as AlgorithmChoice;
    upd({ algorithms: Object.keys(next).length ? next : undefined });
  };
  const field = (label: string, flag: string, key: keyof AlgorithmChoice, list: readonly AlgorithmEntry[]) => {
    const cur = list.find((e) => e.name === algorithms?.[key]);
    return (
      <label title={`${cur?.description ?? "Each attempt's own choice"} (CLI: ${flag})`}>
        {label}
        <select
          value={algorithms?.[key] ?? ''}
          data-testid={`algo-${key}`}
          onChange={(e) => set({ [key]: e.target.value || undefined })}
        >
          <option value="">each attempt&apos;s own</option>
          {list.map((e) => {
            const missing = e.needs && caps && !caps[e.needs] ? `this Gmsh has no ${CAPABILITY_LABEL[e.needs]}` : null;
            return (
              <option key={e.name} value={e.name} disabled={!!missing} title={missing ?? e.description}>
                {e.label}
                {missing ? ` (${missing})` : ''}
              </option>
            );
          })}
        </select>
      </label>
    );
  };
  return (
    <div className="form compact" data-testid="advanced">
      {field('2D algorithm', '--algorithm-2d', 'algorithm2d', ALGORITHMS_2D)}
      {field('3D algorithm', '--algorithm-3d', 'algorithm3d', ALGORITHMS_3D)}
      {field('Optimiser', '--optimizer', 'optimizer', OPTIMIZERS)}
      <div className="note wide" data-testid="advanced-flags">
        {algorithms && Object.keys(algorithms).length
          ? `Over every attempt: meshbench mesh ${[
              algorithms.algorithm2d && `--algorithm-2d ${algorithms.algorithm2d}`,
              algorithms.algorithm3d && `--algorithm-3d ${algorithms.algorithm3d}`,
              algorithms.optimizer && `--optimizer ${algorithms.optimizer}`,
            ]
              .filter(Boolean)
              .join(' ')}`
          : 'Each attempt uses its own algorithms (see Strategy).'}
      </div>
    </div>
  );
}
