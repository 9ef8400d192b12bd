// A KeyStore over an injected encryptor: under Electron the core (a utilityProcess) cannot call safeStorage, so
// main seals and unseals for it over the parent port; the sealed bytes live in <data>/keys/<name>.sealed.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { KeyStore } from './key-store';

export interface Encryptor {
  readonly kind: string;
  seal(plain: Uint8Array): Promise<Uint8Array>;
  unseal(sealed: Uint8Array): Promise<Uint8Array>;
}

export class SealedKeyStore implements KeyStore {
  readonly kind: string;
  constructor(private readonly dir: string, private readonly enc: Encryptor) {
    this.kind = enc.kind;
  }

  private file(name: string): string {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) throw new AppError('INVALID_ARGUMENT', `key name ${JSON.stringify(name)}: letters, digits, dot, dash, underscore (1-64)`, { field: 'name' });
    return join(this.dir, `${name}.sealed`);
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    const f = this.file(name);
    return existsSync(f) ? this.enc.unseal(new Uint8Array(readFileSync(f))) : undefined;
  }

  async put(name: string, secret: Uint8Array): Promise<void> {
    const f = this.file(name);
    writeFileSync(`${f}.tmp`, await this.enc.seal(secret), { mode: 0o600 });
    renameSync(`${f}.tmp`, f);
  }

  async delete(name: string): Promise<void> {
    rmSync(this.file(name), { force: true });
  }
}
