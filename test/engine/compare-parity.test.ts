// How two jobs are compared: by sha256 when the same Gmsh build meshed the same input (the meshes must be
// byte-identical), else by quality within ±5 %; the verdict says which and why.
import { describe, expect, it } from 'vitest';
import { compareJobs } from '../../src/jobs/compare';
import type { JobResult } from '../../src/contract/job';
import { cli } from '../helpers/cli';
import { tmpHome } from '../helpers/paths';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';

describe('compare: sha256 for the same Gmsh build, quality otherwise', () => {
  it('two real local runs of one part: same build, compared by sha256; another build: by quality', async () => {
    const home = tmpHome();
    const part = join(repoRoot, 'resources/demo/bracket.step');
    const a = (await cli(['mesh', part, '--strategy', 'default', '--json'], home)).json() as JobResult;
    const b = (await cli(['mesh', part, '--strategy', 'default', '--json'], home)).json() as JobResult;
    expect(a.mesh!.gmsh!.version).toMatch(/^\d+\.\d+/);
    const same = compareJobs(a, b);
    expect(same.parity).toMatchObject({ method: 'sha256', ok: a.mesh!.sha256 === b.mesh!.sha256 });
    expect(same.parity.why).toContain(`Gmsh ${a.mesh!.gmsh!.version}`);

    // The same meshes, as if the other side had run an official SDK build: sha256 cannot decide, quality does.
    const other: JobResult = {
      ...b,
      mesh: {
        ...b.mesh!,
        sha256: 'f'.repeat(64),
        gmsh: { version: b.mesh!.gmsh!.version, build: 'Linux64-sdk 20210428 other-host OCC 7.5.1' },
      },
    };
    const diff = compareJobs(a, other);
    expect(diff.parity).toMatchObject({ method: 'quality', ok: true });
    expect(diff.parity.why).toMatch(/different Gmsh builds .* compared by quality within ±5 %/);
    // Same build but different bytes: not at parity, whatever the quality says.
    const tampered: JobResult = { ...b, mesh: { ...b.mesh!, sha256: 'e'.repeat(64) } };
    expect(compareJobs(a, tampered).parity).toMatchObject({ method: 'sha256', ok: false, failing: ['mesh sha256'] });
  });
});

describe('compare: sha256 only where the same deterministic command made both meshes', () => {
  const part = join(repoRoot, 'resources/demo/bracket.step');
  const mesh = async (home: string, ...args: string[]) =>
    (await cli(['mesh', part, ...args, '--json'], home)).json() as JobResult;

  it('HXT winners (not deterministic even on one thread) are compared by quality, and say so', async () => {
    const home = tmpHome();
    const a = await mesh(home, '--strategy', 'hxt');
    const b = await mesh(home, '--strategy', 'hxt');
    expect(a.mesh!.gmsh).toEqual(b.mesh!.gmsh);
    const c = compareJobs(a, b);
    expect(c.parity).toMatchObject({ method: 'quality', ok: true });
    expect(c.parity.why).toMatch(/winning attempt \(hxt\) meshed with HXT, which is not deterministic/);
  });

  it('different winning attempts, or one attempt with other settings, are compared by quality', async () => {
    const home = tmpHome();
    const base = await mesh(home, '--strategy', 'default');
    const finer = await mesh(home, '--strategy', 'finer-size');
    const scaled = await mesh(home, '--strategy', 'default', '--size-factor', '0.9');
    const strategies = compareJobs(base, finer).parity;
    expect(strategies.method).toBe('quality');
    expect(strategies.why).toMatch(/different winning attempts \(default vs finer-size\)/);
    const settings = compareJobs(base, scaled).parity;
    expect(settings.method).toBe('quality');
    expect(settings.why).toMatch(/winning default attempts ran with different settings/);
  });
});
