// Face picking and the user's groups of each part: the picked faces, each part's groups (stored by the engine per
// input sha256, so a restart keeps them) and their colours. The current part's groups are also the mesh settings'
// groups, which a run sends and the size settings can target.
import { create } from 'zustand';
import type { UserGroup } from '../../src/contract/job';
import { errorText, getApi } from './api';
import { useStore } from './store';

interface GroupsState {
  /** Faces picked on the current part (CAD tags), in pick order. */
  selection: number[];
  /** Part path -> its groups, once loaded. */
  byPart: Record<string, UserGroup[]>;
  /** The face under the cursor, or null. */
  hover: number | null;
  /** Box selection armed: the next drag in the viewer selects the faces seen in its box. */
  boxArmed: boolean;
  pick: (tag: number | null, add: boolean) => void;
  /** The faces of a box: they become the selection, or are added to it (shift). */
  pickBox: (tags: number[], add: boolean) => void;
  setHover: (tag: number | null) => void;
  armBox: (on: boolean) => void;
  setSelection: (tags: number[]) => void;
  setGroups: (path: string, groups: UserGroup[]) => void;
}

export const useGroups = create<GroupsState>((set) => ({
  selection: [],
  byPart: {},
  hover: null,
  boxArmed: false,
  pick: (tag, add) =>
    set((s) => {
      // A click on empty space clears; a shift-click that misses keeps what was picked (it was meant to add).
      if (tag === null) return add ? {} : { selection: [] };
      if (!add) return { selection: [tag] };
      return { selection: s.selection.includes(tag) ? s.selection.filter((t) => t !== tag) : [...s.selection, tag] };
    }),
  pickBox: (tags, add) =>
    set((s) => ({
      selection: add ? [...s.selection, ...tags.filter((t) => !s.selection.includes(t))] : tags,
      boxArmed: false,
    })),
  setHover: (hover) => set({ hover }),
  armBox: (boxArmed) => set({ boxArmed }),
  setSelection: (tags) => set({ selection: tags }),
  setGroups: (path, groups) => set((s) => ({ byPart: { ...s.byPart, [path]: groups } })),
}));

/** Distinct colours for groups (the picked faces are drawn in SELECTED). */
const PALETTE = [
  '#2e86de',
  '#10ac84',
  '#f39c12',
  '#8e44ad',
  '#16a085',
  '#d35400',
  '#2c3e50',
  '#c0392b',
  '#27ae60',
  '#e84393',
];
const SELECTED = { r: 1, g: 0.85, b: 0.1 };
export const groupColor = (i: number) => PALETTE[i % PALETTE.length];
const rgb = (hex: string) => ({
  r: parseInt(hex.slice(1, 3), 16) / 255,
  g: parseInt(hex.slice(3, 5), 16) / 255,
  b: parseInt(hex.slice(5, 7), 16) / 255,
});

/** Face tag -> colour for the viewer: face groups in their colour, the picked faces on top. */
export function faceColors(
  groups: readonly UserGroup[],
  selection: readonly number[],
): Map<number, { r: number; g: number; b: number }> {
  const m = new Map<number, { r: number; g: number; b: number }>();
  groups.forEach((g, i) => {
    if (g.dim === 2) for (const t of g.tags) m.set(t, rgb(groupColor(i)));
  });
  for (const t of selection) m.set(t, SELECTED);
  return m;
}

const adopt = (path: string, groups: UserGroup[]) => {
  useGroups.getState().setGroups(path, groups);
  if (useStore.getState().currentPart === path)
    useStore.getState().updateMeshSettings({ groups: groups.length ? groups : undefined });
};

/** Loads a part's stored groups (once per part per session). */
export async function loadPartGroups(path: string): Promise<void> {
  if (useGroups.getState().byPart[path]) return adopt(path, useGroups.getState().byPart[path]);
  try {
    const { groups } = await getApi().partGroups(path);
    adopt(path, groups);
  } catch {
    adopt(path, []);
  }
}

/** Stores a part's groups in the engine; the engine's answer (names checked) is what the UI shows. */
export async function savePartGroups(path: string, groups: UserGroup[]): Promise<string | null> {
  try {
    const r = await getApi().savePartGroups(path, groups);
    adopt(path, r.groups);
    return null;
  } catch (e) {
    return errorText(e);
  }
}

export const groupsOf = (path: string | null): UserGroup[] => (path ? (useGroups.getState().byPart[path] ?? []) : []);
