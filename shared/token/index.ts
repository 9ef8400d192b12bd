// The token payload's public surface: codec, classifiers and envelope. Key wrapping takes keys only from inside
// the envelope module; sealPayloadWithRng is test-only (known-answer vectors) and deliberately not re-exported.
export * from './payload';
export { encodePayload, decodePayload } from './codec';
export * from './classifiers';
export type { EnvelopeContext } from './context';
export { compressedPublicKey, wrapEpoch, WRAP_LENGTH, type ReaderKey, type ReaderSecret } from './key-wrap';
export { sealPayload, openPayload, rewrapForReader, payloadHashOf, envelopeAad, ENVELOPE_VERSION, type SealedPayload } from './envelope';
export { toHex, fromHex } from './bytes';
