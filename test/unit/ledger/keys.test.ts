import { recoverAddress } from 'ethers';
import { keccak256, toUtf8Bytes } from 'ethers';
import { describe, expect, it } from 'vitest';
import { LedgerKeys, type SecretStore } from '../../../main/services/ledger/keys';
import { sealPayload, openPayload } from '../../../shared/token';
import { consumed } from '../token/fixtures';

class MemStore implements SecretStore {
  readonly m = new Map<string, Uint8Array>();
  async get(n: string) {
    return this.m.get(n);
  }
  async put(n: string, b: Uint8Array) {
    this.m.set(n, b.slice());
  }
}

describe('ledger keys', () => {
  it('creates signing, deployer and encryption keys once and finds the same ones again', async () => {
    const store = new MemStore();
    const a = await LedgerKeys.open(store);
    const b = await LedgerKeys.open(store);
    expect(b.address).toBe(a.address);
    expect(b.deployerAddress).toBe(a.deployerAddress);
    expect(a.deployerAddress).not.toBe(a.address);
    expect([...store.m.keys()].sort()).toEqual(['ledger.deployer', 'ledger.encryption.1', 'ledger.encryption.epoch', 'ledger.signing']);
    // the encryption key is not the signing key
    expect(Buffer.from(store.m.get('ledger.encryption.1')!).equals(Buffer.from(store.m.get('ledger.signing')!))).toBe(false);
  });

  it('signs digests that recover to its address', async () => {
    const k = await LedgerKeys.open(new MemStore());
    const d = keccak256(toUtf8Bytes('report'));
    expect(recoverAddress(d, k.signDigest(d))).toBe(k.address);
  });

  it('rotates the encryption key to a new epoch and still opens wraps made under the old one', async () => {
    const store = new MemStore();
    const k = await LedgerKeys.open(store);
    const ctx = { chainId: 1n, ledger: '0x' + '11'.repeat(20), tokenId: 5n, owner: k.address };
    const old = sealPayload(consumed, ctx, [k.readerKey(k.address)]);
    expect(await k.rotateEncryptionKey()).toBe(2);
    const again = await LedgerKeys.open(store);
    expect(again.encryptionEpoch).toBe(2);
    expect(Buffer.from(again.encryptionPublicKey(2)).equals(Buffer.from(k.encryptionPublicKey(2)))).toBe(true);
    expect(() => again.readerSecret(k.address, 1)).toThrow(/epoch 1/);
    await again.loadEpoch(1);
    expect(openPayload(old.envelope, ctx, old.keyCommitment, old.wraps[0].wrap, again.readerSecret(k.address, 1))).toEqual(consumed);
  });

  it('refuses a damaged key store entry', async () => {
    const store = new MemStore();
    await store.put('ledger.signing', new Uint8Array(31));
    await expect(LedgerKeys.open(store)).rejects.toMatchObject({ code: 'SECURITY' });
  });
});
