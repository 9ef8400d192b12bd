import { secp256k1 } from '@noble/curves/secp256k1';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors';
import { openPayload, rewrapForReader, sealPayload, toHex, type EnvelopeContext, type ReaderSecret } from '../../../shared/token';
import { consumed } from './fixtures';

const ctx: EnvelopeContext = { chainId: 31337n, ledger: '0x5fbdb2315678afecb367f032d93f642f64180aa3', tokenId: 7n, owner: '0x1111111111111111111111111111111111111111' };
const secret = (id: string, epoch = 1): ReaderSecret => ({ id, epoch, privateKey: secp256k1.utils.randomPrivateKey() });
const pub = (s: ReaderSecret) => ({ id: s.id, epoch: s.epoch, publicKey: secp256k1.getPublicKey(s.privateKey, true) });
const owner = secret('0x1111111111111111111111111111111111111111');
const buyer = secret('0x2222222222222222222222222222222222222222');

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return isAppError(e) ? e.code : 'NOT_APP_ERROR';
  }
}

describe('token envelope', () => {
  const sealed = sealPayload(consumed, ctx, [pub(owner), pub(buyer)]);
  const w = (i: number) => sealed.wraps[i].wrap;

  it('opens for every reader it was wrapped to, and uses a fresh key and nonce each time', () => {
    expect(openPayload(sealed.envelope, ctx, sealed.keyCommitment, w(0), owner)).toEqual(consumed);
    expect(openPayload(sealed.envelope, ctx, sealed.keyCommitment, w(1), buyer)).toEqual(consumed);
    const again = sealPayload(consumed, ctx, [pub(owner)]);
    expect(toHex(again.envelope.subarray(2, 14))).not.toBe(toHex(sealed.envelope.subarray(2, 14)));
    expect(again.keyCommitment).not.toBe(sealed.keyCommitment);
    expect(again.payloadHash).not.toBe(sealed.payloadHash);
  });

  it('fails to open after flipping any byte of header, nonce, ciphertext or tag', () => {
    // every header, nonce and tag byte; every 5th ciphertext byte (each open costs one ~6 ms ECDH)
    const n = sealed.envelope.length;
    const positions = [...Array(n).keys()].filter((i) => i < 14 || i >= n - 16 || i % 5 === 0);
    for (const i of positions) {
      const bad = sealed.envelope.slice();
      bad[i] ^= 0x01;
      const c = code(() => openPayload(bad, ctx, sealed.keyCommitment, w(0), owner));
      expect(c === 'SECURITY' || c === 'PARSE_ERROR', `byte ${i}: ${c}`).toBe(true);
    }
  });

  it('fails to open when any AAD field differs (chain, ledger, token, owner)', () => {
    const variants: EnvelopeContext[] = [
      { ...ctx, chainId: 1n },
      { ...ctx, ledger: '0x5fbdb2315678afecb367f032d93f642f64180aa4' },
      { ...ctx, tokenId: 8n },
      { ...ctx, owner: '0x1111111111111111111111111111111111111112' },
    ];
    for (const v of variants) expect(code(() => openPayload(sealed.envelope, v, sealed.keyCommitment, w(0), owner))).toBe('SECURITY');
  });

  it('a wrap for one reader or token does not open another', () => {
    expect(code(() => openPayload(sealed.envelope, ctx, sealed.keyCommitment, w(0), buyer))).toBe('SECURITY');
    // same private key claimed under another reader id: the HKDF binding refuses it
    expect(code(() => openPayload(sealed.envelope, ctx, sealed.keyCommitment, w(1), { ...buyer, id: owner.id }))).toBe('SECURITY');
    const other = sealPayload(consumed, { ...ctx, tokenId: 8n }, [pub(owner)]);
    expect(code(() => openPayload(sealed.envelope, ctx, sealed.keyCommitment, other.wraps[0].wrap, owner))).toBe('SECURITY');
    expect(code(() => openPayload(sealed.envelope, ctx, sealed.keyCommitment, w(0), { ...owner, epoch: 2 }))).toBe('SECURITY');
    for (let i = 0; i < w(0).length; i++) {
      const bad = w(0).slice();
      bad[i] ^= 0x80;
      const c = code(() => openPayload(sealed.envelope, ctx, sealed.keyCommitment, bad, owner));
      expect(c === 'SECURITY' || c === 'PARSE_ERROR', `wrap byte ${i}: ${c}`).toBe(true);
    }
  });

  it('catches a wrong key commitment', () => {
    const other = sealPayload(consumed, ctx, [pub(owner)]);
    expect(code(() => openPayload(sealed.envelope, ctx, other.keyCommitment, w(0), owner))).toBe('SECURITY');
    const flipped = sealed.keyCommitment.slice(0, -1) + (sealed.keyCommitment.endsWith('0') ? '1' : '0');
    expect(code(() => openPayload(sealed.envelope, ctx, flipped, w(0), owner))).toBe('SECURITY');
    // a key swapped under a valid-looking wrap: the other envelope's wrap opens but does not match this commitment
    expect(code(() => openPayload(sealed.envelope, ctx, sealed.keyCommitment, other.wraps[0].wrap, owner))).toBe('SECURITY');
  });

  it('grants a new reader by re-wrapping, without ever exposing the data key', () => {
    const late = secret('0x3333333333333333333333333333333333333333', 4);
    const wrap = rewrapForReader(sealed.envelope, ctx, sealed.keyCommitment, w(1), buyer, pub(late));
    expect(openPayload(sealed.envelope, ctx, sealed.keyCommitment, wrap, late)).toEqual(consumed);
  });
});
