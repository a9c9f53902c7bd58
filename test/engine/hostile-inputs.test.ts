// No file can run a command. Gmsh reads an unknown (case-sensitive) extension as a .geo script, which can run
// SystemCall, and reads `<input>.opt` beside its input. Every case here plants a marker-writing command and proves
// the marker never appears: the content check refuses scripts before Gmsh runs, and every Gmsh run reads a private
// `input.<ext>` staged from the detected format, so neither the user's extension nor a sidecar ever reaches Gmsh.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectInput } from '../../src/input/inspect';
import { stageInput, stagedName } from '../../src/input/stage';
import { previewPart } from '../../src/preview/preview';
import { cli, gmshAvailable } from '../helpers/cli';
import { refusal } from '../helpers/inputs';
import { repoRoot, tmpHome } from '../helpers/paths';

const dir = mkdtempSync(join(tmpdir(), 'mb-hostile-'));
const home = tmpHome();
let n = 0;
/** A fresh marker path, the Gmsh command that would create it, and a statement that writes it without a command. */
function marker(): { path: string; cmd: string; write: string } {
  const path = join(dir, `MARKER-${++n}`);
  return { path, cmd: `SystemCall "touch ${path}";`, write: `Printf("x") > "${path}";` };
}
/** Gmsh runs `content` as a script (a copy named .geo): whether it wrote the marker, i.e. the statement is live. */
function runsAsScript(content: string | Buffer, markerPath: string): boolean {
  const p = write(`as-script-${n}.geo`, content);
  spawnSync('gmsh', [p, '-parse_and_exit', '-nt', '1'], { cwd: dir, stdio: 'ignore', timeout: 60_000 }); // exits 1: syntax errors
  const ran = existsSync(markerPath);
  rmSync(markerPath, { force: true });
  return ran;
}
const rec = (text: string, section: string, i: number) => `${text.padEnd(72)}${section}${String(i).padStart(7)}\n`;
function write(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}
/** The attempt's Gmsh script reads the staged input.<ext>, and the user's file name is nowhere on its command line. */
function readsStaged(argv: string[], ext: string, userName: string) {
  expect(argv.join(' ')).not.toContain(userName);
  expect(readFileSync(argv[1], 'utf8')).toContain(`Merge "input.${ext}";`);
}
const CLAIMED: Record<string, string> = {
  step: 'STEP',
  stp: 'STEP',
  iges: 'IGES',
  igs: 'IGES',
  brep: 'BREP',
  stl: 'STL',
};

