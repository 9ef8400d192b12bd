// Lossless compression of one signal's samples into a chunk: tSource as µs delta-of-delta varints, tServer as
// µs latency deltas, values as decimal fixed-point deltas when exact else Gorilla-style XOR bytes, status as runs.
import { AppError } from '../../../shared/errors';
import { ByteReader, ByteWriter } from './bytes';

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
const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6];

/** Two ways producers turn µs into f64 ms; each rounds differently at epoch magnitudes, so both are tried. */
const usToMs = (q: number, split: boolean): number => (split ? Math.floor(q / 1000) + (q - Math.floor(q / 1000) * 1000) / 1000 : q / 1000);
// ulp of x; timestamps in a chunk share one binade, so the last one is cached (log2 per sample was the hot spot)
let binLo = 1;
let binHi = 2;
let binUlp = 2 ** -52;
function ulpOf(x: number): number {
  const a = Math.abs(x) || 1;
  if (a >= binLo && a < binHi) return binUlp;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--; // log2 can round up just below a power of two
  else if (2 ** (e + 1) <= a) e++;
  binLo = 2 ** e;
  binHi = 2 ** (e + 1);
  binUlp = 2 ** (e - 52);
  return binUlp;
}

interface MicrosForm {
  flags: number; // 0 when the column has to fall back to XOR
  q: Float64Array; // integer µs
  resid?: Int32Array; // (t - usToMs(q)) / ulp in -2..2, exact by construction and checked; packed with the delta
}

/** Finds how a timestamp column is exactly integer µs: plain, split, or plain + ulp residual; else flags 0. */
function microsForm(t: Float64Array, n: number, plain: number, split: number, resid: number): MicrosForm {
  const q = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    q[i] = Math.round(t[i] * 1000);
    if (!(Math.abs(q[i]) < 2 ** 52)) return { flags: 0, q };
  }
  for (const [form, flag] of [[false, plain], [true, plain | split]] as const) {
    let ok = true;
    for (let i = 0; i < n && ok; i++) ok = Object.is(usToMs(q[i], form), t[i]);
    if (ok) return { flags: flag, q };
  }
  const r = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const base = q[i] / 1000;
    const u = ulpOf(base);
    const k = (t[i] - base) / u;
    if (!Number.isInteger(k) || Math.abs(k) > 2 || !Object.is(base + k * u, t[i])) return { flags: 0, q };
    r[i] = k;
  }
  return { flags: plain | resid, q, resid: r };
}

/** A zigzag delta with an optional ulp residual folded in (×5 + residual + 2), so the residual rarely costs a byte. */
function packed(w: ByteWriter, d: number, resid: number | undefined): void {
  if (resid === undefined) w.vari(d);
  else w.varu((d >= 0 ? d * 2 : -d * 2 - 1) * 5 + resid + 2);
}
function unpack(r: ByteReader, withResid: boolean): [number, number] {
  if (!withResid) return [r.vari(), 0];
  const v = r.varu();
  const res = (v % 5) - 2;
  const z = (v - res - 2) / 5;
  return [z % 2 === 0 ? z / 2 : -(z + 1) / 2, res];
}

/** Smallest k such that every value is exactly round(v·10^k)/10^k, or -1 (NaN, ±0 ambiguity, too many digits). */
function fixedScale(v: Float64Array, n: number): number {
  outer: for (let k = 0; k < POW10.length; k++) {
    const p = POW10[k];
    for (let i = 0; i < n; i++) {
      const x = v[i];
      const q = Math.round(x * p);
      if (!(Math.abs(q) < 2 ** 52) || q / p !== x || Object.is(x, -0)) {
        if (!Number.isFinite(x) || Object.is(x, -0)) return -1;
        continue outer;
      }
    }
    return k;
  }
  return -1;
}

/** f32 words of the values when every one (NaN payloads included) survives f64→f32→f64 bit for bit, else null. */
function asF32(v: Float64Array, n: number): Float32Array | null {
  const f = new Float32Array(n);
  const back = new Float64Array(1);
  const a = new Uint32Array(back.buffer);
  const orig = new Uint32Array(v.buffer, v.byteOffset, n * 2);
  for (let i = 0; i < n; i++) {
    f[i] = v[i];
    back[0] = f[i];
    if (a[0] !== orig[2 * i] || a[1] !== orig[2 * i + 1]) return null;
  }
  return f;
}

/** XOR with the previous value's bytes; header byte = leading zero bytes << 4 | trailing zero bytes. */
function xorEncode(w: ByteWriter, col: Float64Array | Float32Array, n: number): void {
  const W = col.BYTES_PER_ELEMENT;
  const b = new Uint8Array(col.buffer, col.byteOffset, n * W);
  const x = new Uint8Array(8);
  w.room(n * (W + 1));
  const out = w.buf;
  let len = w.len;
  for (let i = 0; i < n; i++) {
    const o = i * W;
    for (let j = 0; j < W; j++) x[j] = i === 0 ? b[o + j] : b[o + j] ^ b[o - W + j];
    let hi = W;
    while (hi > 0 && x[hi - 1] === 0) hi--;
    let lo = 0;
    while (lo < hi && x[lo] === 0) lo++;
    out[len++] = ((W - hi) << 4) | lo;
    for (let j = lo; j < hi; j++) out[len++] = x[j];
  }
  w.len = len;
}

function xorDecode(r: ByteReader, out: Float64Array | Float32Array, n: number): void {
  const W = out.BYTES_PER_ELEMENT;
  const b = new Uint8Array(out.buffer, out.byteOffset, n * W);
  for (let i = 0; i < n; i++) {
    const h = r.u8();
    const hi = W - (h >> 4);
    const lo = h & 15;
    const o = i * W;
    for (let j = 0; j < W; j++) {
      const x = j >= lo && j < hi ? r.u8() : 0;
      b[o + j] = i === 0 ? x : x ^ b[o - W + j];
    }
  }
}

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
