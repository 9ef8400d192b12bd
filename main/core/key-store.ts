// Secrets at rest (ledger keys, OPC UA client key passphrases): the KeyStore interface the core is given, and the
// passphrase-encrypted file store (scrypt + AES-256-GCM) used wherever the OS keychain is not real.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';

export interface KeyStore {
  /** 'safe-storage' (Electron, OS keychain) or 'passphrase-file' */
  readonly kind: string;
  get(name: string): Promise<Uint8Array | undefined>;
  put(name: string, secret: Uint8Array): Promise<void>;
  delete(name: string): Promise<void>;
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const KDF = { N: 32768, r: 8, p: 1 };

function checkName(name: string): void {
  if (!NAME.test(name)) throw new AppError('INVALID_ARGUMENT', `key name ${JSON.stringify(name)}: letters, digits, dot, dash, underscore (1-64)`, { field: 'name' });
}

/**
 * A fresh single-user install has no passphrase yet: rather than leave the ledger locked, the core generates one
 * in <data>/keys/install-passphrase (mode 0600) and says so. It protects the keys no better than the data folder's
 * own permissions do; an operator who wants more sets EXERGY_PASSPHRASE or --passphrase-file (or runs under
 * Electron, where the OS keychain holds them). Returns the passphrase and whether it was just created.
 */
export function installPassphrase(keysDir: string): { passphrase: string; created: boolean; file: string } {
  const file = join(keysDir, 'install-passphrase');
  if (existsSync(file)) return { passphrase: readFileSync(file, 'utf8').trim(), created: false, file };
  const passphrase = randomBytes(32).toString('base64url');
  writeFileSync(file, `${passphrase}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { passphrase, created: true, file };
}

/** One file per secret in <data>/keys, each with its own salt; the passphrase is asked for when first needed. */
export class PassphraseFileKeyStore implements KeyStore {
  readonly kind = 'passphrase-file';
  /** `kdf` sets the cost for new files (tests lower it); reading always uses the cost stored in the file. */
  constructor(private readonly dir: string, private readonly passphrase: () => Promise<string | undefined>, private readonly kdf: typeof KDF = KDF) {}

  private async key(salt: Buffer, kdf: typeof KDF): Promise<Buffer> {
    const pass = await this.passphrase();
    if (!pass) throw new AppError('UNAVAILABLE', 'the key store is locked: set EXERGY_PASSPHRASE or pass --passphrase-file', { store: this.kind });
    return scryptSync(pass, salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * 1024 * 1024 });
  }

  async put(name: string, secret: Uint8Array): Promise<void> {
    checkName(name);
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', await this.key(salt, this.kdf), iv);
    const ct = Buffer.concat([c.update(secret), c.final()]);
    const file = join(this.dir, `${name}.key`);
    const doc = { v: 1, kdf: { alg: 'scrypt', ...this.kdf, salt: salt.toString('base64') }, cipher: 'aes-256-gcm', iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), ct: ct.toString('base64') };
    writeFileSync(`${file}.tmp`, JSON.stringify(doc), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    checkName(name);
    const file = join(this.dir, `${name}.key`);
    if (!existsSync(file)) return undefined;
    let doc: { kdf: { salt: string; N: number; r: number; p: number }; iv: string; tag: string; ct: string };
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new AppError('PARSE_ERROR', `${file}: not a key file`, { file });
    }
    const d = createDecipheriv('aes-256-gcm', await this.key(Buffer.from(doc.kdf.salt, 'base64'), doc.kdf), Buffer.from(doc.iv, 'base64'));
    d.setAuthTag(Buffer.from(doc.tag, 'base64'));
    try {
      return new Uint8Array(Buffer.concat([d.update(Buffer.from(doc.ct, 'base64')), d.final()]));
    } catch {
      throw new AppError('SECURITY', `${file}: wrong passphrase or the file was altered`, { file });
    }
  }

  async delete(name: string): Promise<void> {
    checkName(name);
    rmSync(join(this.dir, `${name}.key`), { force: true });
  }
}
