// Bad input: a clear message naming the file and the reason, the right exit code, no stack trace, within seconds.
// A request that could only fail after meshing is refused before anything runs; once a mesh exists, an export that
// cannot be written never costs it.
import {
  closeSync,
  copyFileSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { demoPart, repoRoot, tmpHome } from '../helpers/paths';

const dir = mkdtempSync(join(tmpdir(), 'mb-bad-'));
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('bad input', () => {
  const cases: [string, () => string, number, RegExp][] = [
    ['missing file', () => join(dir, 'missing.step'), 2, /missing\.step: no such file/],
    [
      'empty file',
      () => (writeFileSync(join(dir, 'empty.step'), ''), join(dir, 'empty.step')),
      2,
      /empty\.step is empty/,
    ],
    [
      'a directory',
      () => (mkdirSync(join(dir, 'adir.stp'), { recursive: true }), join(dir, 'adir.stp')),
      2,
      /adir\.stp is a folder/,
    ],
    [
      'non-CAD content',
      () => (writeFileSync(join(dir, 'readme.step'), '# not a part\n'), join(dir, 'readme.step')),
      2,
      /readme\.step cannot be meshed: it is text that is not a model, not a STEP file/,
    ],
    // A sparse 200 MB binary STL: 4 million triangles, every one all zero. Gmsh would take 1.4 GB reading it.
    [
      'a binary STL whose triangles have no area',
      () => {
        const p = join(dir, 'sparse.stl');
        const fd = openSync(p, 'w');
        const head = Buffer.alloc(84);
        head.writeUInt32LE(4_000_000, 80);
        writeSync(fd, head);
        ftruncateSync(fd, 84 + 50 * 4_000_000);
        closeSync(fd);
        return p;
      },
      2,
      /sparse\.stl cannot be meshed: more than half of its 4000000 triangles have no area/,
    ],
    [
      'a binary STL whose triangle count disagrees with its size',
      () => {
        const p = join(dir, 'short.stl');
        const buf = Buffer.alloc(84 + 50 * 10);
        buf.writeUInt32LE(1000, 80);
        writeFileSync(p, buf);
        return p;
      },
      2,
      /short\.stl cannot be meshed: its header says 1000 triangles, which take 50084 bytes, but the file has 584 bytes/,
    ],
  ];

  it.each(cases)('%s', async (_name, make, code, message) => {
    const home = tmpHome();
    // Bounded, so a part that slipped through inspection ends in words rather than taking the machine's memory.
    const r = await cli(['mesh', make(), '--json'], home, { MESHBENCH_GMSH_MEMORY_GB: '1' }, 60_000);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(message);
    noStack(r.stderr);
    expect(r.ms).toBeLessThan(30_000);
    const job = r.json();
    // Refused before Gmsh ran (exit 2) is `rejected`; Gmsh ran and nothing came of it is `failed`.
    expect(job.status).toBe(code === 2 ? 'rejected' : 'failed');
    expect(job.error.message).toMatch(message);
    // Nothing is lost: the job is in the store with its reason.
    const again = await cli(['show', job.id, '--json'], home);
    expect(again.json().error.code).toBe(job.error.code);
  });

  // CAD that OpenCASCADE reads as nothing: refused by the model read, before any attempt, in one short message
  // with OpenCASCADE's own reason; Gmsh's lines of the read stay in the log.
  const unreadable: [string, () => string, RegExp][] = [
    [
      'a truncated STEP file',
      () => {
        const p = join(dir, 'cut.step');
        const full = readFileSync(demoPart('bracket.step'));
        writeFileSync(p, full.subarray(0, Math.floor(full.length / 3)));
        return p;
      },
      /OpenCASCADE: StepFile : Undefined Parsing: Line \d+: Incorrect syntax: unexpected end of file.*; Could not read file 'cut\.step'$/,
    ],
    [
      'a STEP file with no shape in it',
      () => {
        const p = join(dir, 'point.step');
        writeFileSync(
          p,
          [
            'ISO-10303-21;',
            'HEADER;',
            "FILE_DESCRIPTION(('a point'),'2;1');",
            "FILE_NAME('point.step','2026-01-01T00:00:00',('a'),('b'),'c','d','e');",
            "FILE_SCHEMA(('AUTOMOTIVE_DESIGN { 1 0 10303 214 1 1 1 1 }'));",
            'ENDSEC;',
            'DATA;',
            "#1=CARTESIAN_POINT('',(0.,0.,0.));",
            'ENDSEC;',
            'END-ISO-10303-21;',
            '',
          ].join('\n'),
        );
        return p;
      },
      /OpenCASCADE: no error, and no shape in the file$/,
    ],
    [
      'an IGES file OpenCASCADE cannot read',
      () => {
        const p = join(dir, 'garbled.iges');
        // Fixed 80-column records: a start, a global and one directory entry of an entity type IGES does not have.
        const rec = (text: string, section: string) => `${text.padEnd(72)}${section}${'1'.padStart(7)}`;
        writeFileSync(
          p,
          [
            rec('not really a part', 'S'),
            rec('1H,,1H;,', 'G'),
            rec('     999       1       0       0       0       0       0       000000000', 'D'),
            rec('S      1G      1D      1P      0', 'T'),
            '',
          ].join('\n'),
        );
        return p;
      },
      /OpenCASCADE: Total number of loaded entities 1\.$/,
    ],
  ];

  it.each(unreadable)('%s is refused before any attempt, in one short message', async (_name, make, reason) => {
    const home = tmpHome();
    const part = make();
    const r = await cli(['mesh', part, '--json'], home, {}, 60_000);
    expect(r.code, r.stderr).toBe(2);
    noStack(r.stderr);
    const job = r.json();
    expect(job.status).toBe('rejected');
    expect(job.error.code).toBe('input-unreadable');
    expect(job.error.message).toContain(
      `${part}: no solid and no face could be read from it, so there is nothing to mesh. OpenCASCADE: `,
    );
    expect(job.error.message).toMatch(reason);
    expect(job.error.message.length).toBeLessThan(400);
    expect(job.error.message).not.toContain(home); // no work folder, no temp folder
    expect(job.error.message).not.toContain(tmpdir() + '/meshbench-');
    expect(job.attempts).toEqual([]); // no attempt ran
    // The model read's own lines are in the log.
    const log = await cli(['show', job.id, '--log'], home);
    expect(log.stdout + log.stderr).toMatch(/Model read: Info +: Reading 'input\.(step|iges)'/);
  });

  it('bad flags are refused before anything runs', async () => {
    const r = await cli(['mesh', demoPart('bracket.step'), '--size-factor', '-2'], tmpHome());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--size-factor must be a positive number/);
    noStack(r.stderr);
    const tiny = await cli(['mesh', demoPart('bracket.step'), '--size-factor', '1e-300'], tmpHome());
    expect(tiny.code).toBe(1);
    expect(tiny.stderr).toMatch(/--size-factor must be from 0\.01 to 1000/);
    // Node's timers hold at most 24.8 days: a longer watchdog fired at once and failed every attempt.
    for (const flag of ['--timeout', '--time-budget']) {
      const long = await cli(['mesh', demoPart('bracket.step'), flag, '1e308'], tmpHome());
      expect(long.code, flag).toBe(1);
      expect(long.stderr).toContain(`${flag} must be at most 604800 seconds (a week).`);
      noStack(long.stderr);
    }
  });

  it('sizes out of range are refused before any attempt runs Gmsh, saying what range and why', async () => {
    // Whatever the part: refused with the request, in one line, exit 2, no job stored, Gmsh never run.
    const part = demoPart('bracket.step');
    const absolute: [string[], string][] = [
      [['--size', 'body:1=1e308'], '--size body:1=1e+308'],
      [['--size', 'face:1=1e-300'], '--size face:1=1e-300'],
      [['--size-max', '1e10'], '--size-max=10000000000'],
    ];
    for (const [flags, said] of absolute) {
      const home = tmpHome();
      const r = await cli(['mesh', part, ...flags, '--json'], home);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `meshbench: ${part}: nothing meshed: ${said}: a size must be from 1e-6 to 1e9 (the part's units, mm).\n`,
      );
      expect((await cli(['jobs', '--json'], home)).json()).toEqual([]);
    }
    // Against the part's size (the bracket's bounding box diagonal is about 108 mm; the model read gives it):
    // refused once the model is read, before any attempt runs.
    const cases: [string, string[], RegExp][] = [
      [
        'a local size below 1/100,000 of the part',
        ['--size', 'face:1=1e-4'],
        /--size face:1=0\.0001 is below 1\/100,000 of the part's size \(its bounding box diagonal is \d+(\.\d+)? mm\)/,
      ],
      [
        'a maximum size 10^4 times the part',
        ['--size-max', '1e6'],
        /--size-max=1000000 is above 1,000 times the part's size/,
      ],
    ];
    const runs = await Promise.all(
      cases.map(([, flags]) => cli(['mesh', part, ...flags, '--json'], tmpHome(), {}, 60_000)),
    );
    for (const [i, [what, , message]] of cases.entries()) {
      const r = runs[i];
      expect(r.code, `${what}: ${r.stderr}`).toBe(4);
      expect(r.stderr, what).toMatch(message);
      noStack(r.stderr);
      const job = r.json();
      expect(job.error.message, what).toMatch(message);
      expect(job.attempts, what).toHaveLength(0); // no attempt was planned to run, let alone run
    }
    const stl = await cli(['mesh', demoPart('knob.stl'), '--size-max', '1e-5', '--json'], tmpHome(), {}, 60_000);
    expect(stl.code, stl.stderr).toBe(4);
    expect(stl.stderr).toMatch(/--size-max=0\.00001 is below 1\/100,000 of the part's size/);
    expect(stl.json().attempts).toHaveLength(0);
  });

  it('file names with spaces, quotes, ;, $(...) and non-ASCII characters mesh (argv, never a shell)', async () => {
    const weird = join(dir, `we"ird; $(touch pwned) 'ü𝔁' part.step`);
    copyFileSync(join(repoRoot, 'resources/demo/bracket.step'), weird);
    const r = await cli(['mesh', weird, '--strategy', 'default', '--json'], tmpHome());
    expect(r.code, r.stderr).toBe(0);
    const job = r.json();
    expect(job.input.path).toBe(weird);
    // Gmsh reads the staged private copy; the user's path never reaches its argv.
    expect(job.attempts[0].argv.join(' ')).not.toContain('we"ird');
    expect(readFileSync(job.attempts[0].argv[1], 'utf8')).toContain('Merge "input.step";');
    expect(job.mesh.path).toMatch(/we"ird; \$\(touch pwned\) 'ü𝔁' part\.msh$/);
  });

  it('long part names give result and export names within 255 bytes, shortened and still unique', async () => {
    // Two 250-character names that differ only in their last characters, and a name of 2-byte characters: mesh all
    // three into one folder, with exports, and every file is there under a name a filesystem takes.
    const out = join(dir, 'long-names');
    const names = ['a'.repeat(244) + '-1.step', 'a'.repeat(244) + '-2.step', 'é'.repeat(120) + '.step'];
    const jobs = [];
    for (const name of names) {
      const part = join(dir, name);
      copyFileSync(demoPart('bracket.step'), part);
      const r = await cli(
        ['mesh', part, '--strategy', 'default', '--export', 'inp,vtu,msh22', '--out', out, '--json'],
        tmpHome(),
      );
      expect(r.code, r.stderr).toBe(0);
      jobs.push(r.json());
    }
    const files = readdirSync(out);
    for (const f of files) expect(Buffer.byteLength(f), f).toBeLessThanOrEqual(255);
    const stems = jobs.map((j) => basename(j.mesh.path, '.msh'));
    expect(new Set(stems).size).toBe(3); // unique, though the first two agree up to the cut
    for (const [i, job] of jobs.entries()) {
      expect(JSON.parse(readFileSync(join(out, `${stems[i]}_result.json`), 'utf8')).id).toBe(job.id);
      expect(files).toContain(`${stems[i]}.quality.json`);
      expect(Buffer.byteLength(stems[i])).toBeLessThanOrEqual(200);
      expect(stems[i]).toMatch(/~[0-9a-f]{10}$/);
      expect(job.exports.map((e: { path: string }) => basename(e.path)).sort()).toEqual(
        [`${stems[i]}.inp`, `${stems[i]}.v22.msh`, `${stems[i]}.vtu`].sort(),
      );
    }
  });

  it('--order 2 --export su2 is refused at once (exit 2, one line), before any job or Gmsh run', async () => {
    const home = tmpHome();
    const part = demoPart('bracket.step');
    const r = await cli(['mesh', part, '--order', '2', '--export', 'inp,su2', '--json'], home);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `meshbench: ${part}: nothing meshed: SU2 (.su2) takes linear elements only: export su2 from a linear mesh (--order 1).\n`,
    );
    expect((await cli(['jobs', '--json'], home)).json()).toEqual([]);
  });

  it('an export that cannot be written keeps the mesh: the job completes, the file says why, exit 5', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mb-export-fails-'));
    mkdirSync(join(out, 'bracket.inp', 'in-the-way'), { recursive: true }); // a folder where the .inp would go
    const r = await cli(
      ['mesh', demoPart('bracket.step'), '--strategy', 'default', '--export', 'inp,vtu', '--out', out, '--json'],
      tmpHome(),
    );
    expect(r.code, r.stderr).toBe(5);
    const job = r.json();
    expect(job.status).toBe('completed');
    expect(job.error).toBeNull();
    expect(existsSync(job.mesh.path)).toBe(true);
    const [inp, vtu] = job.exports;
    expect(inp).toMatchObject({ format: 'inp', path: join(out, 'bracket.inp'), error: expect.any(String) });
    expect(inp.bytes).toBeUndefined();
    expect(vtu).toMatchObject({ format: 'vtu', bytes: statSync(join(out, 'bracket.vtu')).size });
    expect(r.stderr).toContain(`meshbench: inp not written: ${inp.error}`);
    noStack(r.stderr);
    // The result file beside the mesh records the same.
    const saved = JSON.parse(readFileSync(join(out, 'bracket_result.json'), 'utf8'));
    expect(saved.exports).toEqual(job.exports);
  });

  it('an unknown job is a clear error', async () => {
    const r = await cli(['show', 'no-such-job'], tmpHome());
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/No job matches "no-such-job"/);
  });
});
