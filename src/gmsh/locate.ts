// Where the Gmsh executable comes from: MESHBENCH_GMSH, then the one the user chose in the desktop (a value passed
// in, never an environment variable set for it), then the bundled copy (packaged app: resourcesPath; checkout:
// resources/gmsh/<platform>-<arch>/), then PATH.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { ConfigError } from '../util/errors';

type GmshSource = 'env' | 'chosen' | 'bundled' | 'path';
export interface LocatedGmsh {
  path: string;
  source: GmshSource;
}

const exe = (platform: string) => (platform === 'win32' ? 'gmsh.exe' : 'gmsh');
export const platformDir = (platform: string = process.platform, arch: string = process.arch) => `${platform}-${arch}`;

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The checkout root (the folder with this project's package.json), walking up from here. */
export function projectRoot(from = __dirname): string | null {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'meshbench') return dir;
      } catch {
        /* not ours */
      }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

export function findGmsh(
  opts: {
    resourcesPath?: string;
    env?: NodeJS.ProcessEnv;
    /** The executable the user chose (the desktop's saved path); MESHBENCH_GMSH still wins. */
    chosen?: string | null;
    platform?: string;
    arch?: string;
  } = {},
): LocatedGmsh {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const sub = platformDir(platform, opts.arch ?? process.arch);
  if (env.MESHBENCH_GMSH) {
    const p = resolve(env.MESHBENCH_GMSH);
    if (!isExecutable(p))
      throw new ConfigError(
        'gmsh-not-found',
        `MESHBENCH_GMSH points to ${p}, which is not an executable file.`,
        'Fix or unset MESHBENCH_GMSH.',
      );
    return { path: p, source: 'env' };
  }
  if (opts.chosen) {
    const p = resolve(opts.chosen);
    if (!isExecutable(p))
      throw new ConfigError(
        'gmsh-not-found',
        `The Gmsh chosen in Settings, ${p}, is not an executable file.`,
        'Choose another in Settings, or clear the choice to use the bundled or installed Gmsh.',
      );
    return { path: p, source: 'chosen' };
  }
  const bundled: string[] = [];
  const resourcesPath = opts.resourcesPath ?? (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) bundled.push(join(resourcesPath, 'gmsh', sub, exe(platform)));
  const root = projectRoot();
  if (root) bundled.push(join(root, 'resources', 'gmsh', sub, exe(platform)));
  for (const p of bundled) if (isExecutable(p)) return { path: p, source: 'bundled' };
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, exe(platform));
    if (isExecutable(p)) return { path: p, source: 'path' };
  }
  throw new ConfigError(
    'gmsh-not-found',
    'Gmsh was not found (MESHBENCH_GMSH unset, no bundled copy, none on PATH).',
    'Install it (Debian/Ubuntu: `sudo apt-get install gmsh`, or `npm run setup`), or set MESHBENCH_GMSH to the gmsh executable.',
  );
}
