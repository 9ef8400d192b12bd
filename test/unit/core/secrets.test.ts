// Passwords (scrypt) and the passphrase-encrypted key store: round trips, wrong passphrase, tampering, a locked
// store, and refusal of names that could escape the keys folder.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PassphraseFileKeyStore } from '../../../main/core/key-store';
import { hashPassword, verifyPassword } from '../../../main/core/users';

let dir: string;
const fresh = (): string => (dir = mkdtempSync(join(tmpdir(), 'exergy-keys-')));
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
const FAST = { N: 1024, r: 8, p: 1 }; // file format and checks are what is tested here, not the production cost

describe('passwords', () => {
  it('verifies the right password only, with a fresh salt each time', () => {
    const a = hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(verifyPassword('correct horse', a)).toBe(true);
    expect(verifyPassword('correct horsf', a)).toBe(false);
    expect(hashPassword('correct horse')).not.toBe(a);
    expect(verifyPassword('x', 'md5$whatever')).toBe(false);
  });
});

describe('passphrase key store', () => {
  it('round-trips a secret and stores no plaintext', async () => {
    const ks = new PassphraseFileKeyStore(fresh(), async () => 'pass-1', FAST);
    const secret = new Uint8Array([1, 2, 3, 250, 251, 252]);
    await ks.put('ledger.operator', secret);
    expect(await ks.get('ledger.operator')).toEqual(secret);
    expect(readFileSync(join(dir, 'ledger.operator.key'), 'utf8')).not.toContain(Buffer.from(secret).toString('base64'));
    expect(await ks.get('absent')).toBeUndefined();
    await ks.delete('ledger.operator');
    expect(await ks.get('ledger.operator')).toBeUndefined();
  });

  it('refuses a wrong passphrase and a tampered file as SECURITY', async () => {
    fresh();
    await new PassphraseFileKeyStore(dir, async () => 'pass-1', FAST).put('k', new Uint8Array([9, 9, 9]));
    await expect(new PassphraseFileKeyStore(dir, async () => 'pass-2', FAST).get('k')).rejects.toMatchObject({ code: 'SECURITY' });
    const f = join(dir, 'k.key');
    const doc = JSON.parse(readFileSync(f, 'utf8'));
    doc.ct = Buffer.from([1, 1, 1]).toString('base64');
    writeFileSync(f, JSON.stringify(doc));
    await expect(new PassphraseFileKeyStore(dir, async () => 'pass-1', FAST).get('k')).rejects.toMatchObject({ code: 'SECURITY' });
  });

  it('is UNAVAILABLE without a passphrase and refuses path-like names', async () => {
    const ks = new PassphraseFileKeyStore(fresh(), async () => undefined, FAST);
    await expect(ks.put('k', new Uint8Array([1]))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(ks.get('../etc/passwd')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('login throttling', () => {
  it('locks a user name for 30 s after 5 consecutive failures, then lets the right password in', async () => {
    const { UserDirectory, MAX_FAILURES, LOCK_MS } = await import('../../../main/core/users');
    const users = new UserDirectory(fresh());
    const created = users.load().createdDefault!;
    let t = 1_000_000;
    users.now = () => t;
    for (let i = 0; i < MAX_FAILURES; i++) expect(() => users.authenticate(created.user, 'wrong')).toThrow(/wrong password/);
    expect(() => users.authenticate(created.user, created.password)).toThrow(/too many failed logins/);
    t += LOCK_MS + 1;
    expect(users.authenticate(created.user, created.password).name).toBe(created.user);
  });
});
