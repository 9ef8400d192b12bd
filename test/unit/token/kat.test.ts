// Known-answer vectors for the envelope and key wrap, re-derived here with node:crypto and ethers (independent
// AES-GCM, ECDH, HKDF, SHA-256 and keccak implementations). UPDATE_KAT=1 rewrites kat-vectors.json.
import { createDecipheriv, createECDH, createHash, hkdfSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { keccak256 } from 'ethers';
import { secp256k1 } from '@noble/curves/secp256k1';
import { describe, expect, it } from 'vitest';
import { encodePayload, fromHex, openPayload, toHex, type EnvelopeContext } from '../../../shared/token';
import { sealPayloadWithRng } from '../../../shared/token/envelope';
import { consumed, detRng, stored } from './fixtures';

const FILE = new URL('./kat-vectors.json', import.meta.url);
const hex = (b: Uint8Array | Buffer): string => toHex(new Uint8Array(b));
const ctx: EnvelopeContext = { chainId: 31337n, ledger: '0x5fbdb2315678afecb367f032d93f642f64180aa3', tokenId: 0xabcdefn, owner: '0x00000000000000000000000000000000000000000000000000000000000000aa' };
const readerPriv = [createHash('sha256').update('kat-reader-0').digest(), createHash('sha256').update('kat-reader-1').digest()];
const readerIds = ['0x1111111111111111111111111111111111111111', '0x2222222222222222222222222222222222222222'];

function generate(): Record<string, unknown>[] {
  return [consumed, stored].map((payload, i) => {
    const seed = `kat-${i}`;
    const readers = readerPriv.map((k, j) => ({ id: readerIds[j], epoch: j + 1, publicKey: secp256k1.getPublicKey(new Uint8Array(k), true) }));
    const s = sealPayloadWithRng(detRng(seed), payload, ctx, readers);
    return { seed, payload: hex(encodePayload(payload)), envelope: hex(s.envelope), payloadHash: s.payloadHash, keyCommitment: s.keyCommitment, wraps: s.wraps.map((w) => hex(w.wrap)) };
  });
}

describe('token envelope known-answer vectors', () => {
  const fresh = generate();
  if (process.env.UPDATE_KAT) writeFileSync(FILE, JSON.stringify(fresh, null, 2) + '\n');
  const kat = JSON.parse(readFileSync(FILE, 'utf8')) as { seed: string; payload: string; envelope: string; payloadHash: string; keyCommitment: string; wraps: string[] }[];

  it('the implementation still produces the committed vectors', () => {
    expect(fresh).toEqual(kat);
  });

  for (const v of kat) {
    it(`${v.seed}: envelope, hash, commitment and wraps check out with node:crypto and ethers`, () => {
      const rngBlock = (n: number) => createHash('sha256').update(`${v.seed}/${n}`).digest();
      const key = rngBlock(0);
      const nonce = rngBlock(1).subarray(0, 12);
      const env = Buffer.from(fromHex(v.envelope, 'envelope'));
      expect([env[0], env[1]]).toEqual([1, 1]);
      expect(env.subarray(2, 14).equals(nonce)).toBe(true);
      // AAD by hand: domain ‖ chainId u64 ‖ ledger ‖ tokenId u256 ‖ owner bytes32 ‖ codec version
      const chain = Buffer.alloc(8);
      chain.writeBigUInt64BE(31337n);
      const token = Buffer.alloc(32);
      token.writeUIntBE(0xabcdef, 29, 3);
      const ownerB = Buffer.alloc(32);
      ownerB[31] = 0xaa;
      const ctxBytes = Buffer.concat([chain, Buffer.from('5fbdb2315678afecb367f032d93f642f64180aa3', 'hex'), token, ownerB]);
      const aad = Buffer.concat([Buffer.from('exergy/token-envelope/v1'), ctxBytes, Buffer.from([1])]);
      const d = createDecipheriv('aes-256-gcm', key, nonce);
      d.setAAD(aad);
      d.setAuthTag(env.subarray(env.length - 16));
      const plain = Buffer.concat([d.update(env.subarray(14, env.length - 16)), d.final()]);
      expect(hex(plain)).toBe(v.payload);
      expect(keccak256(env)).toBe(v.payloadHash);
      expect('0x' + createHash('sha256').update(Buffer.concat([Buffer.from('exergy/key-commitment/v1'), aad, key])).digest('hex')).toBe(v.keyCommitment);
      v.wraps.forEach((w, j) => {
        const wb = Buffer.from(fromHex(w, 'wrap'));
        expect(wb[0]).toBe(1);
        expect(wb.readUInt32BE(1)).toBe(j + 1);
        const eph = wb.subarray(5, 38);
        expect(hex(eph)).toBe(hex(secp256k1.getPublicKey(new Uint8Array(rngBlock(2 + j)), true)));
        const ecdh = createECDH('secp256k1');
        ecdh.setPrivateKey(readerPriv[j]);
        const shared = ecdh.computeSecret(eph);
        const readerPub = ecdh.getPublicKey(null, 'compressed');
        const reader32 = Buffer.concat([Buffer.alloc(12), Buffer.from(readerIds[j].slice(2), 'hex')]);
        const epoch = Buffer.alloc(4);
        epoch.writeUInt32BE(j + 1);
        const info = Buffer.concat([Buffer.from('exergy/key-wrap/v1'), ctxBytes, reader32, epoch]);
        const okm = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([eph, readerPub]), info, 44));
        const dw = createDecipheriv('aes-256-gcm', okm.subarray(0, 32), okm.subarray(32));
        dw.setAAD(info);
        dw.setAuthTag(wb.subarray(wb.length - 16));
        const dataKey = Buffer.concat([dw.update(wb.subarray(38, wb.length - 16)), dw.final()]);
        expect(dataKey.equals(key)).toBe(true);
        const opened = openPayload(new Uint8Array(env), ctx, v.keyCommitment, new Uint8Array(wb), { id: readerIds[j], epoch: j + 1, privateKey: new Uint8Array(readerPriv[j]) });
        expect(hex(encodePayload(opened))).toBe(v.payload);
      });
    });
  }
});
