// Column forms for the chunk codec: exact-µs timestamps (plain, split or with an ulp residual), decimal fixed
// point, f32 detection and byte-wise XOR. Each form is chosen only when it decodes back to the same bits.
import type { ByteReader, ByteWriter } from './bytes';

export const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6];

/** Two ways producers turn µs into f64 ms; each rounds differently at epoch magnitudes, so both are tried. */
export const usToMs = (q: number, split: boolean): number => (split ? Math.floor(q / 1000) + (q - Math.floor(q / 1000) * 1000) / 1000 : q / 1000);
// ulp of x; timestamps in a chunk share one binade, so the last one is cached (log2 per sample was the hot spot)
let binLo = 1;
let binHi = 2;
let binUlp = 2 ** -52;
export function ulpOf(x: number): number {
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

export interface MicrosForm {
  flags: number; // 0 when the column has to fall back to XOR
  q: Float64Array; // integer µs
  resid?: Int32Array; // (t - usToMs(q)) / ulp in -2..2, exact by construction and checked; packed with the delta
}

/** Finds how a timestamp column is exactly integer µs: plain, split, or plain + ulp residual; else flags 0. */
export function microsForm(t: Float64Array, n: number, plain: number, split: number, resid: number): MicrosForm {
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
export function packed(w: ByteWriter, d: number, resid: number | undefined): void {
  if (resid === undefined) w.vari(d);
  else w.varu((d >= 0 ? d * 2 : -d * 2 - 1) * 5 + resid + 2);
}
export function unpack(r: ByteReader, withResid: boolean): [number, number] {
  if (!withResid) return [r.vari(), 0];
  const v = r.varu();
  const res = (v % 5) - 2;
  const z = (v - res - 2) / 5;
  return [z % 2 === 0 ? z / 2 : -(z + 1) / 2, res];
}

/** Smallest k such that every value is exactly round(v·10^k)/10^k, or -1 (NaN, ±0 ambiguity, too many digits). */
export function fixedScale(v: Float64Array, n: number): number {
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
export function asF32(v: Float64Array, n: number): Float32Array | null {
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
export function xorEncode(w: ByteWriter, col: Float64Array | Float32Array, n: number): void {
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

export function xorDecode(r: ByteReader, out: Float64Array | Float32Array, n: number): void {
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

