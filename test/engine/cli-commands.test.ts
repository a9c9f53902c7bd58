// jobs, show, compare and --out through the real CLI.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { tmpHome, demoPart } from '../helpers/paths';

describe('jobs, show, compare, --out', () => {
  it('lists, shows and compares jobs; --out writes the three result files there', async () => {
    const home = tmpHome();
    const out = mkdtempSync(join(tmpdir(), 'mb-out-'));
    const a = (
      await cli(['mesh', demoPart('bracket.step'), '--strategy', 'default', '--json', '--out', out], home)
    ).json();
    expect(a.mesh.path).toBe(join(out, 'bracket.msh'));
    for (const f of ['bracket.msh', 'bracket_result.json', 'bracket.quality.json'])
      expect(existsSync(join(out, f))).toBe(true);
    const b = (await cli(['mesh', demoPart('bracket.step'), '--strategy', 'hxt', '--json'], home)).json();

    const list = (await cli(['jobs', '--json'], home)).json();
    expect(list.map((j: any) => j.id)).toEqual([b.id, a.id]);
    const table = await cli(['jobs'], home);
    expect(table.stdout).toBe('');
    expect(table.stderr).toContain(a.id);

    const shown = await cli(['show', a.id.slice(0, 18), '--json'], home);
    expect(shown.json().id).toBe(a.id);
    const human = await cli(['show', a.id], home);
    expect(human.stderr).toMatch(/SICN/);
    expect(human.stderr).toContain('argv[default]');

    const c = (await cli(['compare', a.id, b.id, '--json'], home)).json();
    const row = c.rows.find((r: any) => r.metric === 'tetrahedra');
    expect(row.a).toBe(a.mesh.elements.tetrahedra);
    expect(row.b).toBe(b.mesh.elements.tetrahedra);
    expect(typeof c.parity.ok).toBe('boolean');
    const text = await cli(['compare', a.id, b.id], home);
    expect(text.stderr).toMatch(/Parity: (OK|NOT met)/);
  });

  it('doctor reports Gmsh, the store and the breaker', async () => {
    const r = await cli(['doctor', '--json'], tmpHome());
    expect(r.code).toBe(0);
    const d = r.json();
    expect(d.gmsh.version).toMatch(/^4\./);
    expect(d.store.ok).toBe(true);
    expect(d.breaker.open).toBe(false);
  });
});
