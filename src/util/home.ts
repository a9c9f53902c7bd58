// The data folder shared by the CLI and the desktop: MESHBENCH_HOME, else the platform's user-data folder
// (the same folder Electron's app.getPath('userData') gives for an app named MeshBench).
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.MESHBENCH_HOME || platformUserData(env);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function platformUserData(env: NodeJS.ProcessEnv): string {
  switch (process.platform) {
    case 'win32':
      return join(env.APPDATA || join(homedir(), 'AppData', 'Roaming'), 'MeshBench');
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'MeshBench');
    default:
      return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'MeshBench');
  }
}
