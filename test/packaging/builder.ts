// electron-builder's own config loader, validator and macro expander, so the tests judge the configuration the
// way electron-builder will read it (not a re-implementation of its rules).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';

const req = createRequire(join(repoRoot, 'package.json'));

type FileSet = { from: string; to: string; filter?: string[] };
export interface BuilderConfig {
  directories: { app: string; output: string };
  asar: boolean;
  asarUnpack: string[];
  files: (string | FileSet)[];
  extraResources: FileSet[];
  npmRebuild: boolean;
  linux: { target: string[]; extraResources: FileSet[] };
  win: { target: { target: string }[]; extraResources: FileSet[] };
  mac: { target: { target: string; arch: string[] }[]; extraResources: FileSet[] };
}

export async function loadBuilderConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = req('app-builder-lib/out/util/config/config');
  const config = await getConfig(repoRoot, 'electron-builder.yml', null);
  await validateConfiguration(config, { add() {}, isEnabled: false });
  return config;
}

/** electron-builder's macro expansion for one target arch (`${platform}` would be the build host's). */
export function expand(pattern: string, arch: string): string {
  const { expandMacro } = req('app-builder-lib/out/util/macroExpander');
  return expandMacro(
    pattern,
    arch,
    { productName: 'MeshBench', sanitizedProductName: 'MeshBench', version: '0.0.0' },
    {},
  );
}

/** electron-builder's glob matcher (minimatch with dot files), as it applies `asarUnpack`. */
export function matches(pattern: string, file: string): boolean {
  const { minimatch } = req('minimatch');
  return minimatch(file, pattern, { dot: true, matchBase: !pattern.includes('/') });
}
