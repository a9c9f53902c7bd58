// The data folder shared by the CLI and the desktop: MESHBENCH_HOME, else the platform's user-data folder
// (the same folder Electron's app.getPath('userData') gives for an app named MeshBench). Only this user may enter it.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { privateFolder } from './private-fs';

export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  return privateFolder(env.MESHBENCH_HOME || platformUserData(env));
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
