// The renderer's store: named actions only, and a bounded mesh cache that never drops a mesh on screen.
import { beforeEach, describe, expect, it } from 'vitest';
import { MESH_CACHE, useStore } from '../../renderer/src/store';
import type { MeshPayload } from '../../src/contract/api';

const mesh = (jobId: string) => ({ jobId }) as unknown as MeshPayload;
const initial = useStore.getState();

describe('renderer store', () => {
  beforeEach(() => useStore.setState(initial, true));

  it('exposes named actions, not a generic setter', () => {
    const s = useStore.getState() as unknown as Record<string, unknown>;
    expect(s.set).toBeUndefined();
    for (const a of ['selectJob', 'selectPart', 'setMesh', 'setView', 'setCompare', 'showMessage', 'dismissMessage'])
      expect(typeof s[a]).toBe('function');
  });

  it('keeps at most MESH_CACHE meshes, dropping the least recently used', () => {
    const { setMesh } = useStore.getState();
    for (let i = 0; i < MESH_CACHE + 3; i++) setMesh(`j${i}`, mesh(`j${i}`));
    const held = Object.keys(useStore.getState().meshes);
    expect(held).toHaveLength(MESH_CACHE);
    expect(held).toEqual(Array.from({ length: MESH_CACHE }, (_, i) => `j${i + 3}`));
    // Using an old one again makes it the most recent: the next eviction takes another.
    setMesh('j3', useStore.getState().meshes.j3);
    setMesh('new', mesh('new'));
    expect(Object.keys(useStore.getState().meshes)).toContain('j3');
    expect(Object.keys(useStore.getState().meshes)).not.toContain('j4');
  });

  it('never evicts the selected job or the two compared ones', () => {
    const s = useStore.getState();
    s.setMesh('sel', mesh('sel'));
    s.setMesh('a', mesh('a'));
    s.setMesh('b', mesh('b'));
    s.selectJob('sel');
    s.compareBoth('a', 'b');
    for (let i = 0; i < MESH_CACHE * 2; i++) useStore.getState().setMesh(`x${i}`, mesh(`x${i}`));
    const held = Object.keys(useStore.getState().meshes);
    expect(held).toEqual(expect.arrayContaining(['sel', 'a', 'b']));
    expect(held.length).toBeLessThanOrEqual(MESH_CACHE);
  });
});
