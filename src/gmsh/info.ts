// Version and capabilities of a Gmsh build, read from `gmsh -info` (Build options line).
import { execFile } from 'node:child_process';
import type { GmshInfo } from '../contract/api';
import { ConfigError } from '../util/errors';
import { readSetting, setting, writeSetting, type SettingsStore } from '../util/settings';

export function parseGmshInfo(path: string, text: string): GmshInfo {
  const version = /Version\s*:\s*(\S+)/.exec(text)?.[1];
  if (!version) throw new ConfigError('gmsh-unusable', `${path} did not report a Gmsh version (gmsh -info).`);
  const opts = (/Build options\s*:\s*(.*)/.exec(text)?.[1] ?? '').split(/\s+/).map((o) => o.replace(/\[.*\]$/, ''));
  const has = (name: string) => opts.some((o) => o.toLowerCase() === name.toLowerCase());
  // The same fields, in the same order, as the worker's /health (gpu-worker/worker_body.py gmsh_info).
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.+)$`, 'm').exec(text)?.[1]?.trim();
  const occ = field('OCC version');
  const build = [field('Build OS'), field('Build date'), field('Build host'), occ ? `OCC ${occ}` : undefined]
    .filter(Boolean)
    .join(' ');
  return {
    path,
    version,
    build: build || 'unknown',
    capabilities: { openCascade: has('OpenCASCADE'), hxt: has('Hxt'), netgen: has('Netgen'), mmg: has('Mmg') },
  };
}

const cache = new Map<string, Promise<GmshInfo>>();

export function gmshInfo(path: string): Promise<GmshInfo> {
  let p = cache.get(path);
  if (!p) {
    p = new Promise<GmshInfo>((resolve, reject) => {
      execFile(path, ['-info'], { timeout: 20_000, windowsHide: true }, (err, stdout, stderr) => {
        const text = `${stdout}\n${stderr}`;
        if (err && !/Version\s*:/.test(text))
          return reject(new ConfigError('gmsh-unusable', `Gmsh at ${path} could not be run: ${err.message}`));
        try {
          resolve(parseGmshInfo(path, text));
        } catch (e) {
          reject(e);
        }
      });
    });
    cache.set(path, p);
    p.catch(() => cache.delete(path));
  }
  return p;
}

/** `gmsh -info` costs a Gmsh start (~0.1 s); remember it per executable, keyed by its size and mtime. */
const cachedInfo = (path: string) =>
  setting(`gmsh-info:${path}`, (z) =>
    z.object({
      size: z.number(),
      mtimeMs: z.number(),
      info: z.object({
        path: z.string(),
        version: z.string(),
        build: z.string().optional(),
        capabilities: z.object({ openCascade: z.boolean(), hxt: z.boolean(), netgen: z.boolean(), mmg: z.boolean() }),
      }),
    }),
  );

export async function gmshInfoCached(path: string, store: SettingsStore): Promise<GmshInfo> {
  const { statSync } = await import('node:fs');
  const st = statSync(path);
  const key = cachedInfo(path);
  const hit = readSetting(store, key);
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.info;
  const info = await gmshInfo(path);
  writeSetting(store, key, { size: st.size, mtimeMs: st.mtimeMs, info });
  return info;
}
