// Looks at a file before Gmsh does: refuses what is not a CAD model, with a message that names the file and the
// reason, and detects the format from the content (Gmsh picks its reader from the extension, so a STEP file
// named .txt is handed to Gmsh under the right extension).
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import type { InputFormat } from '../contract/job';
import { InputRejectedError } from '../util/errors';

export interface InspectedInput {
  path: string;
  name: string;
  bytes: number;
  format: InputFormat;
  /** Extension Gmsh needs to pick the right reader. */
  gmshExtension: string;
  /** True when the file's own extension would make Gmsh pick the wrong reader. */
  extensionMismatch: boolean;
}

const EXT: Record<InputFormat, { ext: string; accepts: string[] }> = {
  step: { ext: '.step', accepts: ['.step', '.stp'] },
  iges: { ext: '.iges', accepts: ['.iges', '.igs'] },
  brep: { ext: '.brep', accepts: ['.brep', '.brp'] },
  'stl-ascii': { ext: '.stl', accepts: ['.stl'] },
  'stl-binary': { ext: '.stl', accepts: ['.stl'] },
};

export function detectFormat(head: Buffer, size: number): InputFormat | null {
  const text = head.toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  // A Gmsh script never passes for a model, whatever its first line says and even padded to a binary STL's size
  // (Gmsh would run its commands were it ever to read the file as a script).
  if (holdsScript(text)) return null;
  // Binary STL: 80-byte header, uint32 count, 50 bytes per facet. Before the text formats: its header may say "solid".
  if (size >= 84 && head.length >= 84) {
    const n = head.readUInt32LE(80);
    if (n > 0 && 84 + 50 * n === size) return 'stl-binary';
  }
  const start = text.trimStart();
  if (/^ISO-10303-21\s*;\s*(?:\/\*[\s\S]*?\*\/\s*)*HEADER\s*;/.test(start)) return 'step';
  if (start.startsWith('DBRep_DrawableShape') || start.startsWith('CASCADE Topology')) return 'brep';
  // IGES: fixed 80-column records, section letter in column 73, starting with the Start (S) or Global (G) section.
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (first.length >= 73 && /[SG]/.test(first[72]) && /^\s*\d+$/.test(first.slice(73, 80).trim() || 'x')) return 'iges';
  if (/^solid\b/i.test(start) && /\bfacet\b/i.test(text)) return 'stl-ascii';
  return null;
}

/** Formats the file's own extension claims, to say "not a STEP file" in the engineer's terms. */
const CLAIMED: Record<string, string> = {
  '.step': 'STEP',
  '.stp': 'STEP',
  '.iges': 'IGES',
  '.igs': 'IGES',
  '.brep': 'BREP',
  '.brp': 'BREP',
  '.stl': 'STL',
};

// Gmsh script statements in their statement form (a keyword followed by its punctuation), where Gmsh's parser
// starts a statement: at the start of the file and after a `;` (it resumes there after a syntax error too, so in a
// STEP file read as a script, a statement right after `HEADER;` runs), and, to be safe, at the start of any line.
// Comments are removed first (Gmsh skips them), so one between the `;` and the keyword hides nothing. STEP (keywords
// upper case, instances `#n=`), IGES (numbers, Hollerith strings and sequence columns after each `;`), BREP and
// ASCII STL never hold these.
const STATEMENT_START = String.raw`(?:^|;)[ \t\r\n]*`;
const GMSH_SCRIPT = new RegExp(
  [
    String.raw`(?:SystemCall|Merge|MergeWithBoundingBox|Include|Save|Print|Sleep)\s*"`,
    String.raw`(?:OnelabRun|SetFactory|Printf|Plugin|Point|Line|Curve|Circle|Surface|Plane Surface|Volume|Physical \w+|Box|Sphere|Cylinder|Rectangle|Extrude|Field)\s*[\[({]`,
    String.raw`(?:General|Geometry|Mesh|View|Solver|PostProcessing|Print)\.\w+\s*=`,
    String.raw`(?:Exit|Coherence|Delete|Return)\s*;`,
    String.raw`(?:DefineConstant|Delete|Recursive)\s*[\[{]`,
    String.raw`(?:Function|Call|Macro)\s+\w+`,
    String.raw`(?:If|ElseIf|While)\s*\(`,
    String.raw`For\s*\(|For\s+\w+\s+In\b`,
  ]
    .map((statement) => STATEMENT_START + statement)
    .join('|'),
  'm',
);
/** Gmsh's comments, cut so they cannot separate a `;` from the statement after it (an unclosed one runs to the end). */
const COMMENTS = /\/\*[\s\S]*?(?:\*\/|$)|\/\/[^\n]*/g;

