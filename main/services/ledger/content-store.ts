// The content-addressed store for envelopes too large to ride in event data (a buffered PMU window): the key is
// keccak256(envelope), the same payloadHash the report commits to, so whatever is read back is checked by its name.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { payloadHashOf } from '../../../shared/token';

/** Envelopes up to this size are emitted in the event data; larger ones go to the store. */
export const INLINE_LIMIT = 4096;

export class ContentStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private path(hash: string): string {
    if (!/^0x[0-9a-f]{64}$/.test(hash)) throw new AppError('INVALID_ARGUMENT', `content hash ${hash} is not a lowercase bytes32`, { field: 'hash' });
    return join(this.dir, hash.slice(2, 4), hash.slice(4));
  }

  /** Stores the envelope under its keccak256; storing it again is a no-op. Returns the hash. */
  put(envelope: Uint8Array): string {
    const hash = payloadHashOf(envelope);
    const p = this.path(hash);
    if (existsSync(p)) return hash;
    mkdirSync(join(this.dir, hash.slice(2, 4)), { recursive: true });
    writeFileSync(`${p}.tmp`, envelope);
    renameSync(`${p}.tmp`, p); // a reader never sees half a file
    return hash;
  }

  /** Reads an envelope back and checks it still hashes to its name (a damaged or swapped file is SECURITY). */
  get(hash: string): Uint8Array | undefined {
    const p = this.path(hash);
    if (!existsSync(p)) return undefined;
    const b = new Uint8Array(readFileSync(p));
    if (payloadHashOf(b) !== hash) throw new AppError('SECURITY', `content ${hash} does not match its hash`, { file: p });
    return b;
  }

  has(hash: string): boolean {
    return existsSync(this.path(hash));
  }
}
