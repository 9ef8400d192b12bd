// Canonical binary encoding of the token payload: a version byte, fixed-width big-endian integers, then the
// location as three length-prefixed UTF-8 strings. The decoder is strict: one payload, one byte string.
import { AppError, isAppError } from '../errors';
import { ByteReader, ByteWriter, equalBytes } from './bytes';
import { MAX_LOCATION_BYTES, PAYLOAD_VERSION, validatePayload, type TokenPayload } from './payload';

const utf8 = new TextEncoder();
// fatal: malformed or overlong UTF-8 throws; ignoreBOM: a leading BOM stays in the string (so re-encoding differs).
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function writeString(w: ByteWriter, s: string, field: string): void {
  const b = utf8.encode(s);
  if (b.length > MAX_LOCATION_BYTES) throw new AppError('INVALID_ARGUMENT', `token payload ${field} longer than ${MAX_LOCATION_BYTES} bytes`, { field });
  w.u8(b.length).bytes(b);
}

function readString(r: ByteReader, field: string): string {
  const n = r.u8(`${field}.length`);
  if (n > MAX_LOCATION_BYTES) throw new AppError('PARSE_ERROR', `token payload ${field} longer than ${MAX_LOCATION_BYTES} bytes`, { field, offset: r.offset });
  const b = r.bytes(n, field);
  try {
    return utf8Strict.decode(b);
  } catch {
    throw new AppError('PARSE_ERROR', `token payload ${field} is not valid UTF-8`, { field, offset: r.offset });
  }
}

export function encodePayload(p: TokenPayload): Uint8Array {
  validatePayload(p);
  const w = new ByteWriter();
  w.u8(PAYLOAD_VERSION)
    .u8(p.gridConnect)
    .u8(p.genClass)
    .u8(p.zceSubclass)
    .u8(p.voltageCategory)
    .u8(p.rideThroughCategory)
    .u8(p.loadCoupling)
    .u8(p.storedSubclass)
    .u16(p.exergyRatioBp)
    .u32(p.epsVoltageMicroPu)
    .u32(p.epsInertiaKWs)
    .i64(p.energyMilliWh)
    .u32(p.mlfPpm)
    .u8(p.timeDomain)
    .u64(p.periodStartMs)
    .u32(p.periodMs);
  writeString(w, p.location.feeder, 'location.feeder');
  writeString(w, p.location.section, 'location.section');
  writeString(w, p.location.bus, 'location.bus');
  return w.finish();
}

/** Strict decode: unknown version, out-of-range enum, trailing bytes or any non-canonical form is a PARSE_ERROR. */
export function decodePayload(bytes: Uint8Array): TokenPayload {
  const r = new ByteReader(bytes);
  const version = r.u8('version');
  if (version !== PAYLOAD_VERSION) throw new AppError('PARSE_ERROR', `token payload version ${version} is not supported`, { field: 'version', offset: 0 });
  const p: TokenPayload = {
    gridConnect: r.u8('gridConnect'),
    genClass: r.u8('genClass'),
    zceSubclass: r.u8('zceSubclass'),
    voltageCategory: r.u8('voltageCategory'),
    rideThroughCategory: r.u8('rideThroughCategory'),
    loadCoupling: r.u8('loadCoupling'),
    storedSubclass: r.u8('storedSubclass'),
    exergyRatioBp: r.u16('exergyRatioBp'),
    epsVoltageMicroPu: r.u32('epsVoltageMicroPu'),
    epsInertiaKWs: r.u32('epsInertiaKWs'),
    energyMilliWh: r.i64('energyMilliWh'),
    mlfPpm: r.u32('mlfPpm'),
    timeDomain: r.u8('timeDomain'),
    periodStartMs: r.u64('periodStartMs'),
    periodMs: r.u32('periodMs'),
    location: { feeder: readString(r, 'location.feeder'), section: readString(r, 'location.section'), bus: readString(r, 'location.bus') },
  };
  r.end();
  try {
    validatePayload(p);
  } catch (e) {
    if (isAppError(e, 'INVALID_ARGUMENT')) throw new AppError('PARSE_ERROR', e.message, e.info);
    throw e;
  }
  // Belt and braces: whatever slipped past the field checks, a second spelling of the same payload is refused.
  if (!equalBytes(encodePayload(p), bytes)) throw new AppError('PARSE_ERROR', 'token payload is not in canonical form', { field: 'canonical' });
  return p;
}