describe.skipIf(!gmshAvailable())('hostile inputs never run a command', () => {
  beforeAll(() => {
    // Real parts of every format, made by Gmsh itself from an OpenCASCADE box (Gmsh 4.8 cannot write IGES).
    writeFileSync(
      join(dir, 'make.geo'),
      'SetFactory("OpenCASCADE");\nBox(1) = {0,0,0,1,2,3};\nSave "box.step";\nSave "box.brep";\nMesh 2;\nSave "box-ascii.stl";\nMesh.Binary = 1;\nSave "box-binary.stl";\n',
    );
    execFileSync('gmsh', ['make.geo', '-parse_and_exit'], { cwd: dir, stdio: 'pipe' });
  });

  it('a Gmsh script under every CAD extension, in any case, is refused as a script before Gmsh runs', async () => {
    const exts = [
      'step',
      'STEP',
      'Step',
      'stp',
      'STP',
      'iges',
      'IGS',
      'Igs',
      'brep',
      'BREP',
      'Brep',
      'stl',
      'STL',
      'Stl',
    ];
    const files: { path: string; marker: string }[] = [];
    for (const ext of exts) {
      // Plain script, and one dressed up with a STEP header so it passes a first-line check.
      for (const [tag, head] of [
        ['plain', ''],
        ['step-head', 'ISO-10303-21;\nHEADER;\n'],
      ]) {
        const m = marker();
        const p = write(`script-${tag}.${ext}`, `${head}${m.cmd}\n`);
        const r = refusal(p);
        expect(r.code).toBe('input-gmsh-script');
        expect(r.message).toContain(`this file is a Gmsh script, not a ${CLAIMED[ext.toLowerCase()]} file`);
        expect(r.message).not.toContain('SystemCall'); // the message never quotes the file
        files.push({ path: p, marker: m.path });
      }
    }
    // Through the CLI too: exit 2, status `rejected`, no attempt ran.
    const runs = await Promise.all(
      files.filter((_, i) => i % 5 === 0).map((f) => cli(['mesh', f.path, '--json'], home)),
    );
    for (const r of runs) {
      expect(r.code).toBe(2);
      const job = r.json();
      expect(job.status).toBe('rejected');
      expect(job.error.code).toBe('input-gmsh-script');
      expect(job.attempts).toHaveLength(0);
    }
    for (const f of files) expect(existsSync(f.marker), f.path).toBe(false);
  });

  it('a statement where Gmsh starts one is refused, not only at the start of a line; a command word anywhere', () => {
    // Each file would run its statement if Gmsh parsed it as a script: its parser starts a statement after every `;`,
    // also after a syntax error (`ISO-10303-21;` is one). The statement writes a file, so it is not a command word.
    const varied = Buffer.from('Pad 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ.');
    const paddedToBinaryStl = (script: string) => {
      const head = Buffer.alloc(84, ' ');
      head.write(script, 0, 'latin1');
      head.writeUInt32LE(4, 80);
      return Buffer.concat([head, ...[0, 1, 2, 3].map((i) => varied.subarray(i, i + 50))]); // 84 + 4 × 50 bytes
    };
    const cases: [string, (statement: string) => string | Buffer][] = [
      ['after a STEP header, on its line', (s) => `ISO-10303-21;\nHEADER;${s}\n`],
      ['after a comment after a STEP header', (s) => `ISO-10303-21;\nHEADER; /* note */ ${s}\n`],
      ['after an IGES-style first line', (s) => `${rec('MeshBench test part', 'S', 1)}1H,,1H;,4HPART;${s}\n`],
      ['after a BREP header', (s) => `DBRep_DrawableShape\nCASCADE Topology V1, (c) Matra-Datavision; ${s}\n`],
      ['inside an If after a STEP header', (s) => `ISO-10303-21;\nHEADER;If (1) ${s} EndIf\n`],
      ['padded to a binary STL of four triangles', (s) => paddedToBinaryStl(s)],
    ];
    for (const [what, make] of cases) {
      const m = marker();
      const content = make(m.write);
      expect(runsAsScript(content, m.path), `${what}: a live statement`).toBe(true);
      const r = refusal(write(`hidden-${n}.step`, content));
      expect(r.code, what).toBe('input-gmsh-script');
      expect(r.message, what).toMatch(/this file is a Gmsh script, not a STEP file/);
      expect(existsSync(m.path), what).toBe(false);
    }
    // SystemCall and OnelabRun run programs: refused wherever they are, here 9 KB into a STEP file.
    const m = marker();
    const deep = write('deep-command.step', `ISO-10303-21;\nHEADER;\n/* ${'x'.repeat(9000)} */\n${m.cmd}\n`);
    const r = refusal(deep);
    expect(r.code).toBe('input-gmsh-script');
    expect(r.message).toMatch(/it holds a Gmsh command \(SystemCall or OnelabRun\) past its first 8192 bytes/);
    expect(
      refusal(write('deep-onelab.stl', `solid x\nfacet normal 0 0 1\n${' '.repeat(9000)}\nOnelabRun("x");\n`)).code,
    ).toBe('input-gmsh-script');
  });

  it('.geo, .opt, .msh and .pos files are refused, naming what they are', async () => {
    const m1 = marker();
    const m2 = marker();
    const geo = write('part.geo', `// a part\nlc = 0.1;\n${m1.cmd}\n`);
    const opt = write('settings.opt', `${m2.cmd}\n`);
    const msh = write('mesh.msh', '$MeshFormat\n4.1 0 8\n$EndMeshFormat\n');
    const pos = write('view.pos', 'View "v" {\nSP(0,0,0){1};\n};\n');
    expect(refusal(geo).message).toContain('this file is a Gmsh script;');
    expect(refusal(opt).message).toContain('Gmsh script (an option file)');
    expect(refusal(msh).code).toBe('input-gmsh-mesh');
    expect(refusal(pos).message).toContain('Gmsh post-processing view (.pos)');
    const [g, o] = await Promise.all([cli(['mesh', geo, '--json'], home), cli(['mesh', opt, '--json'], home)]);
    expect([g.code, o.code]).toEqual([2, 2]);
    expect([g.json().status, o.json().status]).toEqual(['rejected', 'rejected']);
    expect(existsSync(m1.path) || existsSync(m2.path)).toBe(false);
  });

  it('a script hidden past the content check still cannot run: Gmsh reads the staged input.step with its STEP reader', async () => {
    // Passes the content check (a STEP header, a statement that writes a file beyond the first 8 KiB), under an
    // extension Gmsh does not know (.Step): only the staging stands between this file and Gmsh's script parser.
    const m = marker();
    const content = `ISO-10303-21;\nHEADER;\n/* ${'x'.repeat(9000)} */\n${m.write}\n`;
    expect(runsAsScript(content, m.path)).toBe(true); // a live statement, were Gmsh to parse it as a script
    const p = write('padded.Step', content);
    expect(inspectInput(p).format).toBe('step');
    const r = await cli(['mesh', p, '--json', '--strategy', 'default'], home);
    const job = r.json();
    // The model read runs first: OpenCASCADE's STEP reader finds no shape in the staged copy, so the job is refused
    // before any attempt, and the read's own log shows which file Gmsh opened and with which reader.
    expect([r.code, job.status, job.attempts]).toEqual([2, 'rejected', []]);
    const shown = await cli(['show', '--log', job.id], home);
    const read = shown.stderr // the CLI's human output goes to stderr, --json to stdout
      .split('\n')
      .filter((l) => l.startsWith('Model read:'));
    expect(read.join('\n')).toContain("Reading 'input.step'");
    expect(read.join('\n')).toContain('StepFile');
    expect(read.join('\n')).not.toContain('padded');
    expect(existsSync(m.path)).toBe(false);
  });

  it('a real part with a sidecar .opt beside it still meshes, and the .opt never runs', async () => {
    const part = write('Box.STEP', readFileSync(join(dir, 'box.step')));
    const m = marker();
    write('Box.STEP.opt', `${m.cmd}\n`);
    const r = await cli(['mesh', part, '--json', '--strategy', 'default', '--size-factor', '2'], home);
    expect(r.code, r.stderr).toBe(0);
    const job = r.json();
    expect(job.status).toBe('completed');
    expect(job.mesh.elements.tetrahedra).toBeGreaterThan(0);
    readsStaged(job.attempts[0].argv, 'step', 'Box.STEP');
    expect(existsSync(m.path)).toBe(false);
  });

  it('every format under mixed- and upper-case extensions is read by its own reader (preview), sidecars ignored', async () => {
    const cases: [string, string, string][] = [
      ['box.step', 'Part.Step', 'step'],
      ['box.step', 'PART.STP', 'step'],
      ['box.brep', 'Part.BREP', 'brep'],
      ['box.brep', 'part.Brep', 'brep'],
      ['box-ascii.stl', 'Part.STL', 'stl-ascii'],
      ['box-binary.stl', 'part.Stl', 'stl-binary'],
    ];
    const markers: string[] = [];
    for (const [src, name, format] of cases) {
      const p = write(name, readFileSync(join(dir, src)));
      const m = marker();
      write(`${name}.opt`, `${m.cmd}\n`);
      markers.push(m.path);
      const pv = await previewPart(p);
      expect(pv.format).toBe(format);
      expect(pv.surfaces, name).toBeGreaterThanOrEqual(format.startsWith('stl') ? 1 : 6);
      expect(pv.indices.length).toBeGreaterThan(0);
    }
    // IGES (Gmsh cannot write one): the fixed 80-column Start/Global records, under .IGS and .Iges.
    const iges = rec('MeshBench test part', 'S', 1) + rec('1H,,1H;,4HPART,8Hbox.igs,', 'G', 1);
    for (const name of ['Part.IGS', 'part.Iges']) {
      const i = inspectInput(write(name, iges));
      expect(i.format).toBe('iges');
      const w = mkdtempSync(join(tmpdir(), 'mb-stage-'));
      expect(stageInput(i, w)).toBe(join(w, 'input.iges'));
    }
    for (const m of markers) expect(existsSync(m)).toBe(false);
  });

  it('stages into a private folder under the canonical name of the detected format', () => {
    const w = join(mkdtempSync(join(tmpdir(), 'mb-stage-')), 'work');
    const i = inspectInput(write('misnamed.txt', readFileSync(join(dir, 'box.step'))));
    const staged = stageInput(i, w);
    expect(staged).toBe(join(w, 'input.step'));
    expect(readFileSync(staged).equals(readFileSync(i.path))).toBe(true);
    if (process.platform !== 'win32') expect(statSync(w).mode & 0o777).toBe(0o700);
    expect(stagedName('stl-binary')).toBe('input.stl');
    // The demo STL (ASCII) and a second staging into the same folder (a parallel attempt) agree.
    const knob = inspectInput(join(repoRoot, 'resources/demo/knob.stl'));
    expect(stageInput(knob, w)).toBe(join(w, 'input.stl'));
    expect(stageInput(knob, w)).toBe(join(w, 'input.stl'));
  });
});
