import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installPassphrase, PassphraseFileKeyStore } from '../../../main/core/key-store';

describe('install passphrase (fresh single-user install)', () => {
  it('is generated once, owner-only, and reused so stored keys open after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exergy-keys-'));
    const first = installPassphrase(dir);
    expect(first.created).toBe(true);
    expect(first.passphrase.length).toBeGreaterThanOrEqual(40);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    const again = installPassphrase(dir);
    expect(again).toMatchObject({ created: false, passphrase: first.passphrase });
    const kdf = { N: 1024, r: 8, p: 1 };
    await new PassphraseFileKeyStore(dir, async () => installPassphrase(dir).passphrase, kdf).put('node-signing', new Uint8Array([1, 2, 3]));
    const back = await new PassphraseFileKeyStore(dir, async () => installPassphrase(dir).passphrase, kdf).get('node-signing');
    expect(Array.from(back ?? [])).toEqual([1, 2, 3]);
    await expect(new PassphraseFileKeyStore(dir, async () => 'another passphrase', kdf).get('node-signing')).rejects.toThrow(/wrong passphrase/);
  });
});
