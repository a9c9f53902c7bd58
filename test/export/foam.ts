// OpenFOAM for the export tests: an empty case, a converter run into it, then checkMesh; what the conversion made.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const FOAM_ENV = { ...process.env, WM_PROJECT_DIR: '/usr/share/openfoam' };
export const haveFoam = spawnSync('checkMesh', ['-help'], { env: FOAM_ENV, stdio: 'ignore' }).status === 0;
export const noFoam = haveFoam ? '' : ' [skipped: OpenFOAM (checkMesh) not installed; scripts/setup.sh installs it]';

/** system/ files of an empty case, each with its FoamFile header written over several lines, as OpenFOAM writes it. */
function foamCase(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'system'), { recursive: true });
  const header = (object: string) =>
    `FoamFile\n{\n    version     2.0;\n    format      ascii;\n    class       dictionary;\n    object      ${object};\n}\n`;
  const body: Record<string, string> = {
    controlDict:
      'application none;\nstartFrom startTime;\nstartTime 0;\nstopAt endTime;\nendTime 1;\ndeltaT 1;\nwriteControl timeStep;\nwriteInterval 1;\n',
    fvSchemes:
      'ddtSchemes {}\ngradSchemes {}\ndivSchemes {}\nlaplacianSchemes {}\ninterpolationSchemes {}\nsnGradSchemes {}\n',
    fvSolution: '',
  };
  for (const [f, text] of Object.entries(body)) writeFileSync(join(dir, 'system', f), header(f) + text);
  return dir;
}

export interface Converted {
  /** Patches that hold faces (gmshToFoam also leaves an empty patch for a group whose faces all lie inside). */
  patches: Record<string, number>;
  faceZones: string[];
  check: string;
}

export async function toFoam(tool: string, file: string, root: string): Promise<Converted> {
  const dir = foamCase(root, tool);
  await run(tool, ['-case', dir, file], { env: FOAM_ENV, maxBuffer: 64 << 20 });
  const { stdout: check } = await run('checkMesh', ['-case', dir], { env: FOAM_ENV, maxBuffer: 64 << 20 });
  const poly = join(dir, 'constant', 'polyMesh');
  const patches: Record<string, number> = {};
  for (const m of readFileSync(join(poly, 'boundary'), 'utf8').matchAll(/^ {4}(\S+)\s*\{[^}]*?nFaces\s+(\d+);/gm))
    if (Number(m[2]) > 0) patches[m[1]] = Number(m[2]);
  let zones = '';
  try {
    zones = readFileSync(join(poly, 'faceZones'), 'utf8');
  } catch {
    // no face zones written
  }
  const faceZones = [...zones.matchAll(/^(\S+)\s*\{\s*type\s+faceZone;/gm)].map((m) => m[1]);
  return { patches, faceZones, check };
}
