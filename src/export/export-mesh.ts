// Writes a finished .msh in the solver formats asked for, beside it: one read of the mesh (every node of quadratic
// elements kept), the groups resolved once, one streaming writer per format.
import { basename, join } from 'node:path';
import {
  EXPORT_FORMAT_INFO,
  type ExportFormat,
  type ExportedFile,
  type GroupSpec,
  type MeshGroup,
} from '../contract/job';
export type { ExportedFile };
import { exportRefusal } from '../contract/export-limits';
import { readMshFile, type MshMesh } from '../mesh/msh-reader';
import { errorMessage } from '../util/errors';
import { exportView, groupSummary, resolveGroups, type ExportMesh } from './groups';
import { writeBdf } from './bdf';
import { writeFluent } from './fluent';
import { writeInp } from './inp';
import { writeMsh22 } from './msh22';
import { writeSu2 } from './su2';
import { writeUnv } from './unv';
import { writeVtu } from './vtu';

type Writer = (path: string, ctx: ExportContext) => { bytes: number; sha256: string };
interface ExportContext {
  mesh: ExportMesh;
  groups: ReturnType<typeof resolveGroups>;
  title: string;
}

const WRITERS: Record<ExportFormat, Writer> = {
  inp: (path, c) => writeInp(path, c.mesh, c.groups, c.title),
  bdf: (path, c) => writeBdf(path, c.mesh, c.groups, c.title),
  vtu: (path, c) => writeVtu(path, c.mesh),
  msh22: (path, c) => writeMsh22(path, c.mesh, c.groups),
  su2: (path, c) => writeSu2(path, c.mesh, c.groups),
  unv: (path, c) => writeUnv(path, c.mesh, c.groups),
  fluent: (path, c) => writeFluent(path, c.mesh, c.groups, c.title),
};

export function supportedExports(): ExportFormat[] {
  return Object.keys(WRITERS) as ExportFormat[];
}

/**
 * The groups a .msh carries ($PhysicalNames of surfaces and volumes), labelled from `labels` (name -> label). A mesh
 * written before physical numbers were unique across dimensions (a face and a body both 1) has its face groups
 * renumbered past the highest number, so every format written from it keeps each group apart.
 */
export function groupsOfMesh(
  mesh: Pick<MshMesh, 'physicals'>,
  labels: ReadonlyMap<string, string> = new Map(),
): GroupSpec[] {
  const groups = mesh.physicals
    .filter((p) => p.dim === 2 || p.dim === 3)
    .map((p) => ({
      name: p.name,
      label: labels.get(p.name) ?? p.name,
      dim: p.dim as 2 | 3,
      tags: p.entities,
      physical: p.tag,
    }))
    .sort((a, b) => b.dim - a.dim || a.physical - b.physical);
  const used = new Set<number>();
  let next = Math.max(0, ...mesh.physicals.map((p) => p.tag)) + 1;
  for (const g of groups) {
    if (used.has(g.physical)) g.physical = next++;
    used.add(g.physical);
  }
  return groups;
}

/** The automatic group of one CAD face, which `named` exports leave out. */
const isFaceGroup = (g: GroupSpec) => g.dim === 2 && /^Face_\d+$/.test(g.name);

export interface ExportMeshOptions {
  /** `named`: only the groups with a name (the user's, bodies, interfaces), not one Face_<tag> per CAD face. */
  groups?: 'all' | 'named';
  /** Multiplies every coordinate (a change of length unit); 1 when absent. */
  scale?: number;
}

/**
 * Reads the .msh once and writes each format beside `stem`. The groups are the ones the .msh itself carries, so a
 * mesh made on a Modal worker exports exactly like a local one. Each format succeeds or fails on its own: a format
 * this mesh cannot be written as (src/contract/export-limits.ts), or a writer that fails, gives that file an
 * `error`; a mesh that cannot be read gives every file one.
 */
export function exportMesh(
  mshPath: string,
  formats: readonly ExportFormat[],
  outDir: string,
  stem: string,
  labels?: ReadonlyMap<string, string>,
  opts: ExportMeshOptions = {},
): { exports: ExportedFile[]; groups: MeshGroup[] | undefined } {
  const pathOf = (format: ExportFormat) => join(outDir, `${stem}${EXPORT_FORMAT_INFO[format].extension}`);
  let ctx: ExportContext;
  try {
    const read = exportView(readMshFile(mshPath, undefined, { full: true }));
    // A change of unit scales the coordinates once, before any writer sees them.
    const mesh = opts.scale && opts.scale !== 1 ? { ...read, nodes: read.nodes.map((v) => v * opts.scale!) } : read;
    const specs = groupsOfMesh(mesh, labels).filter((g) => opts.groups !== 'named' || !isFaceGroup(g));
    const resolved = resolveGroups(mesh, specs);
    ctx = { mesh, groups: resolved, title: `MeshBench export of ${basename(mshPath)}` };
  } catch (e) {
    const error = `the mesh ${mshPath} could not be read: ${errorMessage(e)}`;
    return { exports: formats.map((format) => ({ format, path: pathOf(format), error })), groups: undefined };
  }
  const exports = formats.map((format): ExportedFile => {
    const path = pathOf(format);
    const layered = ctx.mesh.prisms.length + ctx.mesh.pyramids.length > 0;
    const refused = exportRefusal(format, ctx.mesh.tetNodes === 10 ? 2 : 1, layered);
    if (refused) return { format, path, error: refused };
    try {
      return { format, path, ...WRITERS[format](path, ctx) };
    } catch (e) {
      return { format, path, error: errorMessage(e) };
    }
  });
  return { exports, groups: ctx.groups.map(groupSummary) };
}
