// Every Gmsh run reads a staged private file, never the user's path: Gmsh picks its reader from the extension
// (case-sensitively; an extension it does not know makes it run the file as a .geo script) and reads an
// `<input>.opt` file beside its input. So the input is hard-linked (else copied) into a private folder as
// `input.<canonical ext>` of the format detected from the content, and the staged file is checked again, so the
// content check and the extension Gmsh sees always agree.
import { closeSync, copyFileSync, linkSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { InputFormat } from '../contract/job';
import { detectFormat, type InspectedInput } from './inspect';
import { InputRejectedError } from '../util/errors';
import { privateFile, workFolder } from '../util/private-fs';

const CANONICAL: Record<InputFormat, string> = {
  step: 'step',
  iges: 'iges',
  brep: 'brep',
  'stl-ascii': 'stl',
  'stl-binary': 'stl',
};

/** The name Gmsh sees for an input of this format: `input.step`, `input.iges`, `input.brep` or `input.stl`. */
export const stagedName = (format: InputFormat): string => `input.${CANONICAL[format]}`;

/** A folder only this user can enter and write (src/util/private-fs.ts): staged inputs and scripts live there. */
export const privateDir = workFolder;

function formatOf(path: string): InputFormat | null {
  const size = statSync(path).size;
  const head = Buffer.alloc(Math.min(size, 8192));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return detectFormat(head, size);
}

/** Stages the inspected input into `workDir` (made private) and returns the staged path. Idempotent per folder. */
export function stageInput(input: InspectedInput, workDir: string): string {
  privateDir(workDir);
  const staged = join(workDir, stagedName(input.format));
  let fresh = false;
  try {
    linkSync(input.path, staged);
    fresh = true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') {
      // Another filesystem or no hard links: copy under a temporary name, then rename into place (atomic).
      const tmp = `${staged}.${process.pid}.${Date.now()}.part`;
      try {
        copyFileSync(input.path, tmp);
        privateFile(tmp); // a copy is ours: 0600, whatever the original's mode
        renameSync(tmp, staged);
      } catch (c) {
        rmSync(tmp, { force: true });
        throw new InputRejectedError(
          'input-unreadable',
          `${input.path}: cannot be read (${(c as NodeJS.ErrnoException).code ?? 'copy failed'}).`,
        );
      }
      fresh = true;
    }
  }
  // The file Gmsh will read must still be what the content check saw (it may have been replaced meanwhile).
  const now = formatOf(staged);
  if (now === null || stagedName(now) !== stagedName(input.format)) {
    if (fresh) rmSync(staged, { force: true });
    throw new InputRejectedError(
      'input-changed',
      `${input.path} changed while it was being staged: it is no longer a ${input.format.toUpperCase()} file.`,
      'Open the file again once it is written completely.',
    );
  }
  return staged;
}
