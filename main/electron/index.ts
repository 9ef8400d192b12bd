// Electron's main process: owns the window, the keychain and the app protocol; the services run in the core
// (a utilityProcess). One instance per user: a second launch focuses the first window and quits.
import { join } from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import { handleAppProtocol, registerAppScheme, APP_ORIGIN } from './app-protocol';
import { forkCore, type CoreHandle } from './core-process';
import { createMainWindow, hardenSession } from './window';

const here = __dirname; // out/main
registerAppScheme();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: BrowserWindow | undefined;
  let core: CoreHandle | undefined;
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.on('web-contents-created', (_e, wc) => {
    wc.setWindowOpenHandler(() => ({ action: 'deny' }));
    wc.on('will-attach-webview', (ev) => ev.preventDefault());
  });
  app.whenReady().then(async () => {
    hardenSession();
    handleAppProtocol(join(here, '../renderer'));
    core = forkCore(here, process.env.EXERGY_DATA);
    try {
      const r = await core.ready;
      if (r.firstStart) void dialog.showMessageBox({ type: 'info', message: `First start: user "${r.firstStart.user}", password ${r.firstStart.password}`, detail: `Shown once. Data folder: ${r.data}` });
    } catch (e) {
      dialog.showErrorBox('Exergy Console cannot start', (e as Error).message);
      app.quit();
      return;
    }
    win = createMainWindow(join(here, '../preload'));
    const w = win;
    w.webContents.on('did-finish-load', () => core?.connect(w));
    void w.loadURL(`${APP_ORIGIN}/index.html`);
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => core?.stop());
}
