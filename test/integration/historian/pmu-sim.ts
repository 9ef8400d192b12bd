// Deterministic PMU-like telemetry for historian tests and the bench: f32 phasor magnitudes with noise, µs-exact
// 60/s instants, a few NaN/bad-quality samples, and an optional two-cycle sag; value(sig, i) recomputes any sample.
import { SAMPLE_SCHEMA, encodeFrame } from '../../../shared/contract/frame';

export interface SimSpec {
  t0: number; // integer ms
  signals: number; // ids 1..signals
  rate: number; // samples/s per signal
  sag?: { signal: number; atMs: number; cycles: number; depth: number }; // depth in p.u. of nominal
}

const NOMINAL = 7200;

export function tAt(s: SimSpec, i: number): number {
  return s.t0 + Math.round((i * 1e6) / s.rate) / 1000;
}

export function valueAt(s: SimSpec, sig: number, i: number): number {
  if ((i * 31 + sig * 7) % 9973 === 0) return Number.NaN;
  const h = Math.sin(i * 12.9898 + sig * 78.233) * 43758.5453;
  const noise = h - Math.floor(h) - 0.5;
  let v = NOMINAL * (1 + 0.02 * Math.sin(i / (600 + sig))) + noise * 3;
  if (s.sag && s.sag.signal === sig) {
    const t = tAt(s, i);
    if (t >= s.sag.atMs && t < s.sag.atMs + (s.sag.cycles * 1000) / 60) v = NOMINAL * (1 - s.sag.depth);
  }
  return Math.fround(v);
}

export function statusAt(sig: number, i: number): number {
  return (i * 31 + sig * 7) % 9973 === 0 ? 0x80000000 : 0;
}

export function serverAt(s: SimSpec, sig: number, i: number): number {
  return tAt(s, i) + 25 + ((i * 13 + sig) % 17) / 10; // 25–26.6 ms of transport latency
}

/** Frames of `perFrame` sample instants (all signals each instant), from instant `from` to `to` (exclusive). */
export function* frames(s: SimSpec, from: number, to: number, perFrame: number): Generator<Uint8Array> {
  for (let a = from; a < to; a += perFrame) {
    const b = Math.min(to, a + perFrame);
    const rows = (b - a) * s.signals;
    const signal = new Uint32Array(rows), tSource = new Float64Array(rows), tServer = new Float64Array(rows), value = new Float64Array(rows), status = new Uint32Array(rows);
    let r = 0;
    for (let i = a; i < b; i++) {
      for (let sig = 1; sig <= s.signals; sig++, r++) {
        signal[r] = sig;
        tSource[r] = tAt(s, i);
        tServer[r] = serverAt(s, sig, i);
        value[r] = valueAt(s, sig, i);
        status[r] = statusAt(sig, i);
      }
    }
    yield encodeFrame(SAMPLE_SCHEMA, { signal, tSource, tServer, value, status }, rows, a);
  }
}
