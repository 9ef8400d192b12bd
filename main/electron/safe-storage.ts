// The OS keychain for the core's KeyStore: Electron safeStorage seals and unseals for the core over its parent
// port. On Linux the 'basic_text' backend encrypts with a fixed key, so it counts as unavailable.
import { safeStorage } from 'electron';

export function keychainUsable(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  if (process.platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') return false;
  }
  return true;
}

export function handleKeystoreRequest(m: { id: number; op: 'seal' | 'unseal'; data: Uint8Array }): { t: 'keystore-result'; id: number; ok: boolean; data?: Uint8Array; message?: string } {
  try {
    const data = m.op === 'seal' ? new Uint8Array(safeStorage.encryptString(Buffer.from(m.data).toString('base64'))) : new Uint8Array(Buffer.from(safeStorage.decryptString(Buffer.from(m.data)), 'base64'));
    return { t: 'keystore-result', id: m.id, ok: true, data };
  } catch (e) {
    return { t: 'keystore-result', id: m.id, ok: false, message: (e as Error).message };
  }
}
