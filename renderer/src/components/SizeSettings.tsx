// Mesh sizes for the next run: min/max (in the part's units), local sizes on face groups or bodies with their growth,
// curvature, a target element count, and whether touching bodies are joined. The preview shows the result by colour.
import type { LocalSize, SizingSettings } from '../../../src/contract/job';
import { useStore } from '../store';
import { previewTargetSizes } from '../viewer/target-size';
import { NumberField, type NumberFieldProps } from './NumberField';

/** Drops unset fields; no sizing at all when nothing is set (the job plans exactly as without these settings). */
function tidy(s: SizingSettings): SizingSettings | undefined {
  const out = Object.fromEntries(
    Object.entries(s).filter(
      ([k, v]) =>
        v !== undefined && !(k === 'local' && (v as LocalSize[]).length === 0) && !(k === 'fragment' && v === true),
    ),
  );
  return Object.keys(out).length ? (out as SizingSettings) : undefined;
}

const positive = (v: number) => (v > 0 ? v : undefined);

type NumericSize = 'sizeMin' | 'sizeMax' | 'targetElements' | 'curvature' | 'growth';

/** The numeric size settings, each with the values it accepts (anything else leaves it unset). */
const SIZE_FIELDS: ({ setting: NumericSize; testId: string } & Omit<NumberFieldProps, 'value' | 'onChange'>)[] = [
  {
    setting: 'sizeMin',
    label: 'Size min',
    testId: 'size-min',
    min: 0,
    step: 'any',
    placeholder: 'none',
    accept: positive,
  },
  {
    setting: 'sizeMax',
    label: 'Size max',
    title: "No edge longer than about this (in the part's units)",
    testId: 'size-max',
    min: 0,
    step: 'any',
    placeholder: 'none',
    accept: positive,
  },
  {
    setting: 'targetElements',
    label: 'Target elements',
    title: 'Aim for this many tetrahedra: the size is estimated from the volume and corrected once',
    testId: 'target-elements',
    min: 100,
    step: 1000,
    placeholder: 'none',
    accept: (v) => (Math.round(v) >= 100 ? Math.round(v) : undefined),
  },
  {
    setting: 'curvature',
    label: 'Curvature',
    title: 'Elements per 2π of curvature',
    testId: 'curvature',
    min: 3,
    step: 1,
    placeholder: 'off',
    accept: (v) => (v >= 3 ? Math.round(v) : undefined),
  },
  {
    setting: 'growth',
    label: 'Growth',
    title: 'Size ratio between neighbouring elements away from a local size',
    testId: 'growth',
    min: 1.05,
    max: 10,
    step: 0.05,
    placeholder: '1.3',
    accept: (v) => (v > 1 ? v : undefined),
  },
];

export function SizeSettings() {
  const sizing = useStore((s) => s.settings.sizing) ?? {};
  const groups = useStore((s) => s.settings.groups);
  const upd = useStore((s) => s.updateMeshSettings);
  const preview = useStore((s) => s.parts.find((p) => p.path === s.currentPart)?.preview);
  const set = (patch: Partial<SizingSettings>) => upd({ sizing: tidy({ ...sizing, ...patch }) });
  const local = sizing.local ?? [];
  const setLocal = (i: number, patch: Partial<LocalSize>) =>
    set({ local: local.map((l, k) => (k === i ? { ...l, ...patch } : l)) });
  const targets = [...(groups ?? []).map((g) => g.name), ...(preview?.bodies ?? []).map((b) => `Body_${b.tag}`)];
  const shade = preview ? previewTargetSizes(preview, sizing, groups) : null;
  return (
    <div className="form compact" data-testid="size-settings">
      {SIZE_FIELDS.map(({ setting, ...f }) => (
        <NumberField key={setting} {...f} value={sizing[setting]} onChange={(v) => set({ [setting]: v })} />
      ))}
      <label title="Touching solids share nodes on their shared faces (off: separate meshes, for contact analyses)">
        <input
          type="checkbox"
          checked={sizing.fragment !== false}
          data-testid="fragment"
          onChange={(e) => set({ fragment: e.target.checked ? undefined : false })}
        />{' '}
        join touching bodies
      </label>
      <div className="local-sizes" data-testid="local-sizes">
        <div className="small">Local sizes (a group, Body_n, Face_n, face:3,7 or body:1)</div>
        {local.map((l, i) => (
          <div key={i} className="row">
            <input
              list="size-targets"
              value={l.target}
              data-testid={`local-target-${i}`}
              onChange={(e) => setLocal(i, { target: e.target.value.trim() })}
            />
            <input
              type="number"
              min={0}
              step="any"
              value={l.size}
              data-testid={`local-size-${i}`}
              onChange={(e) => setLocal(i, { size: Number(e.target.value) })}
            />
            <button title="Remove" onClick={() => set({ local: local.filter((_, k) => k !== i) })}>
              ×
            </button>
          </div>
        ))}
        <datalist id="size-targets">
          {targets.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <button
          data-testid="add-local-size"
          onClick={() =>
            set({
              local: [...local, { target: targets[0] ?? 'face:1', size: sizing.sizeMax ? sizing.sizeMax / 4 : 1 }],
            })
          }
        >
          + local size
        </button>
      </div>
      {shade && (
        <div className="small" data-testid="size-legend">
          Preview coloured by target size: red {Number(shade.min.toPrecision(3))} → blue{' '}
          {Number(shade.max.toPrecision(3))}
        </div>
      )}
    </div>
  );
}

/**
 * "Refine here" on the faces picked in the viewer: a local size on them, half the size the settings ask for there
 * now (so a second click refines further). The preview shows it at once.
 */
export function RefineHere({ faces }: { faces: number[] }) {
  const sizing = useStore((s) => s.settings.sizing);
  const groups = useStore((s) => s.settings.groups);
  const upd = useStore((s) => s.updateMeshSettings);
  const preview = useStore((s) => s.parts.find((p) => p.path === s.currentPart)?.preview);
  if (!preview || !faces.length) return null;
  const refine = () => {
    const diag = Math.hypot(...preview.bbox.max.map((v, i) => v - preview.bbox.min[i]));
    // what the settings ask for on these faces now (no size set at all: a tenth of the part, as the preview assumes)
    const shade = previewTargetSizes(preview, { ...sizing, sizeMax: sizing?.sizeMax ?? diag / 10 }, groups);
    let now = Infinity;
    if (shade)
      for (let t = 0; t < shade.sizes.length; t++)
        if (faces.includes(preview.surfaceTags[t])) now = Math.min(now, shade.sizes[t]);
    const size = Number(((Number.isFinite(now) ? now : diag / 10) / 2).toPrecision(3));
    const target = `face:${[...faces].sort((a, b) => a - b).join(',')}`;
    const local = (sizing?.local ?? []).filter((l) => l.target !== target);
    upd({ sizing: tidy({ ...sizing, local: [...local, { target, size }] }) });
  };
  return (
    <button
      data-testid="refine-here"
      title="A finer local size on the picked faces (half of what is asked there now)"
      onClick={refine}
    >
      Refine here
    </button>
  );
}
