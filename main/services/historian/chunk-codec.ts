// Lossless compression of one signal's samples into a chunk: tSource as µs delta-of-delta varints, tServer as
// µs latency deltas, values as decimal fixed-point deltas when exact else Gorilla-style XOR bytes, status as runs.
import { AppError } from '../../../shared/errors';
import { ByteReader, ByteWriter } from './bytes';
import { asF32, fixedScale, microsForm, packed, POW10, ulpOf, unpack, usToMs, xorDecode, xorEncode } from './chunk-columns';

export interface SampleColumns {
  n: number;
  tSource: Float64Array;
  tServer: Float64Array;
  value: Float64Array;
  status: Uint32Array;
}

const VERSION = 1;
const F_TSRC_US = 1; // tSource stored as integer µs (else XOR)
const F_TSRV_US = 2; // tServer stored as integer µs (else XOR)
const F_VAL_FIXED = 4; // values stored as integers × 10^-k (else XOR)
const F_TSRC_SPLIT = 8; // µs → ms as whole ms + fraction (how OPC UA Date + picoseconds are usually summed)
const F_TSRV_SPLIT = 16;
const F_TSRC_RESID = 32; // µs plus a per-sample residual in ulps, for sums that round differently from either form
const F_TSRV_RESID = 64;
const F_VAL_F32 = 128; // every value is exactly an f32 (PMU floats): XOR on 4-byte words

export function encodeChunk(c: SampleColumns): Uint8Array {
  const { n } = c;
  const w = new ByteWriter(16 + n * 6);
  const src = microsForm(c.tSource, n, F_TSRC_US, F_TSRC_SPLIT, F_TSRC_RESID);
  const srv = src.flags ? microsForm(c.tServer, n, F_TSRV_US, F_TSRV_SPLIT, F_TSRV_RESID) : src;
  const srcUs = src.flags !== 0;
  const srvUs = srv.flags !== 0;
  const k = fixedScale(c.value, n);
  const f32 = k < 0 ? asF32(c.value, n) : null;
  w.u8(VERSION);
  w.u8(src.flags | (srvUs ? srv.flags : 0) | (k >= 0 ? F_VAL_FIXED : 0) | (f32 ? F_VAL_F32 : 0));
  w.varu(n);
  if (srcUs) {
    let prev = 0;
    let prevDelta = 0;
    for (let i = 0; i < n; i++) {
      const q = src.q[i];
      const d = q - prev;
      packed(w, i === 0 ? q : d - prevDelta, src.resid?.[i]);
      if (i > 0) prevDelta = d;
      prev = q;
    }
  } else xorEncode(w, c.tSource, n);
  if (srvUs) {
    let prevLat = 0;
    for (let i = 0; i < n; i++) {
      const lat = srv.q[i] - src.q[i];
      packed(w, lat - prevLat, srv.resid?.[i]);
      prevLat = lat;
    }
  } else xorEncode(w, c.tServer, n);
  if (k >= 0) {
    w.u8(k);
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const q = Math.round(c.value[i] * POW10[k]);
      w.vari(q - prev);
      prev = q;
    }
  } else if (f32) xorEncode(w, f32, n);
  else xorEncode(w, c.value, n);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && c.status[j] === c.status[i]) j++;
    w.varu(c.status[i]);
    w.varu(j - i);
    i = j;
  }
  return w.finish();
}

export function decodeChunk(bytes: Uint8Array, where = 'chunk'): SampleColumns {
  try {
    const r = new ByteReader(bytes);
    const version = r.u8();
    if (version !== VERSION) throw new RangeError(`version ${version}`);
    const flags = r.u8();
    const n = r.varu();
    if (n > bytes.length * 8) throw new RangeError(`count ${n} for ${bytes.length} bytes`);
    const out: SampleColumns = { n, tSource: new Float64Array(n), tServer: new Float64Array(n), value: new Float64Array(n), status: new Uint32Array(n) };
    const srcQ = new Float64Array(n);
    if (flags & F_TSRC_US) {
      let prev = 0;
      let delta = 0;
      for (let i = 0; i < n; i++) {
        const [z, res] = unpack(r, (flags & F_TSRC_RESID) !== 0);
        if (i === 0) prev = z;
        else {
          delta += z;
          prev += delta;
        }
        srcQ[i] = prev;
        out.tSource[i] = usToMs(prev, (flags & F_TSRC_SPLIT) !== 0);
        if (res) out.tSource[i] += res * ulpOf(out.tSource[i]);
      }
    } else xorDecode(r, out.tSource, n);
    if (flags & F_TSRV_US) {
      let lat = 0;
      for (let i = 0; i < n; i++) {
        const [d, res] = unpack(r, (flags & F_TSRV_RESID) !== 0);
        lat += d;
        out.tServer[i] = usToMs(srcQ[i] + lat, (flags & F_TSRV_SPLIT) !== 0);
        if (res) out.tServer[i] += res * ulpOf(out.tServer[i]);
      }
    } else xorDecode(r, out.tServer, n);
    if (flags & F_VAL_FIXED) {
      const p = POW10[r.u8()];
      let q = 0;
      for (let i = 0; i < n; i++) {
        q += r.vari();
        out.value[i] = q / p;
      }
    } else if (flags & F_VAL_F32) {
      const f = new Float32Array(n);
      xorDecode(r, f, n);
      for (let i = 0; i < n; i++) out.value[i] = f[i]; // the same f32→f64 path asF32 checked
    } else xorDecode(r, out.value, n);
    for (let i = 0; i < n; ) {
      const s = r.varu();
      const run = r.varu();
      if (run === 0 || i + run > n) throw new RangeError('status run overflows');
      out.status.fill(s, i, i + run);
      i += run;
    }
    return out;
  } catch (e) {
    throw new AppError('PARSE_ERROR', `historian ${where} is corrupt: ${(e as Error).message}`, { where });
  }
}
