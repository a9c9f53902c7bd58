// Gmsh's memory bound: every Gmsh run is limited (address space), and reaching the limit reads "Gmsh needed more than
// N GB for this part" in the attempt and the job, not a crash or a machine swapping to a halt.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeMemoryLimit,
  gmshMemoryLimit,
  hitMemoryLimit,
  machineMemoryBytes,
  MEMORY_ENV,
} from '../../src/gmsh/memory';
import { ConfigError } from '../../src/util/errors';
import { cli } from '../helpers/cli';
import { tmpHome } from '../helpers/paths';

const dir = mkdtempSync(join(tmpdir(), 'mb-memory-'));

/** A binary STL of `n` triangles with corners spread over a 100 mm cube (a fixed sequence: the same file each run). */
function denseStl(path: string, n: number) {
  const buf = Buffer.alloc(84 + 50 * n);
  buf.writeUInt32LE(n, 80);
  let s = 1;
  for (let i = 0; i < n; i++)
    for (let k = 0; k < 9; k++)
      buf.writeFloatLE(((s = (s * 16807) % 2147483647) / 2147483647) * 100, 96 + 50 * i + 4 * k);
  writeFileSync(path, buf);
}

describe("Gmsh's memory limit", () => {
  it('a part that needs more fails in words, in the attempt and in the job', async () => {
    // A million triangles (50 MB): reading and classifying them takes Gmsh past a quarter of a GB within seconds.
    const part = join(dir, 'dense.stl');
    denseStl(part, 1_000_000);
    const r = await cli(
      ['mesh', part, '--strategy', 'stl-classify', '--time-budget', '60', '--json'],
      tmpHome(),
      { [MEMORY_ENV]: '0.25' },
      100_000,
    );
    expect(r.code, r.stderr).toBe(3);
    const job = r.json();
    expect(job.attempts[0].error).toMatch(/^Gmsh needed more than 0\.25 GB for this part and was stopped/);
    expect(job.error.message).toMatch(/stl-classify: Gmsh needed more than 0\.25 GB for this part/);
    expect(job.error.hint).toMatch(/memory limit \(MESHBENCH_GMSH_MEMORY_GB\): mesh coarser/);
  });

  it('defaults to 3/4 of the machine, is set in GB or off, and a value that is not one is refused in words', () => {
    expect(gmshMemoryLimit({})).toBe(Math.floor(machineMemoryBytes() * 0.75));
    expect(gmshMemoryLimit({ [MEMORY_ENV]: '2' })).toBe(2 * 2 ** 30);
    expect(gmshMemoryLimit({ [MEMORY_ENV]: 'off' })).toBeNull();
    for (const bad of ['lots', '0', '-1', '0.1', 'Infinity']) {
      expect(() => gmshMemoryLimit({ [MEMORY_ENV]: bad }), bad).toThrow(ConfigError);
      expect(describeMemoryLimit({ [MEMORY_ENV]: bad })).toMatchObject({ ok: false });
    }
    expect(describeMemoryLimit({ [MEMORY_ENV]: '3' }).detail).toBe(
      'each Gmsh run may use 3 GB of address space (from MESHBENCH_GMSH_MEMORY_GB)',
    );
  });

  it('counts a run as over the limit only when it failed: by its words, or by a signal near the limit', () => {
    const limit = 2 ** 30;
    const run = { lines: [] as string[], exitCode: null as number | null, signal: null as string | null, peakBytes: 0 };
    const bad = ["terminate called after throwing an instance of 'std::bad_alloc'"];
    expect(hitMemoryLimit(limit, { ...run, lines: bad, signal: 'SIGABRT' })).toBe(true);
    expect(
      hitMemoryLimit(limit, { ...run, lines: ['Error   : Out of memory (buy some more RAM!)'], exitCode: 1 }),
    ).toBe(true);
    // A C allocation that returned NULL: a segmentation fault without a word, with the address space at the limit.
    expect(hitMemoryLimit(limit, { ...run, signal: 'SIGSEGV', peakBytes: 0.95 * limit })).toBe(true);
    expect(hitMemoryLimit(limit, { ...run, signal: 'SIGSEGV', peakBytes: 0.2 * limit })).toBe(false);
    expect(hitMemoryLimit(limit, { ...run, lines: bad, exitCode: 0 })).toBe(false); // it finished: not a breach
    expect(hitMemoryLimit(null, { ...run, lines: bad, signal: 'SIGABRT' })).toBe(false);
  });
});
