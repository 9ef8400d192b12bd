// The core process entry (out/main/core.js): plain Node, never imports electron. Hosts call startCore(); under
// Electron this file runs as a utilityProcess and serves each MessagePort main hands it as one session.
import { toErrorData } from '../../shared/errors';
import { Core, type CoreOptions } from './core';
import { registerCoreHandlers } from './handlers';
import { plugs } from './plugins';
import { SealedKeyStore, type Encryptor } from './sealed-key-store';

export { Core, type CoreOptions } from './core';
export type { KeyStore } from './key-store';
export type { Journal, JournalEntry } from './journal';
export type { SessionPeer, Session } from './session';
export { canCommandMicrogrid, type Access, type CallContext, type ServiceDef } from './registry';

/** Builds the core, plugs in every listed service and starts them. Throws CONFLICT when the data folder is in use. */
export async function startCore(options: CoreOptions): Promise<Core> {
  const core = new Core(options);
  try {
    registerCoreHandlers(core);
    if (options.plugins !== false) for (const load of plugs) (await load()).plug(core);
    await core.startServices();
    core.log.info({ host: options.host, data: core.dir.root }, 'core started');
    return core;
  } catch (e) {
    await core.stop();
    throw e;
  }
}

// ---- utilityProcess wiring (Electron) ----
interface PortLike {
  on(ev: 'message', cb: (e: { data: unknown; ports: PortLike[] }) => void): void;
  on(ev: 'close', cb: () => void): void;
  postMessage(data: unknown): void;
  start(): void;
}
const parentPort = (process as unknown as { parentPort?: PortLike }).parentPort;

function electronEncryptor(port: PortLike): Encryptor {
  let next = 1;
  const waiting = new Map<number, (r: { ok: boolean; data?: Uint8Array; message?: string }) => void>();
  port.on('message', (e) => {
    const m = e.data as { t?: string; id?: number; ok?: boolean; data?: Uint8Array; message?: string };
    if (m.t !== 'keystore-result' || m.id === undefined) return;
    waiting.get(m.id)?.(m as never);
    waiting.delete(m.id);
  });
  const rpc = (op: 'seal' | 'unseal', data: Uint8Array) =>
    new Promise<Uint8Array>((resolve, reject) => {
      const id = next++;
      waiting.set(id, (r) => (r.ok && r.data ? resolve(new Uint8Array(r.data)) : reject(new Error(r.message ?? 'keychain refused'))));
      port.postMessage({ t: 'keystore', id, op, data });
    });
  return { kind: 'safe-storage', seal: (d) => rpc('seal', d), unseal: (d) => rpc('unseal', d) };
}

if (parentPort) {
  let core: Core | undefined;
  parentPort.on('message', (e) => {
    const m = e.data as { t?: string; dataDir?: string; safeStorage?: boolean };
    if (m.t === 'init') {
      const enc = m.safeStorage ? electronEncryptor(parentPort) : undefined;
      startCore({ host: 'electron', ...(m.dataDir ? { dataDir: m.dataDir } : {}), ...(enc ? { keyStore: (dir) => new SealedKeyStore(dir.keys, enc) } : {}) })
        .then((c) => {
          core = c;
          parentPort.postMessage({ t: 'ready', data: c.dir.root, firstStart: c.firstStart });
        })
        .catch((err: unknown) => {
          parentPort.postMessage({ t: 'failed', error: toErrorData(err) });
          setTimeout(() => process.exit(1), 100);
        });
    } else if (m.t === 'port' && core && e.ports[0]) {
      const port = e.ports[0];
      const session = core.openSession({
        host: 'electron',
        remote: 'window',
        sendText: (text) => port.postMessage(text),
        sendBinary: (bytes) => (port.postMessage(bytes), true),
      });
      port.on('message', (ev) => {
        if (typeof ev.data === 'string') void session.receive(ev.data);
      });
      port.on('close', () => session.close());
      port.start();
    } else if (m.t === 'stop') {
      void core?.stop().finally(() => process.exit(0));
    }
  });
}