/** The statements that run programs: refused wherever they appear in the file, not only where a statement starts. */
const COMMAND_WORDS = ['SystemCall', 'OnelabRun'];

function holdsScript(text: string): boolean {
  // Read with and without comments: a "/*" inside a Gmsh string is not a comment to Gmsh.
  return (
    COMMAND_WORDS.some((w) => text.includes(w)) ||
    GMSH_SCRIPT.test(text) ||
    GMSH_SCRIPT.test(text.replace(COMMENTS, ' '))
  );
}

/** Does the file hold a command word beyond its first bytes (already checked)? Read in 1 MiB blocks. */
function commandWordBeyond(fd: number, from: number, size: number): boolean {
  const overlap = Math.max(...COMMAND_WORDS.map((w) => w.length)) - 1;
  const buf = Buffer.alloc(1 << 20);
  for (let pos = Math.max(0, from - overlap); pos < size; pos += buf.length - overlap) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    const chunk = buf.subarray(0, n);
    if (COMMAND_WORDS.some((w) => chunk.includes(w, 0, 'latin1'))) return true;
    if (n < buf.length) break;
  }
  return false;
}

/** What a file that is not a CAD model is, in an engineer's words; never quotes the file's content. */
function notCad(head: Buffer, ext: string, size: number): { code: string; what: string } {
  const text = head.toString('latin1');
  const claimed = CLAIMED[ext];
  const not = claimed ? `, not a ${claimed} file` : '';
  if (/^\s*\$MeshFormat\b/.test(text))
    return { code: 'input-gmsh-mesh', what: `this file is a Gmsh mesh (.msh)${not}` };
  if (/^\s*\$PostFormat\b|^\s*View\s*(?:"[^"]*")?\s*\{/m.test(text))
    return { code: 'input-gmsh-script', what: `this file is a Gmsh post-processing view (.pos)${not}` };
  if (holdsScript(text) || ext === '.geo' || ext === '.opt')
    return {
      code: 'input-gmsh-script',
      what: `this file is a Gmsh script${ext === '.opt' ? ' (an option file)' : ''}${not}; scripts can run commands, so MeshBench never opens them`,
    };
  if (/^\s*ISO-10303-21\s*;/.test(text))
    return {
      code: 'input-not-cad',
      what: 'it starts like a STEP file but has no HEADER section, so it is not a STEP model',
    };
  const t = head.subarray(0, 512);
  const printable = t.filter((b) => (b >= 32 && b < 127) || b === 9 || b === 10 || b === 13).length;
  const isText = printable / Math.max(1, t.length) > 0.95;
  if (!isText && ext === '.stl' && size >= 84) {
    const n = head.readUInt32LE(80);
    return {
      code: 'input-implausible',
      what: `its header says ${n} triangles, which take ${84 + 50 * n} bytes, but the file has ${size} bytes (a truncated or damaged binary STL)`,
    };
  }
  const kind = isText ? 'it is text that is not a model' : 'it is binary data of an unknown kind';
  return { code: 'input-not-cad', what: claimed ? `${kind}${not}` : kind };
}

/** Triangles read per chunk: 1 MiB of whole 50-byte records. */
const STL_CHUNK_TRIANGLES = 20_971;

/**
 * Why a binary STL cannot be a part, or null. A file whose triangles are mostly without area (all-zero records, as a
 * sparse or padded file holds) or with coordinates that are not numbers would still be read by Gmsh, which then
 * spends gigabytes on nothing. Stops reading once more than half the triangles are known to be sound.
 */
function implausibleStl(fd: number, n: number): string | null {
  const buf = Buffer.alloc(50 * Math.min(n, STL_CHUNK_TRIANGLES));
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const f = (o: number) => view.getFloat32(o, true);
  let good = 0;
  let bad = 0;
  let nonFinite = false;
  for (let first = 0; first < n && good * 2 <= n; first += STL_CHUNK_TRIANGLES) {
    const count = Math.min(STL_CHUNK_TRIANGLES, n - first);
    readSync(fd, buf, 0, 50 * count, 84 + 50 * first);
    for (let i = 0; i < count; i++) {
      const o = 50 * i + 12; // after the facet normal
      const x0 = f(o);
      const y0 = f(o + 4);
      const z0 = f(o + 8);
      const ax = f(o + 12) - x0;
      const ay = f(o + 16) - y0;
      const az = f(o + 20) - z0;
      const bx = f(o + 24) - x0;
      const by = f(o + 28) - y0;
      const bz = f(o + 32) - z0;
      const cx = ay * bz - az * by;
      const cy = az * bx - ax * bz;
      const cz = ax * by - ay * bx;
      // A NaN or infinite corner makes the normal NaN: no area either.
      if (!Number.isFinite(cx + cy + cz + x0 + y0 + z0)) nonFinite = true;
      if (!Number.isFinite(cx + cy + cz) || (cx === 0 && cy === 0 && cz === 0)) bad++;
      else good++;
    }
  }
  if (bad * 2 <= n) return null;
  return nonFinite
    ? `more than half of its ${n} triangles have no area or coordinates that are not numbers`
    : `more than half of its ${n} triangles have no area (their corners coincide or lie on a line), so it holds no surface to mesh`;
}

export function inspectInput(file: string): InspectedInput {
  const path = resolve(file);
  const name = basename(path);
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new InputRejectedError('input-missing', `${path}: no such file.`, 'Check the path and the file name.');
    if (code === 'EACCES')
      throw new InputRejectedError(
        'input-unreadable',
        `${path}: permission denied.`,
        'Make the file readable for your user.',
      );
    throw new InputRejectedError('input-unreadable', `${path}: cannot be read (${code}).`);
  }
  if (st.isDirectory())
    throw new InputRejectedError(
      'input-directory',
      `${path} is a folder, not a CAD file.`,
      'Pass the part file inside it.',
    );
  if (!st.isFile()) throw new InputRejectedError('input-not-file', `${path} is not a regular file.`);
  if (st.size === 0)
    throw new InputRejectedError(
      'input-empty',
      `${path} is empty (0 bytes).`,
      'Export the part again from your CAD tool.',
    );

  const head = Buffer.alloc(Math.min(st.size, 8192));
  const ext = extname(path).toLowerCase();
  let fd: number | undefined;
  let format: InputFormat | null;
  let implausible: string | null = null;
  let script = false;
  try {
    fd = openSync(path, 'r');
    readSync(fd, head, 0, head.length, 0);
    format = detectFormat(head, st.size);
    if (format === 'stl-binary') implausible = implausibleStl(fd, head.readUInt32LE(80));
    if (format && !implausible && commandWordBeyond(fd, head.length, st.size)) script = true;
  } catch (e) {
    throw new InputRejectedError(
      'input-unreadable',
      `${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
      'Make the file readable for your user.',
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (script)
    throw new InputRejectedError(
      'input-gmsh-script',
      `${path} cannot be meshed: it holds a Gmsh command (SystemCall or OnelabRun) past its first ${head.length} bytes, so it is not a ${CLAIMED[ext] ?? 'CAD'} file; scripts can run commands, so MeshBench never opens them.`,
      'MeshBench reads STEP (.step/.stp), IGES (.iges/.igs), BREP (.brep) and STL (ASCII or binary).',
    );
  if (implausible)
    throw new InputRejectedError(
      'input-implausible',
      `${path} cannot be meshed: ${implausible}.`,
      'Export the part again from your CAD tool.',
    );
  if (!format) {
    const why = notCad(head, ext, st.size);
    throw new InputRejectedError(
      why.code,
      `${path} cannot be meshed: ${why.what}.`,
      why.code === 'input-implausible'
        ? 'Export the part again from your CAD tool.'
        : 'MeshBench reads STEP (.step/.stp), IGES (.iges/.igs), BREP (.brep) and STL (ASCII or binary).',
    );
  }
  return {
    path,
    name,
    bytes: st.size,
    format,
    gmshExtension: EXT[format].ext,
    extensionMismatch: !EXT[format].accepts.includes(ext),
  };
}
