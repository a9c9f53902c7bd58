// Exports, result files and the mesh's move into the job folder are written under a temporary name beside the target
// and renamed when complete: a writer killed (SIGKILL) at any moment leaves, under the final name, the old file, no
// file, or the whole new file, never a truncated one. A child process writes; the test kills it once a given share of
// the bytes has reached the folder, then checks every final name.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, type ExportFormat } from '../../src/contract/job';
import { ensureExportMesh } from '../../src/bench/export-bench';
import { exportMesh } from '../../src/export/export-mesh';
import { moveFileAtomic, tempPathFor, writeFileAtomic } from '../../src/util/atomic-write';
import { repoRoot } from '../helpers/paths';

const root = mkdtempSync(join(tmpdir(), 'mb-atomic-'));
const child = join(root, 'writer.cjs');
const OLD = 'old contents\n';
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  const entry = join(root, 'writer.ts');
  const src = (p: string) => JSON.stringify(join(repoRoot, 'src', p));
  writeFileSync(
    entry,
    `import { exportMesh } from ${src('export/export-mesh')};\n` +
      `import { moveFileAtomic, writeFileAtomic } from ${src('util/atomic-write')};\n` +
      `const [mode, a, b, ...rest] = process.argv.slice(2);\n` +
      `if (mode === 'export') exportMesh(a, rest as never, b, 'part');\n` +
      `else if (mode === 'move') moveFileAtomic(a, b);\n` +
      `else writeFileAtomic(b, require('node:fs').readFileSync(a));\n`,
  );
  await build({ entryPoints: [entry], outfile: child, bundle: true, platform: 'node', logLevel: 'warning' });
});

/** Bytes in `dir`, and whether some file there is half-written: a temporary one, or a final name at a size that is
 * neither the old file's nor the new one's (what a writer without the rule leaves). */
function folder(dir: string, sizes: Map<string, number>): { bytes: number; midWrite: boolean } {
  let bytes = 0;
  let midWrite = false;
  for (const f of readdirSync(dir)) {
    const size = statSync(join(dir, f), { throwIfNoEntry: false })?.size; // a temporary file may be renamed meanwhile
    if (size === undefined) continue;
    bytes += size;
    if (!sizes.has(f) || (size !== sizes.get(f) && size !== OLD.length)) midWrite = true;
  }
  return { bytes, midWrite };
}

/**
 * Runs the writer and SIGKILLs it once `dir` holds `bytes` bytes and a file is half-written (not between two
 * files, where there is nothing to catch); fails if it finished first.
 */
async function killWhen(args: string[], dir: string, bytes: number, sizes: Map<string, number>): Promise<void> {
  const p = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (d) => (stderr += d));
  const exit = new Promise<NodeJS.Signals | number | null>((resolve) => p.on('exit', (c, s) => resolve(s ?? c)));
  const deadline = Date.now() + 120_000;
  // A tight synchronous poll (the writer is another process): a timer between looks could miss a whole file.
  for (let n = 0; Date.now() < deadline && p.exitCode === null; n++) {
    const now = folder(dir, sizes);
    if (now.bytes >= bytes && now.midWrite) break;
    if (n % 1000 === 999) await new Promise((r) => setImmediate(r)); // lets an 'exit' through now and then
  }
  p.kill('SIGKILL');
  expect(await exit, `the writer ended before it was killed: ${stderr}`).toBe('SIGKILL');
}

interface Want {
  sha256: string;
  bytes: number;
}
const sizesOf = (want: Map<string, Want>) => new Map([...want].map(([f, w]) => [f, w.bytes]));

/** Every final name holds the old file, nothing, or the whole new file; anything else is a temporary file. */
function expectWholeOrOld(dir: string, want: Map<string, Want>, old: Set<string>): number {
  let complete = 0;
  for (const [name, { sha256: hash }] of want) {
    const path = join(dir, name);
    if (!existsSync(path)) {
      expect(old.has(name), `${name}: the old file vanished`).toBe(false);
      continue;
    }
    const got = sha(path);
    if (got === hash) complete++;
    else expect(readFileSync(path, 'latin1'), `${name}: neither the old file nor the whole new one`).toBe(OLD);
  }
  for (const f of readdirSync(dir)) if (!want.has(f)) expect(f).toMatch(/\.[0-9a-f]{8}\.tmp$/);
  return complete;
}

