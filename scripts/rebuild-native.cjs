// Rebuilds the staged app's native modules (better-sqlite3) for one target Electron platform-arch, and only those;
// used by scripts/dist.mjs before each electron-builder run.
//
// Why not electron-builder's own rebuild (npmRebuild): it runs @electron/rebuild with the project root as
// `projectRootPath`, and @electron/rebuild rebuilds every node_modules folder from the app directory up to that
// root — including the checkout's node_modules, whose Node build of better-sqlite3 the tests load. Here the walk is
// confined to the staged app (dist/app), and the result is checked to be built for Electron's ABI.
const { existsSync, readFileSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

/** *.node files under a folder. */
function nativeFiles(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...nativeFiles(p));
    else if (e.name.endsWith('.node') && statSync(p).size > 0) out.push(p);
  }
  return out;
}

/** NODE_MODULE_VERSION a non-N-API addon was built for, from its registration symbol. */
function abiOf(file) {
  const m = readFileSync(file)
    .toString('latin1')
    .match(/node_register_module_v(\d+)/);
  return m ? Number(m[1]) : null;
}

async function rebuildNative({ appDir, electronVersion, platform, arch }) {
  // npm exports its `nodedir` setting to scripts it runs (npm_config_nodedir); node-gyp would then compile against
  // that Node's headers and produce a module Electron cannot load. Electron's own headers are what is wanted.
  for (const k of Object.keys(process.env)) if (k.toLowerCase() === 'npm_config_nodedir') delete process.env[k];
  const { rebuild } = await import('@electron/rebuild');
  console.log(
    `rebuild-native: rebuilding native modules in ${appDir} for Electron ${electronVersion} (${platform}-${arch})`,
  );
  await rebuild({
    buildPath: appDir,
    // The walk for node_modules folders stops here: the checkout's own node_modules are never touched.
    projectRootPath: appDir,
    electronVersion,
    platform,
    arch,
    force: true,
    mode: 'sequential',
    types: ['prod'],
  });
  const { getAbi } = require('node-abi');
  const want = Number(getAbi(electronVersion, 'electron'));
  const modules = join(appDir, 'node_modules', 'better-sqlite3', 'build', 'Release');
  const built = nativeFiles(modules).filter((f) => !f.endsWith('test_extension.node'));
  if (!built.length) throw new Error(`rebuild-native: no better_sqlite3.node in ${modules} after the rebuild`);
  for (const f of built) {
    const got = abiOf(f);
    if (got !== null && got !== want)
      throw new Error(
        `rebuild-native: ${f} is built for NODE_MODULE_VERSION ${got}, not Electron ${electronVersion}'s ${want}`,
      );
  }
  return { abi: want, files: built };
}

module.exports = { rebuildNative, abiOf };
