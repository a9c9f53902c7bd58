// Electron security checklist, as plain data and pure functions so vitest can check them without the Electron binary.
import type { WebPreferences } from 'electron';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** The renderer is served from this custom scheme (standard, secure), never from file://. */
export const APP_SCHEME = 'app';
const APP_ORIGIN = `${APP_SCHEME}://bundle`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * The file an app:// URL names inside `rendererDir`, compared on the resolved path (so `..`, encoded `%2e%2e`,
 * doubled slashes or a look-alike folder never escape it), or null for anything else.
 */
export function resolveAppPath(url: string, rendererDir: string): string | null {
  const u = safeUrl(url);
  if (!u || u.protocol !== `${APP_SCHEME}:` || u.host !== 'bundle') return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  return file;
}

export function webPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/**
 * The renderer's own origin: app://bundle, or the electron-vite dev server (ELECTRON_RENDERER_URL, loopback only,
 * and main passes it only when the app is not packaged). Everything else is foreign.
 */
export function rendererOrigins(devUrl: string | undefined): string[] {
  const origins = [APP_ORIGIN];
  if (devUrl) {
    const u = safeUrl(devUrl);
    if (u && (u.protocol === 'http:' || u.protocol === 'https:') && isLoopback(u.hostname)) origins.push(u.origin);
  }
  return origins;
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
}

function safeUrl(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}

/** Is `url` the app's own page (an app:// file inside `rendererDir`, or the dev server)? file:// never is. */
export function isAppUrl(url: string, opts: { rendererDir: string; devUrl?: string }): boolean {
  const u = safeUrl(url);
  if (!u) return false;
  if (u.protocol === `${APP_SCHEME}:`) return resolveAppPath(url, opts.rendererDir) !== null;
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  return rendererOrigins(opts.devUrl).includes(u.origin);
}

/** ELECTRON_RENDERER_URL counts only in development: a packaged app always loads its own bundle. */
export function devRendererUrl(isPackaged: boolean, env: NodeJS.ProcessEnv): string | undefined {
  return isPackaged ? undefined : env.ELECTRON_RENDERER_URL || undefined;
}

/** Sender check for every IPC message: top frame only, from the app's own page. */
export function isTrustedSender(
  frame: { url: string; parent?: unknown | null } | null | undefined,
  opts: { rendererDir: string; devUrl?: string },
): boolean {
  if (!frame) return false;
  if (frame.parent) return false;
  return isAppUrl(frame.url, opts);
}

/** Permissions the workbench needs: writing the log to the clipboard (Copy). Nothing that reads or records. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** Navigation: never (the app is a single page); new windows: never; permissions: only clipboard writes. */
export const navigationPolicy = {
  allowNavigation: (_url: string) => false,
  windowOpen: () => ({ action: 'deny' as const }),
  permission: (permission: string) => ALLOWED_PERMISSIONS.has(permission),
};

/** External links the user clicks open in the system browser only for http(s). */
export function isSafeExternal(url: string): boolean {
  const u = safeUrl(url);
  return !!u && (u.protocol === 'https:' || u.protocol === 'http:');
}
