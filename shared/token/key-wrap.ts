// Wraps a payload's data key to one reader's registered encryption key (never its signing key): ephemeral
// secp256k1 ECDH, HKDF-SHA256 bound to chain, ledger, token, reader and key epoch, then AES-256-GCM.
import { gcm } from '@noble/ciphers/aes';
import { secp256k1 } from '@noble/curves/secp256k1';
import { hkdf } from '@noble/hashes/hkdf';
import { sha256 } from '@noble/hashes/sha2';
import { AppError } from '../errors';
import { ByteReader, ByteWriter, concat, fromHex, id32, toHex } from './bytes';
import { contextBytes, type EnvelopeContext } from './context';

export const WRAP_VERSION = 1;
export const WRAP_LENGTH = 1 + 4 + 33 + 32 + 16;
const WRAP_DOMAIN = new TextEncoder().encode('exergy/key-wrap/v1');

/** A reader as the registry knows it: an id (address or bytes32), the key epoch and its encryption public key. */
export interface ReaderKey {
  id: string;
  epoch: number;
  publicKey: Uint8Array | string; // secp256k1, 33 or 65 bytes
}
/** The reader's side: the same id and epoch and the matching private key. */
export interface ReaderSecret {
  id: string;
  epoch: number;
  privateKey: Uint8Array;
}

export function compressedPublicKey(pub: Uint8Array | string, field = 'publicKey'): Uint8Array {
  try {
    const b = typeof pub === 'string' ? fromHex(pub, field) : pub;
    return secp256k1.ProjectivePoint.fromHex(b).toRawBytes(true);
  } catch {
    throw new AppError('INVALID_ARGUMENT', `${field} is not a secp256k1 public key`, { field });
  }
}

/**
 * Readers are few and sealed to again and again (owner, counterparty, DSO): their points get wNAF tables (window 8),
 * which makes the sealing side's ECDH several times faster. Bounded so a flood of new readers cannot grow it.
 */
const POINTS = new Map<string, InstanceType<typeof secp256k1.ProjectivePoint>>();
function readerPoint(pub: Uint8Array): InstanceType<typeof secp256k1.ProjectivePoint> {
  const k = toHex(pub);
  let p = POINTS.get(k);
  if (!p) {
    if (POINTS.size >= 256) POINTS.delete(POINTS.keys().next().value!);
    p = secp256k1.ProjectivePoint.fromHex(pub);
    p._setWindowSize(8);
    POINTS.set(k, p);
  }
  return p;
}

function wrapInfo(ctx: EnvelopeContext, readerId: string, epoch: number): Uint8Array {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffffffff) throw new AppError('INVALID_ARGUMENT', 'reader key epoch must be a u32', { field: 'epoch' });
  return concat(WRAP_DOMAIN, contextBytes(ctx), id32(readerId, 'readerId'), new ByteWriter().u32(epoch).finish());
}

function kek(shared: Uint8Array, ephPub: Uint8Array, readerPub: Uint8Array, info: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
  const okm = hkdf(sha256, shared, concat(ephPub, readerPub), info, 44);
  return { key: okm.slice(0, 32), nonce: okm.slice(32) };
}

/** @internal the envelope module calls this with its fresh data key; nothing outside shared/token passes one. */
export function wrapDataKey(dataKey: Uint8Array, ctx: EnvelopeContext, reader: ReaderKey, rng: (n: number) => Uint8Array): Uint8Array {
  const readerPub = compressedPublicKey(reader.publicKey, `reader ${reader.id} publicKey`);
  let eph = rng(32);
  while (!secp256k1.utils.isValidPrivateKey(eph)) eph = rng(32);
  const ephPub = secp256k1.getPublicKey(eph, true);
  // x-coordinate of eph·ReaderPub (what getSharedSecret returns), with the reader's point precomputed
  const shared = readerPoint(readerPub).multiply(secp256k1.utils.normPrivateKeyToScalar(eph)).toRawBytes(true).slice(1);
  const info = wrapInfo(ctx, reader.id, reader.epoch);
  const { key, nonce } = kek(shared, ephPub, readerPub, info);
  const ct = gcm(key, nonce, info).encrypt(dataKey);
  return new ByteWriter().u8(WRAP_VERSION).u32(reader.epoch).bytes(ephPub).bytes(ct).finish();
}

export function wrapEpoch(wrap: Uint8Array): number {
  const r = new ByteReader(wrap);
  r.u8('wrap.version');
  return r.u32('wrap.epoch');
}

/** @internal opens a wrap; SECURITY when it was made for another token, reader, epoch or chain. */
export function unwrapDataKey(wrap: Uint8Array, ctx: EnvelopeContext, reader: ReaderSecret): Uint8Array {
  if (wrap.length !== WRAP_LENGTH) throw new AppError('PARSE_ERROR', `key wrap must be ${WRAP_LENGTH} bytes`, { field: 'wrap', length: wrap.length });
  const r = new ByteReader(wrap);
  const version = r.u8('wrap.version');
  if (version !== WRAP_VERSION) throw new AppError('PARSE_ERROR', `key wrap version ${version} is not supported`, { field: 'wrap.version' });
  const epoch = r.u32('wrap.epoch');
  if (epoch !== reader.epoch) throw new AppError('SECURITY', `key wrap is for key epoch ${epoch}, reader key is epoch ${reader.epoch}`, { field: 'wrap.epoch' });
  const ephPub = r.bytes(33, 'wrap.ephemeralKey');
  const ct = r.bytes(48, 'wrap.ciphertext');
  r.end();
  let shared: Uint8Array;
  try {
    shared = secp256k1.getSharedSecret(reader.privateKey, ephPub, true).slice(1);
  } catch {
    throw new AppError('SECURITY', 'key wrap ephemeral key is not a curve point', { field: 'wrap.ephemeralKey' });
  }
  const readerPub = secp256k1.getPublicKey(reader.privateKey, true);
  const info = wrapInfo(ctx, reader.id, reader.epoch);
  const { key, nonce } = kek(shared, ephPub, readerPub, info);
  try {
    return gcm(key, nonce, info).decrypt(ct);
  } catch {
    throw new AppError('SECURITY', 'key wrap does not open for this reader, token and chain', { field: 'wrap' });
  }
}
