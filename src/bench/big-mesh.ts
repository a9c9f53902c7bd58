// The benchmark mesh: a binary msh 4.1 with >= 200k elements, made once by the real Gmsh CLI and cached by name.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { boxMinusCylinderScript } from '../geo/bench-parts';
import { findGmsh } from '../gmsh/locate';
import { readMshFile } from '../mesh/msh-reader';

/** Mesh size of the bench part: ~250k tets (~290k elements), about 6 s of Gmsh on one core. */
const SIZE = 0.025;
const NAME = `bench-box-minus-cylinder-h${SIZE}.msh`;
export const BIG_MESH_MIN_ELEMENTS = 200_000;

function totalElements(path: string): number {
  const c = readMshFile(path).counts;
  return c.tetrahedra + c.triangles + c.lines + c.points + c.other;
}

export async function ensureBigMesh(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const out = join(dir, NAME);
  if (existsSync(out)) {
    try {
      if (totalElements(out) >= BIG_MESH_MIN_ELEMENTS) return out;
    } catch {
      /* unreadable leftover: make it again */
    }
  }
  const geo = join(dir, NAME.replace(/\.msh$/, '.geo'));
  const tmp = `${out}.${process.pid}.tmp.msh`;
  writeFileSync(geo, boxMinusCylinderScript(SIZE));
  const gmsh = findGmsh().path;
  const argv = [geo, '-3', '-nt', '1', '-format', 'msh41', '-bin', '-o', tmp];
  await new Promise<void>((resolve, reject) => {
    execFile(gmsh, argv, { timeout: 15 * 60_000, maxBuffer: 64 << 20 }, (err, _stdout, stderr) => {
      if (err)
        reject(
          new Error(
            `making the bench mesh failed (${gmsh} ${argv.join(' ')}): ${String(stderr).trim().split('\n').slice(-3).join(' ') || err.message}`,
          ),
        );
      else resolve();
    });
  });
  const n = totalElements(tmp);
  if (n < BIG_MESH_MIN_ELEMENTS) {
    rmSync(tmp, { force: true });
    throw new Error(`the bench mesh has only ${n} elements (want >= ${BIG_MESH_MIN_ELEMENTS})`);
  }
  renameSync(tmp, out);
  return out;
}
