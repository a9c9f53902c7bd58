// Instant look at a part on open: inspect the file, let the real Gmsh make a coarse 2D surface mesh (large -clscale,
// one thread, temp folder, argv array, no shell), and read its triangles, surface tags, bbox and entity counts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { PartPreview } from '../contract/api';
import { inspectInput } from '../input/inspect';
import { stageInput } from '../input/stage';
import { findGmsh } from '../gmsh/locate';
import { runGmsh } from '../gmsh/run';
import { memoryExceededMessage } from '../gmsh/memory';
import { gmshErrors } from '../gmsh/log-parse';
import { UserError } from '../util/errors';
import { EXIT } from '../contract/job';
import { previewScript } from '../geo/part-scripts';
import { readMsh } from '../mesh/msh-reader';
import { bodiesWithNeighbours } from '../model/touching';

export interface PreviewOptions {
  gmshPath?: string;
  /** Gmsh -clscale for the preview; larger is coarser and faster. */
  clscale?: number;
  timeoutMs?: number;
}

export async function previewPart(path: string, opts: PreviewOptions = {}): Promise<PartPreview> {
  const t0 = performance.now();
  const input = inspectInput(path);
  const gmsh = opts.gmshPath ?? findGmsh().path;
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-preview-')); // mode 0700
  try {
    const src = stageInput(input, dir); // input.<ext> of the detected format: the user's path never reaches Gmsh
    const out = join(dir, 'preview.msh');
    const stl = input.format === 'stl-ascii' || input.format === 'stl-binary';
    // STL is already a triangulation: load and save it as is (-0); CAD gets a coarse 2D mesh.
    // CAD: a script that fragments touching solids as meshing does (so face tags match); the mesh's $Entities then
    // list each body's faces.
    let model = src;
    if (!stl) {
      model = join(dir, 'preview.geo');
      writeFileSync(model, previewScript(basename(src)));
    }
    const argv = [
      gmsh,
      model,
      stl ? '-0' : '-2',
      '-clscale',
      String(opts.clscale ?? 3),
      '-nt',
      '1',
      '-format',
      'msh41',
      '-o',
      out,
      '-v',
      '2',
    ];
    const r = await runGmsh(argv, { timeoutMs: opts.timeoutMs ?? 30_000, cwd: dir });
    if (r.spawnError) throw new UserError('gmsh-unusable', r.spawnError, EXIT.unavailable);
    if (r.memoryExceeded)
      throw new UserError(
        'preview-memory',
        `${input.path}: ${memoryExceededMessage(r.memoryLimitBytes!)}`,
        EXIT.inputRejected,
      );
    let data: Buffer;
    try {
      data = readFileSync(out);
    } catch {
      const errs = gmshErrors(r.lines);
      throw new UserError(
        'preview-failed',
        `${input.path}: Gmsh could not make a surface preview${errs.length ? `: ${errs.slice(0, 3).join('; ')}` : r.timedOut ? ' (timed out)' : ` (exit ${r.exitCode})`}.`,
        EXIT.inputRejected,
        'The part may still mesh with a recovery strategy; try running it.',
      );
    }
    // The same reader as full meshes: triangles (corners of any order) with their surface tags.
    const s = readMsh(data, input.path);
    const bodies: PartPreview['bodies'] = stl ? undefined : bodiesWithNeighbours(s.volumeFaces);
    return {
      path: input.path,
      name: input.name,
      bytes: input.bytes,
      format: input.format,
      bbox: s.bbox,
      volumes: s.entities.volumes,
      surfaces: s.entities.surfaces,
      positions: Float32Array.from(s.nodes),
      indices: s.triangles,
      surfaceTags: s.triangleEntities,
      ...(bodies ? { bodies } : {}),
      ms: Math.round(performance.now() - t0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
