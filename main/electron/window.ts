// The console window, hardened explicitly: sandbox, contextIsolation, no nodeIntegration, no webview; window.open,
// navigation away from our origin and every permission request or check are denied.
import { join } from 'node:path';
import { BrowserWindow, session, type WebContents } from 'electron';
import { APP_ORIGIN } from './app-protocol';

export function isOwnMainFrame(wc: WebContents, win: BrowserWindow): boolean {
  return wc === win.webContents && !wc.isDestroyed() && wc.mainFrame.url.startsWith(`${APP_ORIGIN}/`);
}

export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

export function createMainWindow(preloadDir: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1600,
    height: 1000,
    backgroundColor: '#1e2124',
    show: false,
    title: 'Exergy Console',
    webPreferences: {
      preload: join(preloadDir, 'index.js'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      // middle-click would open links in a new window
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const wc = win.webContents;
  // nothing opens a window: no popups, and no hand-off to the system browser that a page could steer
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  wc.on('will-navigate', (e, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault();
  });
  wc.on('will-redirect', (e, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault();
  });
  wc.on('will-attach-webview', (e) => e.preventDefault());
  win.once('ready-to-show', () => win.show());
  return win;
}
