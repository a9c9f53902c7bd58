// The Gmsh the desktop uses: the user's own MESHBENCH_GMSH wins; else the executable chosen in Settings (main's
// native dialog, checked with `gmsh -info` before it is kept); else the bundled copy or PATH. The choice is passed
// to findGmsh as a value: the process environment is never written, so nothing else in the process (or a child it
// starts) is steered by it.
import type { GmshInfo, SettingSource } from '../contract/api';
import { gmshInfo } from '../gmsh/info';
import { findGmsh, type LocatedGmsh } from '../gmsh/locate';
import { errorMessage } from '../util/errors';
import { readSetting, setting, writeSetting, type SettingsStore } from '../util/settings';
import { WorkbenchError } from './errors';

const CHOSEN = setting('desktop.gmshPath', (z) => z.string().min(1));

export interface GmshPath {
  /** The saved choice (shown in Settings), whether or not the environment overrides it. */
  chosen(): string | null;
  locate(): LocatedGmsh;
  /** The Gmsh in use, or null when none is found or it does not run. */
  info(): Promise<GmshInfo | null>;
  /** Keeps `path` as the choice once `gmsh -info` shows it is a working Gmsh. */
  choose(path: string): Promise<void>;
  /** Back to auto: environment, bundled, PATH. */
  clear(): void;
  source(): SettingSource;
}

export function gmshPath(o: { settings: SettingsStore; env: NodeJS.ProcessEnv; resourcesPath?: string }): GmshPath {
  const chosen = () => readSetting(o.settings, CHOSEN);
  const locate = () => findGmsh({ resourcesPath: o.resourcesPath, chosen: chosen() });
  return {
    chosen,
    locate,
    async info() {
      try {
        return await gmshInfo(locate().path);
      } catch {
        return null;
      }
    },
    async choose(path) {
      try {
        await gmshInfo(path); // runs `gmsh -info`: refuse a file that is not a working Gmsh before saving it
      } catch (e) {
        throw new WorkbenchError(
          'gmsh-unusable',
          `${path} is not a working Gmsh: ${errorMessage(e)}`,
          'Choose the gmsh executable itself.',
        );
      }
      writeSetting(o.settings, CHOSEN, path);
    },
    clear: () => writeSetting(o.settings, CHOSEN, null),
    source: () =>
      o.env.MESHBENCH_GMSH
        ? { from: 'environment', variable: 'MESHBENCH_GMSH' }
        : chosen()
          ? { from: 'saved' }
          : { from: 'default' },
  };
}
