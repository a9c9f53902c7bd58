// Electron security checklist, as plain data and pure functions so vitest can check them without the Electron binary.
import type { WebPreferences } from 'electron';

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
 * The renderer's own origin: the packaged `file://` index.html, or the electron-vite dev server
 * (ELECTRON_RENDERER_URL, loopback only). Everything else is foreign.
 */
export function rendererOrigins(devUrl: string | undefined): string[] {
  const origins = ['file://'];
  if (devUrl) {
    const u = safeUrl(devUrl);
    if (u && (u.protocol === 'http:' || u.protocol === 'https:') && isLoopback(u.hostname)) origins.push(u.origin);
  }
  return origins;
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
}

function safeUrl(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}

/** Is `url` the app's own page (file:// index.html under `rendererDir`, or the dev server)? */
export function isAppUrl(url: string, opts: { rendererDir: string; devUrl?: string }): boolean {
  const u = safeUrl(url);
  if (!u) return false;
  if (u.protocol === 'file:') {
    const dir = opts.rendererDir.replace(/\\/g, '/').replace(/\/+$/, '');
    const p = decodeURIComponent(u.pathname).replace(/^\/([A-Za-z]:)/, '$1');
    return p === `${dir}/index.html` || p.startsWith(`${dir}/`);
  }
  const origins = rendererOrigins(opts.devUrl);
  return origins.includes(u.origin);
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
