// Starts the core as an Electron utilityProcess (out/main/core.js) so 100k values/s never stall a window, answers
// its keychain requests, and hands each load of our own window a fresh MessagePort to it.
import { join } from 'node:path';
import { MessageChannelMain, utilityProcess, type BrowserWindow, type UtilityProcess } from 'electron';
import { handleKeystoreRequest, keychainUsable } from './safe-storage';
import { isOwnMainFrame } from './window';

export interface CoreHandle {
  proc: UtilityProcess;
  ready: Promise<{ data: string; firstStart?: { user: string; password: string } }>;
  connect(win: BrowserWindow): void;
  stop(): void;
}

export function forkCore(mainDir: string, dataDir?: string): CoreHandle {
  const proc = utilityProcess.fork(join(mainDir, 'core.js'), [], { serviceName: 'Exergy core', stdio: 'inherit' });
  const ready = new Promise<{ data: string; firstStart?: { user: string; password: string } }>((resolve, reject) => {
    proc.on('message', (m: { t?: string; data?: string; error?: { message: string }; firstStart?: { user: string; password: string } }) => {
      if (m.t === 'ready') resolve({ data: m.data ?? '', ...(m.firstStart ? { firstStart: m.firstStart } : {}) });
      else if (m.t === 'failed') reject(new Error(m.error?.message ?? 'core failed to start'));
      else if (m.t === 'keystore') proc.postMessage(handleKeystoreRequest(m as never));
    });
    proc.once('exit', (code) => reject(new Error(`core exited with code ${code}`)));
  });
  proc.postMessage({ t: 'init', safeStorage: keychainUsable(), ...(dataDir ? { dataDir } : {}) });
  return {
    proc,
    ready,
    connect(win) {
      if (!isOwnMainFrame(win.webContents, win)) return; // only our own window's main frame gets a port
      const { port1, port2 } = new MessageChannelMain();
      proc.postMessage({ t: 'port' }, [port1]);
      win.webContents.postMessage('exergy:port', null, [port2]);
    },
    stop() {
      proc.postMessage({ t: 'stop' });
      setTimeout(() => proc.kill(), 3000).unref();
    },
  };
}
