// The electron-builder configuration as electron-builder reads it: targets, the bundled Gmsh mapping per
// platform, asar unpacking of the native module and the engine workers.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platformDir } from '../../src/gmsh/locate';
import { repoRoot } from '../helpers/paths';
import { expand, loadBuilderConfig, matches } from './builder';

describe('electron-builder.yml', () => {
  it('passes electron-builder validation and builds AppImage + deb, NSIS, dmg (x64 + arm64) from the staged app', async () => {
    const c = await loadBuilderConfig();
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(c.mac.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(c.directories.app).toBe('dist/app');
    expect(c.asar).toBe(true);
    // Native modules are rebuilt by scripts/dist.mjs in the stage only (electron-builder's rebuild would also walk
    // into the checkout's node_modules).
    expect(c.npmRebuild).toBe(false);
  });

  it.each([
    ['linux', 'x64'],
    ['linux', 'arm64'],
    ['win32', 'x64'],
    ['darwin', 'x64'],
    ['darwin', 'arm64'],
  ] as const)('maps resources/gmsh/%s-%s to the folder locate.ts reads under resourcesPath', async (platform, arch) => {
    const c = await loadBuilderConfig();
    const section = { linux: c.linux, win32: c.win, darwin: c.mac }[platform];
    const gmsh = section.extraResources.filter((r) => r.from.startsWith('resources/gmsh/'));
    expect(gmsh).toHaveLength(1);
    // Expanded exactly as electron-builder does for that target arch.
    expect(expand(gmsh[0].from, arch)).toBe(`resources/gmsh/${platformDir(platform, arch)}/`);
    expect(expand(gmsh[0].to, arch)).toBe(`gmsh/${platformDir(platform, arch)}/`);
    // Never the host-platform macro: it would put this machine's binary into other platforms' installers.
    expect(gmsh[0].from).not.toContain('${platform}');
    // The fetched binary and its libraries go in; the placeholder .gitignore does not.
    expect(gmsh[0].filter).toContain('!.gitignore');
  });

  it('ships the demo parts and no Gmsh mapping outside the per-platform sections', async () => {
    const c = await loadBuilderConfig();
    expect(c.extraResources).toEqual([{ from: 'resources/demo/', to: 'demo/', filter: ['**/*'] }]);
  });

  it('unpacks the native module and the engine worker bundles from the asar, and nothing else of the app', async () => {
    const c = await loadBuilderConfig();
    const unpacked = (f: string) => c.asarUnpack.some((p) => matches(p, f));
    expect(unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true);
    expect(unpacked('node_modules/better-sqlite3/lib/database.js')).toBe(true);
    // Whatever the engine build produces today, plus the names the workers are started by.
    const built = existsSync(join(repoRoot, 'out', 'engine'))
      ? readdirSync(join(repoRoot, 'out', 'engine')).filter((f) => f.endsWith('.cjs'))
      : [];
    for (const f of new Set([...built, 'mesh-worker.cjs', 'attempt-runner.cjs']))
      expect(unpacked(`out/engine/${f}`)).toBe(true);
    expect(unpacked('out/engine/cli.cjs.map')).toBe(false);
    expect(unpacked('out/main/index.js')).toBe(false);
    expect(unpacked('out/renderer/index.html')).toBe(false);
    expect(unpacked('node_modules/three/build/three.module.js')).toBe(false);
  });
});
