import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectFormat, inspectInput } from '../../src/input/inspect';
import { refusal } from '../helpers/inputs';
import { repoRoot, demoPart, hasSamples, samplesDir, testPart } from '../helpers/paths';

const dir = mkdtempSync(join(tmpdir(), 'mb-inspect-'));

describe('input inspection', () => {
  beforeAll(() => {
    // BREP and binary STL made by Gmsh itself from an OpenCASCADE box (Gmsh 4.8 cannot write IGES: the IGES
    // case below uses the fixed 80-column Start/Global records every IGES file opens with).
    writeFileSync(
      join(dir, 'make.geo'),
      'SetFactory("OpenCASCADE");\nBox(1) = {0,0,0,1,2,3};\nSave "box.brep";\nMesh 2;\nMesh.Binary = 1;\nSave "box.stl";\n',
    );
    const rec = (text: string, section: string, n: number) => `${text.padEnd(72)}${section}${String(n).padStart(7)}\n`;
    writeFileSync(join(dir, 'box.igs'), rec('MeshBench test part', 'S', 1) + rec('1H,,1H;,4HPART,8Hbox.igs,', 'G', 1));
    execFileSync('gmsh', ['make.geo', '-parse_and_exit'], { cwd: dir, stdio: 'pipe' });
  });

  it('detects formats from the content', () => {
    expect(inspectInput(demoPart('bracket.step')).format).toBe('step');
    expect(inspectInput(join(dir, 'box.igs')).format).toBe('iges');
    expect(inspectInput(join(dir, 'box.brep')).format).toBe('brep');
    expect(inspectInput(join(dir, 'box.stl')).format).toBe('stl-binary');
    expect(inspectInput(join(repoRoot, 'resources/demo/knob.stl')).format).toBe('stl-ascii');
  });

  it('notices a STEP file hiding behind another extension', () => {
    const p = join(dir, 'part.txt');
    writeFileSync(p, readFileSync(testPart('open-shell.step')));
    const i = inspectInput(p);
    expect(i.format).toBe('step');
    expect(i.extensionMismatch).toBe(true);
    expect(i.gmshExtension).toBe('.step');
  });

  it("every real part passes: the repository's and, when present, the samples (no script rule fires on a model)", () => {
    const dirs = [
      join(repoRoot, 'resources/demo'),
      join(repoRoot, 'resources/hard-parts'),
      join(repoRoot, 'test/parts'),
    ];
    if (hasSamples) dirs.push(samplesDir);
    const parts = dirs.flatMap((d) =>
      readdirSync(d)
        .filter((f) => /\.(step|stp|iges|igs|brep|stl)$/i.test(f))
        .map((f) => join(d, f)),
    );
    expect(parts.length).toBeGreaterThanOrEqual(9);
    for (const p of [...parts, join(dir, 'box.igs'), join(dir, 'box.brep'), join(dir, 'box.stl')])
      expect(inspectInput(p).format, p).toMatch(/^(step|iges|brep|stl-ascii|stl-binary)$/);
  });

  it('a binary STL with triangles of no area or corners that are not numbers is refused; a sound one passes', () => {
    const stl = (corners: (i: number) => number[], n = 10) => {
      const b = Buffer.alloc(84 + 50 * n);
      b.writeUInt32LE(n, 80);
      for (let i = 0; i < n; i++) corners(i).forEach((v, k) => b.writeFloatLE(v, 96 + 50 * i + 4 * k));
      return b;
    };
    const sound = (i: number) => [i, 0, 0, i + 1, 0, 0, i, 1, 0];
    const flat = (i: number) => [i, 0, 0, i + 1, 0, 0, i + 2, 0, 0]; // corners on a line
    writeFileSync(join(dir, 'sound.stl'), stl(sound));
    expect(inspectInput(join(dir, 'sound.stl')).format).toBe('stl-binary');
    writeFileSync(
      join(dir, 'flat.stl'),
      stl((i) => (i < 6 ? flat(i) : sound(i))),
    );
    expect(refusal(join(dir, 'flat.stl')).message).toMatch(/more than half of its 10 triangles have no area/);
    writeFileSync(
      join(dir, 'mostly-sound.stl'),
      stl((i) => (i < 5 ? flat(i) : sound(i))),
    ); // half: still a part
    expect(inspectInput(join(dir, 'mostly-sound.stl')).format).toBe('stl-binary');
    writeFileSync(
      join(dir, 'nan.stl'),
      stl((i) => (i < 6 ? [NaN, 0, 0, 1, 0, 0, 0, 1, 0] : sound(i))),
    );
    const nan = refusal(join(dir, 'nan.stl'));
    expect(nan.code).toBe('input-implausible');
    expect(nan.message).toMatch(/no area or coordinates that are not numbers/);
  });

  it('a binary STL whose header says "solid" is still binary', () => {
    const buf = Buffer.alloc(84 + 50);
    buf.write('solid but binary', 0, 'latin1');
    buf.writeUInt32LE(1, 80);
    expect(detectFormat(buf, buf.length)).toBe('stl-binary');
  });

  it('refuses missing, empty, folder and non-CAD inputs, naming the file and the reason', () => {
    const missing = refusal(join(dir, 'nope.step'));
    expect(missing.code).toBe('input-missing');
    expect(missing.message).toContain('nope.step');

    const empty = join(dir, 'empty.step');
    writeFileSync(empty, '');
    expect(refusal(empty).message).toMatch(/empty\.step is empty/);

    const folder = join(dir, 'folder.step');
    mkdirSync(folder);
    expect(refusal(folder).message).toMatch(/is a folder/);

    const text = join(dir, 'notes.step');
    writeFileSync(text, 'hello, this is not a model\n');
    const t = refusal(text);
    expect(t.code).toBe('input-not-cad');
    expect(t.message).toContain('notes.step');
    expect(t.message).toContain('it is text that is not a model, not a STEP file');
    expect(t.message).not.toContain('hello'); // no error message echoes the file's content

    const png = join(dir, 'picture.stl');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 250]));
    expect(refusal(png).message).toMatch(/binary data/);
  });

  it.skipIf(process.getuid?.() === 0)('refuses an unreadable file', () => {
    const p = join(dir, 'secret.step');
    writeFileSync(p, 'ISO-10303-21;\n', { mode: 0o000 });
    expect(refusal(p).code).toBe('input-unreadable');
  });
});
