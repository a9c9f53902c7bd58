// Electron security checklist, checked on the pure pieces main/ uses (no Electron binary needed).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APP_ENTRY,
  devRendererUrl,
  isAppUrl,
  isSafeExternal,
  isTrustedSender,
  navigationPolicy,
  rendererOrigins,
  resolveAppPath,
  webPreferences,
} from '../../main/security';
import { RENDERER_CSP, RENDERER_CSP_META } from '../../src/contract/csp';
import { repoRoot } from '../helpers/paths';

const rendererDir = '/opt/MeshBench/resources/app.asar/out/renderer';

describe('webPreferences', () => {
  it('isolates and sandboxes the renderer, with no Node', () => {
    const p = webPreferences('/x/preload/index.js');
    expect(p).toMatchObject({
      preload: '/x/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });
});

describe('CSP', () => {
  const directives = (csp: string) =>
    Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([k, ...v]) => [k, v]),
    );
  it('one strict policy: scripts from self only, no eval, no objects, no framing, WebSockets to loopback only', () => {
    const d = directives(RENDERER_CSP);
    expect(d['default-src']).toEqual(["'self'"]);
    expect(d['script-src']).toEqual(["'self'"]);
    expect(RENDERER_CSP).not.toContain('unsafe-eval');
    expect(d['object-src']).toEqual(["'none'"]);
    expect(d['frame-ancestors']).toEqual(["'none'"]);
    expect(d['connect-src'].every((s: string) => s === "'self'" || s.startsWith('ws://127.0.0.1'))).toBe(true);
  });
  it('the renderer page gets the same policy as a meta tag at build time (minus frame-ancestors, header-only)', () => {
    const html = readFileSync(join(repoRoot, 'renderer', 'index.html'), 'utf8');
    expect(html).toContain('http-equiv="Content-Security-Policy" content="%RENDERER_CSP%"');
    const { 'frame-ancestors': _dropped, ...rest } = directives(RENDERER_CSP);
    expect(directives(RENDERER_CSP_META)).toEqual(rest);
  });
});

describe('URL allow-list and sender check', () => {
  it('accepts the app:// bundle (index.html and files beside it), resolved inside the renderer folder', () => {
    expect(APP_ENTRY).toBe('app://bundle/index.html');
    expect(isAppUrl(APP_ENTRY, { rendererDir })).toBe(true);
    expect(isAppUrl('app://bundle/assets/x.js', { rendererDir })).toBe(true);
    expect(resolveAppPath('app://bundle/assets/x.js', rendererDir)).toBe(join(rendererDir, 'assets', 'x.js'));
    expect(resolveAppPath('app://bundle/', rendererDir)).toBe(join(rendererDir, 'index.html'));
  });
  it('refuses paths that resolve outside the renderer folder, other hosts, file:// and other schemes', () => {
    // Whatever the URL says, the file is inside the renderer folder or there is none.
    for (const u of [
      'app://bundle/%2e%2e/%2e%2e/etc/passwd',
      'app://bundle/../../etc/passwd',
      'app://bundle/a/%2e%2e/%2e%2e/%2e%2e/x',
    ]) {
      const r = resolveAppPath(u, rendererDir);
      expect(r === null || r.startsWith(`${rendererDir}/`), `${u} -> ${r}`).toBe(true);
    }
    // Encoded separators decode to a path that would escape: refused.
    for (const u of [
      'app://bundle/..%2f..%2fetc%2fpasswd',
      'app://bundle/x/..%2f..%2f..%2fetc/passwd',
      'app://bundle/%00',
      'app://other/index.html',
      'app://bundle/%E0%A4%A',
    ])
      expect(resolveAppPath(u, rendererDir), u).toBeNull();
    expect(isAppUrl(`app://bundle/${'..%2f'.repeat(8)}etc/passwd`, { rendererDir })).toBe(false);
    // file:// is no longer the app, not even its own index.html.
    expect(isAppUrl(`file://${rendererDir}/index.html`, { rendererDir })).toBe(false);
    expect(isAppUrl('file:///etc/passwd', { rendererDir })).toBe(false);
    expect(isAppUrl('https://example.com/', { rendererDir })).toBe(false);
    expect(isAppUrl('data:text/html,hi', { rendererDir })).toBe(false);
    expect(isAppUrl('not a url', { rendererDir })).toBe(false);
  });
  it('accepts the dev server only on loopback', () => {
    expect(rendererOrigins('http://localhost:5173')).toContain('http://localhost:5173');
    expect(rendererOrigins('http://10.0.0.5:5173')).not.toContain('http://10.0.0.5:5173');
    expect(isAppUrl('http://localhost:5173/', { rendererDir, devUrl: 'http://localhost:5173' })).toBe(true);
    expect(isAppUrl('http://localhost:5174/', { rendererDir, devUrl: 'http://localhost:5173' })).toBe(false);
    expect(isAppUrl('http://localhost:5173/', { rendererDir })).toBe(false);
    // A packaged app ignores ELECTRON_RENDERER_URL.
    expect(devRendererUrl(true, { ELECTRON_RENDERER_URL: 'http://localhost:5173' })).toBeUndefined();
    expect(devRendererUrl(false, { ELECTRON_RENDERER_URL: 'http://localhost:5173' })).toBe('http://localhost:5173');
  });
  it('trusts only the top frame of the app page', () => {
    const url = APP_ENTRY;
    expect(isTrustedSender({ url, parent: null }, { rendererDir })).toBe(true);
    expect(isTrustedSender({ url, parent: {} }, { rendererDir })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null }, { rendererDir })).toBe(false);
    expect(isTrustedSender(null, { rendererDir })).toBe(false);
  });
});

describe('navigation, windows, permissions', () => {
  it('denies navigation, new windows and every permission but clipboard writes', () => {
    expect(navigationPolicy.allowNavigation(`file://${rendererDir}/index.html`)).toBe(false);
    expect(navigationPolicy.allowNavigation('https://example.com')).toBe(false);
    expect(navigationPolicy.windowOpen()).toEqual({ action: 'deny' });
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fileSystem',
      'hid',
      'serial',
      'usb',
    ])
      expect(navigationPolicy.permission(p)).toBe(false);
    // The log's Copy button writes to the clipboard; reading it stays denied.
    expect(navigationPolicy.permission('clipboard-sanitized-write')).toBe(true);
  });
  it('hands only http(s) links to the system browser', () => {
    expect(isSafeExternal('https://gmsh.info')).toBe(true);
    expect(isSafeExternal('file:///etc/passwd')).toBe(false);
    expect(isSafeExternal('javascript:alert(1)')).toBe(false);
  });
});
