import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeChunk, encodeChunk, type SampleColumns } from '../../../main/services/historian/chunk-codec';

function cols(ts: number[], srv: number[], v: number[], st: number[]): SampleColumns {
  return { n: ts.length, tSource: Float64Array.from(ts), tServer: Float64Array.from(srv), value: Float64Array.from(v), status: Uint32Array.from(st) };
}
const bits = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

describe('historian chunk codec', () => {
  it('is bit-exact for any f64 (NaN payloads, -0, ±Inf) and any status', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double(), fc.double(), fc.double(), fc.nat({ max: 0xffffffff })), { minLength: 1, maxLength: 200 }),
        (rows) => {
          const c = cols(rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]));
          const d = decodeChunk(encodeChunk(c));
          expect(d.n).toBe(c.n);
          expect(bits(d.tSource)).toBe(bits(c.tSource));
          expect(bits(d.tServer)).toBe(bits(c.tServer));
          expect(bits(d.value)).toBe(bits(c.value));
          expect(Array.from(d.status)).toEqual(Array.from(c.status));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a NaN payload bit pattern', () => {
    const v = new Float64Array(3);
    new Uint32Array(v.buffer).set([0x1234, 0x7ff80000, 0, 0xfff00001, 5, 6]);
    const c: SampleColumns = { n: 3, tSource: Float64Array.of(1, 2, 3), tServer: Float64Array.of(1, 2, 3), value: v, status: new Uint32Array(3) };
    expect(bits(decodeChunk(encodeChunk(c)).value)).toBe(bits(v));
  });

  it('packs a regular 60/s PMU series to a few bytes a sample, exactly', () => {
    const n = 600;
    const t0 = 1_780_000_000_000;
    const ts = Array.from({ length: n }, (_, i) => t0 + Math.round((i * 1e6) / 60) / 1000);
    const srv = ts.map((t, i) => t + 20 + ((i * 7) % 13) / 1000);
    const fixed = ts.map((_, i) => Math.round(7200 * (1 + 0.01 * Math.sin(i / 10)) * 100) / 100);
    const f32 = ts.map((_, i) => Math.fround(60 + 0.01 * Math.sin(i / 7)));
    const st = ts.map((_, i) => (i > 300 && i < 310 ? 0x80000000 : 0));
    for (const v of [fixed, f32]) {
      const c = cols(ts, srv, v, st);
      const enc = encodeChunk(c);
      const d = decodeChunk(enc);
      expect(Array.from(d.tSource)).toEqual(ts);
      expect(Array.from(d.tServer)).toEqual(srv);
      expect(Array.from(d.value)).toEqual(v);
      expect(Array.from(d.status)).toEqual(st);
      expect(enc.length / n).toBeLessThan(v === fixed ? 6 : 8);
    }
  });

  it('reports a damaged chunk as PARSE_ERROR, never a crash', () => {
    const enc = encodeChunk(cols([1, 2, 3], [1, 2, 3], [0.5, Number.NaN, 2], [0, 0, 1]));
    expect(() => decodeChunk(enc.subarray(0, enc.length - 2), 'signal 4 @1')).toThrow(/signal 4 @1 is corrupt/);
    const bad = enc.slice();
    bad[0] = 9;
    expect(() => decodeChunk(bad)).toThrow(/version 9/);
  });
});
