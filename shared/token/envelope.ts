// The encrypted token payload: a fresh data key and nonce per payload (made here, never taken from a caller),
// AES-256-GCM over the canonical encoding with the token context as AAD, a key commitment, per-reader key wraps.
import { gcm } from '@noble/ciphers/aes';
import { keccak_256 } from '@noble/hashes/sha3';
import { sha256 } from '@noble/hashes/sha2';
import { randomBytes } from '@noble/hashes/utils';
import { AppError } from '../errors';
import { ByteReader, ByteWriter, concat, equalBytes, fromHex, toHex } from './bytes';
import { decodePayload, encodePayload } from './codec';
import { contextBytes, type EnvelopeContext } from './context';
import { unwrapDataKey, wrapDataKey, type ReaderKey, type ReaderSecret } from './key-wrap';
import { PAYLOAD_VERSION, type TokenPayload } from './payload';

export const ENVELOPE_VERSION = 1;
const AAD_DOMAIN = new TextEncoder().encode('exergy/token-envelope/v1');
const COMMIT_DOMAIN = new TextEncoder().encode('exergy/key-commitment/v1');
const HEADER = 2 + 12;

export interface SealedPayload {
  envelope: Uint8Array; // version ‖ codec version ‖ nonce(12) ‖ ciphertext ‖ tag(16)
  payloadHash: string; // keccak256(envelope): what the report commits to and the content store's key
  keyCommitment: string; // SHA-256(domain ‖ AAD ‖ key): GCM alone is not key-committing
  wraps: { readerId: string; epoch: number; wrap: Uint8Array }[];
}

export type Rng = (n: number) => Uint8Array;

export function envelopeAad(ctx: EnvelopeContext, codecVersion: number): Uint8Array {
  return concat(AAD_DOMAIN, contextBytes(ctx), new Uint8Array([codecVersion]));
}

function commitment(aad: Uint8Array, key: Uint8Array): Uint8Array {
  return sha256(concat(COMMIT_DOMAIN, aad, key));
}

export function payloadHashOf(envelope: Uint8Array): string {
  return toHex(keccak_256(envelope));
}

/** Encrypts a payload for its token and wraps the key to every reader given (usually owner and counterparty). */
export function sealPayload(payload: TokenPayload, ctx: EnvelopeContext, readers: ReaderKey[]): SealedPayload {
  return sealPayloadWithRng(randomBytes, payload, ctx, readers);
}

/** @internal test-only injection point for known-answer vectors; production code calls sealPayload. */
export function sealPayloadWithRng(rng: Rng, payload: TokenPayload, ctx: EnvelopeContext, readers: ReaderKey[]): SealedPayload {
  if (readers.length === 0) throw new AppError('INVALID_ARGUMENT', 'a sealed payload needs at least one reader', { field: 'readers' });
  const plain = encodePayload(payload);
  const aad = envelopeAad(ctx, PAYLOAD_VERSION);
  const key = rng(32);
  const nonce = rng(12);
  const ct = gcm(key, nonce, aad).encrypt(plain);
  const envelope = new ByteWriter().u8(ENVELOPE_VERSION).u8(PAYLOAD_VERSION).bytes(nonce).bytes(ct).finish();
  const wraps = readers.map((r) => ({ readerId: r.id, epoch: r.epoch, wrap: wrapDataKey(key, ctx, r, rng) }));
  const out = { envelope, payloadHash: payloadHashOf(envelope), keyCommitment: toHex(commitment(aad, key)), wraps };
  key.fill(0);
  return out;
}

function parseEnvelope(envelope: Uint8Array): { codecVersion: number; nonce: Uint8Array; ct: Uint8Array } {
  const r = new ByteReader(envelope);
  const v = r.u8('envelope.version');
  if (v !== ENVELOPE_VERSION) throw new AppError('PARSE_ERROR', `envelope version ${v} is not supported`, { field: 'envelope.version' });
  const codecVersion = r.u8('envelope.codecVersion');
  if (codecVersion !== PAYLOAD_VERSION) throw new AppError('PARSE_ERROR', `envelope codec version ${codecVersion} is not supported`, { field: 'envelope.codecVersion' });
  const nonce = r.bytes(12, 'envelope.nonce');
  if (envelope.length < HEADER + 16) throw new AppError('PARSE_ERROR', 'envelope shorter than its tag', { field: 'envelope' });
  return { codecVersion, nonce, ct: envelope.slice(HEADER) };
}

function keyFor(envelope: Uint8Array, ctx: EnvelopeContext, keyCommitment: string, wrap: Uint8Array, reader: ReaderSecret): { key: Uint8Array; aad: Uint8Array } {
  const { codecVersion } = parseEnvelope(envelope);
  const aad = envelopeAad(ctx, codecVersion);
  const key = unwrapDataKey(wrap, ctx, reader);
  if (!equalBytes(commitment(aad, key), fromHex(keyCommitment, 'keyCommitment', 32))) {
    key.fill(0);
    throw new AppError('SECURITY', 'data key does not match the key commitment', { field: 'keyCommitment' });
  }
  return { key, aad };
}

/** Opens an envelope with one reader's wrap. SECURITY on any tampering, PARSE_ERROR on a malformed envelope. */
export function openPayload(envelope: Uint8Array, ctx: EnvelopeContext, keyCommitment: string, wrap: Uint8Array, reader: ReaderSecret): TokenPayload {
  const { nonce, ct } = parseEnvelope(envelope);
  const { key, aad } = keyFor(envelope, ctx, keyCommitment, wrap, reader);
  let plain: Uint8Array;
  try {
    plain = gcm(key, nonce, aad).decrypt(ct);
  } catch {
    throw new AppError('SECURITY', 'envelope does not authenticate (tampered ciphertext, nonce, tag or context)', { field: 'envelope' });
  } finally {
    key.fill(0);
  }
  return decodePayload(plain);
}

/** Grants a new reader (a paying data buyer): opens the holder's wrap and wraps the same key to the new reader. */
export function rewrapForReader(envelope: Uint8Array, ctx: EnvelopeContext, keyCommitment: string, wrap: Uint8Array, holder: ReaderSecret, reader: ReaderKey): Uint8Array {
  const { key } = keyFor(envelope, ctx, keyCommitment, wrap, holder);
  try {
    return wrapDataKey(key, ctx, reader, randomBytes);
  } finally {
    key.fill(0);
  }
}
