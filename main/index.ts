// Electron main process: one window, typed IPC handlers calling the engine-side service, secrets via safeStorage.
// Thin on purpose; the testable pieces live in security.ts and ipc.ts.
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EVENT_CHANNEL } from '../src/contract/api';
import { RENDERER_CSP } from '../src/contract/csp';
import { createWorkbenchService } from '../src/workbench/service';
import { FileSecretStore } from '../src/workbench/secrets';
import { eventBatcher } from '../src/workbench/event-batcher';
import { buildHandlers } from './ipc';
import {
  APP_ENTRY,
  APP_SCHEME,
  devRendererUrl,
  isAppUrl,
  isSafeExternal,
  isTrustedSender,
  navigationPolicy,
  resolveAppPath,
  webPreferences,
} from './security';

const rendererDir = join(__dirname, '../renderer');
// A packaged app never loads a page named by the environment.
const devUrl = devRendererUrl(app.isPackaged, process.env);
const urlOpts = { rendererDir, devUrl };

app.enableSandbox();
// The renderer is served from app://bundle/ (a standard, secure origin of its own), not from file://.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

async function main() {
  await app.whenReady();
  protocol.handle(APP_SCHEME, async (req) => {
    const file = resolveAppPath(req.url, rendererDir); // only files inside the renderer folder, on resolved paths
    if (!file) return new Response('Not found', { status: 404 });
    const r = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(r.headers);
    headers.set('Content-Security-Policy', RENDERER_CSP);
    return new Response(r.body, { status: r.status, headers });
  });
  const secrets = (home: string) =>
    new FileSecretStore(join(home, 'secrets.bin'), {
      encrypt: (s) => safeStorage.encryptString(s),
      decrypt: (b) => safeStorage.decryptString(b),
    });
  let win: BrowserWindow | null = null;
  const service = createWorkbenchService({
    secrets,
    // Linux without a keyring answers `basic_text`: keys would only be obfuscated, and Settings says so.
    keyring:
      process.platform === 'linux'
        ? safeStorage.getSelectedStorageBackend()
        : safeStorage.isEncryptionAvailable()
          ? 'os'
          : 'basic_text',
    pickFiles: async () => {
      const r = await dialog.showOpenDialog(win!, {
        properties: ['openFile', 'multiSelections'],
        filters: [{ name: 'CAD parts', extensions: ['step', 'stp', 'iges', 'igs', 'brep', 'brp', 'stl'] }],
      });
      return r.canceled ? null : r.filePaths;
    },
    // A job's folder opens in the system file manager.
    showInFolder: (path) => shell.showItemInFolder(path),
    pickFolder: async () => {
      const r = await dialog.showOpenDialog(win!, {
        title: 'Export into this folder',
        properties: ['openDirectory', 'createDirectory'],
      });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    // The Gmsh executable is chosen here, in main, never typed by the page.
    pickGmsh: async () => {
      const r = await dialog.showOpenDialog(win!, { title: 'Choose the Gmsh executable', properties: ['openFile'] });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  });

  // CSP on every response, in addition to the meta tag in index.html.
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, cb) =>
    cb(navigationPolicy.permission(permission)),
  );
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => navigationPolicy.permission(permission));

  // On quit, cancel running jobs (their Gmsh processes end) and close the store cleanly before exiting.
  let closing = false;
  app.on('before-quit', (e) => {
    if (closing) return;
    closing = true;
    e.preventDefault();
    void service.close().finally(() => app.quit());
  });

  const handlers = buildHandlers(service, (frame) => isTrustedSender(frame, urlOpts));
  for (const [channel, handler] of handlers) ipcMain.handle(channel, (e, ...args) => handler(e, ...args));

  win = new BrowserWindow({
    width: 1440,
    height: 900,
    show: false,
    backgroundColor: '#15171a',
    title: 'MeshBench',
    webPreferences: webPreferences(join(__dirname, '../preload/index.js')),
  });
  win.once('ready-to-show', () => win?.show());
  win.webContents.on('will-navigate', (e, url) => {
    if (!navigationPolicy.allowNavigation(url)) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternal(url)) void shell.openExternal(url);
    return navigationPolicy.windowOpen();
  });

  const batch = eventBatcher((events) => {
    if (win && !win.isDestroyed() && isAppUrl(win.webContents.getURL(), urlOpts))
      win.webContents.send(EVENT_CHANNEL, events);
  });
  const off = service.onEvent((events) => batch.push(events));
  win.on('closed', () => {
    off();
    batch.stop();
    win = null;
  });

  if (devUrl) await win.loadURL(devUrl);
  else await win.loadURL(APP_ENTRY);
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (ev) => ev.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});
app.on('window-all-closed', () => app.quit());
main().catch((e) => {
  dialog.showErrorBox('MeshBench could not start', e instanceof Error ? e.message : String(e));
  app.exit(1);
});
