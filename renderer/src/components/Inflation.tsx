// Boundary layers for the next run, the desktop's `--layers GROUP=COUNT,FIRST,GROWTH`: "Inflation…" on the faces
// picked in the viewer opens a dialog for the count, the first layer's height and the growth, showing the total
// thickness they make; the requests are listed under the selection, each removable.
import { useState } from 'react';
import type { LayerRequest } from '../../../src/contract/job';
import { layerTotal } from '../../../src/contract/layers';
import { useStore } from '../store';
import { fmtLen } from '../format';
import { layerFlag } from '../job-facts';
import { Dialog } from './Dialog';
import { NumberField } from './NumberField';

/** A whole count of layers from 1 to 50. */
const whole = (v: number) => (Number.isInteger(v) && v >= 1 && v <= 50 ? v : undefined);

const faceTarget = (faces: number[]) => `face:${[...faces].sort((a, b) => a - b).join(',')}`;

/** One request in the words of the CLI flag, and its total thickness. */
const layerText = (l: LayerRequest) => `${layerFlag(l)} (${fmtLen(layerTotal(l.count, l.first, l.growth), 'mm', 3)})`;

/** Sets the layers of the next run; none left means no `layers` at all (the job plans exactly as without). */
function setLayers(layers: LayerRequest[]) {
  useStore.getState().updateMeshSettings({ layers: layers.length ? layers : undefined });
}

export function Inflation({ faces }: { faces: number[] }) {
  const layers = useStore((s) => s.settings.layers) ?? [];
  const preview = useStore((s) => s.parts.find((p) => p.path === s.currentPart)?.preview);
  const [open, setOpen] = useState(false);
  const target = faceTarget(faces);
  const was = layers.find((l) => l.target === target);
  // A first height of a thousandth of the part's diagonal unless asked before (3 significant digits).
  const diag = preview ? Math.hypot(...preview.bbox.max.map((v, i) => v - preview.bbox.min[i])) : 1000;
  const [count, setCount] = useState<number | undefined>();
  const [first, setFirst] = useState<number | undefined>();
  const [growth, setGrowth] = useState<number | undefined>();
  if (!preview || !faces.length) return null;
  const start = () => {
    setCount(was?.count ?? layers[0]?.count ?? 5);
    setFirst(was?.first ?? Number((diag / 1000).toPrecision(3)));
    setGrowth(was?.growth ?? 1.2);
    setOpen(true);
  };
  const others = layers.filter((l) => l.target !== target);
  const why =
    count === undefined
      ? 'The count is a whole number from 1 to 50'
      : first === undefined
        ? 'The first height must be above 0'
        : growth === undefined
          ? 'The growth is a ratio from 1 to 3'
          : null;
  // Every group of a job has the same count (the engine grows one stack per wall node).
  const recount = count !== undefined && others.some((l) => l.count !== count);
  const apply = () => {
    if (why) return;
    setLayers([
      ...others.map((l) => ({ ...l, count: count! })),
      { target, count: count!, first: first!, growth: growth! },
    ]);
    setOpen(false);
  };
  return (
    <>
      <button
        data-testid="inflation"
        title="Prism boundary layers grown from the picked faces into the body (for CFD)"
        onClick={start}
      >
        Inflation…
      </button>
      {open && (
        <Dialog
          title={`Inflation on ${target}`}
          onClose={() => setOpen(false)}
          testId="inflation-dialog"
          actions={
            <>
              {was && (
                <button
                  data-testid="inflation-remove"
                  onClick={() => {
                    setLayers(others);
                    setOpen(false);
                  }}
                >
                  Remove
                </button>
              )}
              <button onClick={() => setOpen(false)}>Cancel</button>
              <button
                className="primary"
                data-testid="inflation-apply"
                disabled={!!why}
                title={why ?? `Grow these layers on ${target} in the next run`}
                onClick={apply}
              >
                Apply
              </button>
            </>
          }
        >
          <div className="form compact">
            {(
              [
                ['Layers', 'How many prism layers', 'count', count, setCount, { min: 1, max: 50, step: 1 }, whole],
                [
                  'First height (mm)',
                  "Height of the layer on the wall, in the part's millimetres",
                  'first',
                  first,
                  setFirst,
                  { min: 0, step: 'any' },
                  (v: number) => (v > 0 ? v : undefined),
                ],
                [
                  'Growth',
                  'Each layer this many times as high as the one before',
                  'growth',
                  growth,
                  setGrowth,
                  { min: 1, max: 3, step: 0.05 },
                  (v: number) => (v >= 1 && v <= 3 ? v : undefined),
                ],
              ] as const
            ).map(([label, title, id, value, onChange, range, accept]) => (
              <NumberField
                key={id}
                label={label}
                title={title}
                testId={`inflation-${id}`}
                {...range}
                value={value}
                accept={accept}
                onChange={onChange}
              />
            ))}
          </div>
          <p data-testid="inflation-total">
            {why ?? `Total thickness ${fmtLen(layerTotal(count!, first!, growth!), 'mm', 4)}`}
          </p>
          {recount && (
            <p className="small muted" data-testid="inflation-recount">
              Every group of a job has the same count: the other layers ({others.map((l) => l.target).join(', ')}) get{' '}
              {count} too.
            </p>
          )}
        </Dialog>
      )}
    </>
  );
}

/** The layers the next run asks for, each removable. */
export function LayerList() {
  const layers = useStore((s) => s.settings.layers) ?? [];
  if (!layers.length) return null;
  return (
    <ul className="list small" data-testid="layer-list">
      {layers.map((l) => (
        <li key={l.target} data-testid="layer-row">
          <span className="ellipsis" title="Prism boundary layers: COUNT,FIRST,GROWTH (total thickness)">
            layers {layerText(l)}
          </span>
          <button title={`Remove the layers on ${l.target}`} onClick={() => setLayers(layers.filter((x) => x !== l))}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