describe('a writer killed mid-write leaves no truncated file under a final name', () => {
  let msh = '';
  const want = new Map<string, Want>();
  let total = 0;
  beforeAll(async () => {
    // ~70,000 tets: every format takes long enough to be caught half-written, even on a fast disk.
    msh = await ensureExportMesh(join(root, 'mesh'), 0.045);
    const ref = join(root, 'reference');
    mkdirSync(ref);
    for (const e of exportMesh(msh, EXPORT_FORMATS, ref, 'part').exports) {
      if (e.error !== undefined) throw new Error(`${e.format}: ${e.error}`);
      want.set(basename(e.path), e);
      total += e.bytes;
    }
  }, 300_000);

  it.each([0.15, 0.5, 0.85])('every export, killed at %f of the bytes', async (share) => {
    const dir = mkdtempSync(join(root, 'out-'));
    // half the formats have an older file in place, which must survive whole until the new one replaces it
    const old = new Set([...want.keys()].filter((_, i) => i % 2 === 0));
    for (const f of old) writeFileSync(join(dir, f), OLD);
    const from = folder(dir, sizesOf(want)).bytes;
    await killWhen(
      ['export', msh, dir, ...(EXPORT_FORMATS as ExportFormat[])],
      dir,
      from + share * total,
      sizesOf(want),
    );
    const complete = expectWholeOrOld(dir, want, old);
    expect(complete).toBeLessThan(want.size); // it was killed before the end
  });

  /** `mode` (move or write) puts the file `src` at `dir/name` over an older one, killed half-way. */
  async function killOneFile(mode: 'move' | 'write', src: string, name: string) {
    const dir = mkdtempSync(join(root, `${mode}-`));
    writeFileSync(join(dir, name), OLD);
    const bytes = statSync(src).size;
    const want = new Map([[name, { sha256: sha(src), bytes }]]);
    await killWhen([mode, src, join(dir, name)], dir, bytes / 2 + OLD.length, sizesOf(want));
    expectWholeOrOld(dir, want, new Set([name]));
  }

  const otherFs = ['/dev/shm'].find((d) => {
    try {
      return statSync(d).dev !== statSync(root).dev;
    } catch {
      return false;
    }
  });
  it.skipIf(!otherFs)(
    'the mesh moved from another filesystem (a copy), killed half-way' +
      (otherFs ? '' : ' [skipped: no second filesystem (/dev/shm) here]'),
    async () => {
      const away = mkdtempSync(join(otherFs!, 'mb-atomic-'));
      try {
        writeFileSync(join(away, 'attempt.msh'), randomBytes(32 << 20));
        await killOneFile('move', join(away, 'attempt.msh'), 'part.msh');
      } finally {
        rmSync(away, { recursive: true, force: true });
      }
    },
  );

  it('a result file, killed half-way', async () => {
    writeFileSync(join(root, 'big.bin'), randomBytes(32 << 20));
    await killOneFile('write', join(root, 'big.bin'), 'part_result.json');
  });
});

describe('temporary names', () => {
  it('sit beside the target and stay within 255 bytes, however long its name', () => {
    const dir = mkdtempSync(join(root, 'names-'));
    for (const name of ['a'.repeat(255), `${'é'.repeat(126)}.msh`, 'part_result.json']) {
      const tmp = tempPathFor(join(dir, name));
      expect(join(tmp, '..')).toBe(dir);
      expect(Buffer.byteLength(basename(tmp))).toBeLessThanOrEqual(255);
      expect(basename(tmp)).toMatch(/\.[0-9a-f]{8}\.tmp$/);
      expect(basename(tmp)).not.toMatch(/\uFFFD/); // cut at a character, not inside one
      expect(tempPathFor(join(dir, name))).not.toBe(tmp);
    }
    // a 250-byte name (hardening keeps result names shorter; this is the limit case) is written and replaced
    const long = join(dir, `${'p'.repeat(238)}_result.json`);
    writeFileAtomic(long, 'one');
    writeFileAtomic(long, 'two');
    expect(readFileSync(long, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual([basename(long)]);
  });

  it('a move within one filesystem is a rename, and the source is gone', () => {
    const dir = mkdtempSync(join(root, 'rename-'));
    writeFileSync(join(dir, 'a'), 'mesh');
    moveFileAtomic(join(dir, 'a'), join(dir, 'b'));
    expect(readdirSync(dir)).toEqual(['b']);
  });
});
