// Mesh sizes for the next run: min/max (in the part's millimetres), local sizes on face groups or bodies with their growth,
// curvature, a target element count, and whether touching bodies are joined. The preview shows the result by colour.
import { UNIT_SCALE, type LocalSize, type SizingSettings } from '../../../src/contract/job';
import { useStore } from '../store';
import { previewTargetSizes } from '../viewer/target-size';
import { NumberField, type NumberFieldProps } from './NumberField';
import { fmtLen } from '../format';
import { meshUnit } from '../units';
import { toast } from '../actions';

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
    label: 'Size min (mm)',
    title: "No edge shorter than about this (in the part's millimetres)",
    testId: 'size-min',
    min: 0,
    step: 'any',
    placeholder: 'none',
    accept: positive,
  },
  {
    setting: 'sizeMax',
    label: 'Size max (mm)',
    title: "No edge longer than about this (in the part's millimetres)",
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
        <div className="small">Local sizes in mm (a group, Body_n, Face_n, face:3,7 or body:1)</div>
        {local.map((l, i) => (
          <div key={i} className="row" data-testid={`local-row-${i}`}>
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
              title="Element size on the target, in mm"
              onChange={(e) => setLocal(i, { size: Number(e.target.value) })}
            />
            <span className="unit">mm</span>
            <button title="Remove this local size" onClick={() => set({ local: local.filter((_, k) => k !== i) })}>
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
        <div className="small muted">
          The part shows these sizes by colour: red {fmtLen(shade.min, 'mm', 3)} → blue {fmtLen(shade.max, 'mm', 3)}.
        </div>
      )}
    </div>
  );
}

/**
 * "Refine here" on the faces picked in the viewer: a local size on them of half the element edge there now — measured
 * on a mesh of the part when one is loaded (the job on screen first), else half the size the settings ask for there
 * — so a second click refines further. The part is shown at once, coloured by the sizes the next run asks for, and
 * the new size row is brought into view.
 */
export function RefineHere({ faces }: { faces: number[] }) {
  const sizing = useStore((s) => s.settings.sizing);
  const groups = useStore((s) => s.settings.groups);
  const upd = useStore((s) => s.updateMeshSettings);
  const path = useStore((s) => s.currentPart);
  const preview = useStore((s) => s.parts.find((p) => p.path === s.currentPart)?.preview);
  if (!preview || !faces.length) return null;
  const refine = () => {
    const st = useStore.getState();
    const target = `face:${[...faces].sort((a, b) => a - b).join(',')}`;
    const asked = sizing?.local?.find((l) => l.target === target)?.size;
    // A mesh of this part: what its elements measure on these faces, in mm.
    const measured = meshEdgeHere(path, faces);
    let now: number;
    let why: string;
    if (asked !== undefined) {
      now = asked;
      why = `half the ${fmtLen(asked, 'mm', 3)} asked there`;
    } else if (measured) {
      // Gmsh multiplies every size by the size factor: the next run's factor applies to the size set here.
      now = measured.edge / st.settings.sizeFactor;
      why = `half the ${fmtLen(measured.edge, 'mm', 3)} edges of the mesh there`;
    } else {
      const diag = Math.hypot(...preview.bbox.max.map((v, i) => v - preview.bbox.min[i]));
      const shade = previewTargetSizes(preview, { ...sizing, sizeMax: sizing?.sizeMax ?? diag / 10 }, groups);
      now = Infinity;
      if (shade)
        for (let t = 0; t < shade.sizes.length; t++)
          if (faces.includes(preview.surfaceTags[t])) now = Math.min(now, shade.sizes[t]);
      if (!Number.isFinite(now)) now = diag / 10;
      why = `half the ${fmtLen(now, 'mm', 3)} the settings ask there (no mesh of the part yet)`;
    }
    const size = Number((now / 2).toPrecision(3));
    const local = (sizing?.local ?? []).filter((l) => l.target !== target);
    upd({ sizing: tidy({ ...sizing, local: [...local, { target, size }] }) });
    // Show the sizes on the part now (not the old mesh), and the row that holds the new size.
    if (st.selectedJob && path) st.selectPart(path);
    toast(
      'info',
      `Refine here: ${target} → ${fmtLen(size, 'mm', 3)} (${why}). The part shows the sizes of the next run.`,
    );
    requestAnimationFrame(() => {
      const sec = document.getElementById('sizes-section') as HTMLDetailsElement | null;
      if (sec) sec.open = true;
      const i = [...local, { target }].length - 1;
      document.querySelector(`[data-testid="local-row-${i}"]`)?.scrollIntoView({ block: 'nearest' });
    });
  };
  return (
    <button
      data-testid="refine-here"
      title="A finer local size on the picked faces: half the element edge there now"
      onClick={refine}
    >
      Refine here
    </button>
  );
}

/**
 * The mean edge of the mesh's skin triangles on `faces`, in mm, from a loaded mesh of the part at `path` (the
 * selected job's first); null without one.
 */
function meshEdgeHere(path: string | null, faces: number[]): { edge: number; jobId: string } | null {
  const st = useStore.getState();
  const ids = [st.selectedJob, ...[...st.meshOrder].reverse()].filter(
    (id): id is string => !!id && st.jobs[id]?.input.path === path,
  );
  const want = new Set(faces);
  for (const id of ids) {
    const m = st.meshes[id];
    if (!m || m === 'loading' || 'error' in m || !m.skinFaces) continue;
    let sum = 0;
    let n = 0;
    const p = m.nodes;
    for (let t = 0; t < m.skinFaces.length; t++) {
      if (!want.has(m.skinFaces[t])) continue;
      for (let k = 0; k < 3; k++) {
        const a = m.skin[t * 3 + k] * 3;
        const b = m.skin[t * 3 + ((k + 1) % 3)] * 3;
        sum += Math.hypot(p[a] - p[b], p[a + 1] - p[b + 1], p[a + 2] - p[b + 2]);
        n++;
      }
    }
    if (n) return { edge: sum / n / UNIT_SCALE[meshUnit(st.jobs[id])], jobId: id };
  }
  return null;
}
