// Test-only helpers for the ledger integration tests: a key store over plain files in a temp folder (the real
// one is main/core/key-store.ts), a temp data folder, and a DER wallet that registers and signs as provider.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretStore } from '../../../main/services/ledger/keys';

export class PlainFileStore implements SecretStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }
  async get(name: string): Promise<Uint8Array | undefined> {
    const f = join(this.dir, name);
    return existsSync(f) ? new Uint8Array(Buffer.from(readFileSync(f, 'utf8'), 'hex')) : undefined;
  }
  async put(name: string, secret: Uint8Array): Promise<void> {
    writeFileSync(join(this.dir, name), Buffer.from(secret).toString('hex'));
  }
}

export function tempDataDir(tag: string): { root: string; chain: string; keys: string; db: string } {
  const root = mkdtempSync(join(tmpdir(), `exergy-ledger-${tag}-`));
  const d = { root, chain: join(root, 'chain'), keys: join(root, 'keys'), db: join(root, 'db', 'historian.sqlite') };
  for (const p of [d.chain, d.keys, join(root, 'db')]) mkdirSync(p, { recursive: true });
  return d;
}
