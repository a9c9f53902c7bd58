// The part's groups: the faces picked in the viewer (the face under the cursor lights up; click a face, shift-click
// to add, click empty space to clear, a box to take every face seen in it, "+ tangent" to grow the selection over
// the faces that continue it smoothly), a name to make them a group, and the groups listed with their colour,
// renamed and deleted here.
import { useEffect, useState } from 'react';
import type { UserGroup } from '../../../src/contract/job';
import { groupColor, loadPartGroups, savePartGroups, useGroups } from '../groups';
import { useStore } from '../store';
import { RefineHere } from './SizeSettings';
import { Inflation, LayerList } from './Inflation';
import { tangentFaces } from '../viewer/face-topology';

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function GroupsPanel() {
  const path = useStore((s) => s.currentPart);
  const part = useStore((s) => s.parts.find((p) => p.path === s.currentPart));
  const selection = useGroups((s) => s.selection);
  const groups = useGroups((s) => (path ? s.byPart[path] : undefined)) ?? [];
  const setSelection = useGroups((s) => s.setSelection);
  const hover = useGroups((s) => s.hover);
  const boxArmed = useGroups((s) => s.boxArmed);
  const armBox = useGroups((s) => s.armBox);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setSelection([]);
    setError(null);
    if (path && part?.preview && !part.preview.format.startsWith('stl')) void loadPartGroups(path);
  }, [path, part?.preview, setSelection]);

  if (!path || !part?.preview || part.preview.format.startsWith('stl')) return null;

  const save = async (next: UserGroup[]) => setError(await savePartGroups(path, next));
  // Spaces become underscores (a solver deck's set names cannot hold them); anything else odd is said, not dropped.
  const saved = name.trim().replace(/\s+/g, '_');
  const nameProblem =
    saved && !NAME.test(saved)
      ? 'a group name is a letter or _ then letters, digits or _ (64 at most)'
      : groups.some((g) => g.name === saved)
        ? `"${saved}" is taken`
        : null;
  const makeWhy = !name ? 'Type a name for the group first' : nameProblem;
  const make = async () => {
    if (!selection.length || makeWhy) return;
    await save([...groups, { name: saved, dim: 2, tags: [...selection].sort((a, b) => a - b) }]);
    setName('');
    setSelection([]);
  };
  const pv = part.preview;
  const addTangent = () => setSelection(tangentFaces(pv.positions, pv.indices, pv.surfaceTags, selection));

  return (
    <section className="card" data-testid="groups-panel">
      <h4>
        Groups
        <span className="hover-face" data-testid="hover-face">
          {hover !== null ? `face ${hover} under the cursor` : ''}
        </span>
      </h4>
      <div
        className="small ellipsis"
        data-testid="face-selection"
        title="Click a face to select it; shift-click adds (a shift-click that misses keeps the selection); a click on empty space clears; Box select takes every face seen in a box."
      >
        {selection.length
          ? `Selected face${selection.length > 1 ? 's' : ''} ${selection.join(', ')}`
          : 'Click a face of the part to select it (shift-click adds, a click on empty space clears).'}
      </div>
      <div className="row pick-tools">
        <button
          className={boxArmed ? 'active' : ''}
          data-testid="box-select"
          onClick={() => armBox(!boxArmed)}
          title={
            boxArmed
              ? 'Drag a box in the viewer (shift: add to the selection); click again to cancel'
              : 'Select every face seen inside a box you drag in the viewer (B)'
          }
        >
          {boxArmed ? 'Drag a box…' : 'Box select'}
        </button>
        <button
          data-testid="add-tangent"
          disabled={!selection.length}
          onClick={addTangent}
          title={
            selection.length
              ? 'Add the faces that continue the selection smoothly (a fillet and the faces it blends into)'
              : 'Select a face first'
          }
        >
          + tangent
        </button>
        <button
          data-testid="clear-selection"
          disabled={!selection.length}
          onClick={() => setSelection([])}
          title={selection.length ? 'Deselect every face' : 'Nothing is selected'}
        >
          Clear
        </button>
      </div>
      {selection.length > 0 && (
        <div className="row">
          <input
            value={name}
            placeholder="group name, e.g. fixed"
            data-testid="group-name"
            onChange={(e) => setName(e.target.value.trimStart())}
            onKeyDown={(e) => e.key === 'Enter' && void make()}
          />
          <button
            data-testid="make-group"
            disabled={!!makeWhy}
            title={makeWhy ?? `Save the selected faces as the group ${saved}`}
            onClick={() => void make()}
          >
            Make group
          </button>
          <RefineHere faces={selection} />
        </div>
      )}
      {selection.length > 0 && (
        <div className="row">
          <Inflation faces={selection} />
        </div>
      )}
      <LayerList />
      {name && saved !== name.trim() && !nameProblem && (
        <div className="small muted" data-testid="group-name-note">
          Saved as {saved}
        </div>
      )}
      {nameProblem && (
        <div className="error-text small" data-testid="group-name-problem">
          {nameProblem}
        </div>
      )}
      {error && (
        <div className="error-text small" data-testid="groups-error">
          {error}
        </div>
      )}
      {groups.length > 0 && (
        <ul className="list" data-testid="group-list">
          {groups.map((g, i) => (
            <GroupRow
              key={g.name}
              group={g}
              color={groupColor(i)}
              onSelect={() => setSelection(g.dim === 2 ? g.tags : [])}
              onRename={(n) => void save(groups.map((x) => (x === g ? { ...x, name: n } : x)))}
              onDelete={() => void save(groups.filter((x) => x !== g))}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function GroupRow(p: {
  group: UserGroup;
  color: string;
  onSelect: () => void;
  onRename: (name: string) => void;
  onDelete: () => void;
}) {
  const [draft, setDraft] = useState(p.group.name);
  useEffect(() => setDraft(p.group.name), [p.group.name]);
  const commit = () => {
    if (draft !== p.group.name && NAME.test(draft)) p.onRename(draft);
    else setDraft(p.group.name);
  };
  return (
    <li data-testid={`group-${p.group.name}`}>
      <span
        className="swatch"
        style={{ background: p.color, display: 'inline-block', width: 10, height: 10, marginRight: 6 }}
        onClick={p.onSelect}
        title="Select its faces"
      />
      <input
        className="group-rename"
        style={{ width: '8em' }}
        value={draft}
        data-testid={`rename-${p.group.name}`}
        onChange={(e) => setDraft(e.target.value.trim())}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      <span className="small">
        {' '}
        {p.group.dim === 2 ? 'faces' : 'bodies'} {p.group.tags.join(', ')}
      </span>
      <button
        className="banner-close"
        title="Delete the group"
        aria-label={`Delete ${p.group.name}`}
        data-testid={`delete-${p.group.name}`}
        onClick={p.onDelete}
      >
        ×
      </button>
    </li>
  );
}
