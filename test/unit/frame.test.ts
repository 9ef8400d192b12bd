import { describe, expect, it } from 'vitest';
import { SAMPLE_SCHEMA, decodeFrame, encodeFrame } from '../../shared/contract/frame';
import { isAppError } from '../../shared/errors';

describe('telemetry frame', () => {
  const cols = {
    signal: [1, 2, 3],
    tSource: [1000.5, 1001, 1002],
    tServer: [1000.6, 1001.1, 1002.2],
    value: [0.98, Number.NaN, -1.5],
    status: [0, 0x80000000, 0x40000000],
  };
  it('round-trips columns, NaN and status codes', () => {
    const bytes = encodeFrame(SAMPLE_SCHEMA, cols, 3, 42);
    const f = decodeFrame(bytes, SAMPLE_SCHEMA);
    expect(f.rows).toBe(3);
    expect(f.seq).toBe(42);
    expect(Array.from(f.columns.signal as Uint32Array)).toEqual([1, 2, 3]);
    expect(Number.isNaN((f.columns.value as Float64Array)[1])).toBe(true);
    expect((f.columns.status as Uint32Array)[1]).toBe(0x80000000);
  });
  it('refuses a truncated or padded frame with INVALID_ARGUMENT', () => {
    const bytes = encodeFrame(SAMPLE_SCHEMA, cols, 3);
    for (const bad of [bytes.slice(0, bytes.length - 8), new Uint8Array([...bytes, 0, 0, 0, 0, 0, 0, 0, 0]), bytes.slice(0, 10)]) {
      try {
        decodeFrame(bad);
        expect.unreachable();
      } catch (e) {
        expect(isAppError(e, 'INVALID_ARGUMENT')).toBe(true);
      }
    }
  });
  it('refuses a wrong magic or version', () => {
    const bytes = encodeFrame(SAMPLE_SCHEMA, cols, 3);
    const m = bytes.slice(); m[0] ^= 1;
    expect(() => decodeFrame(m)).toThrow(/magic/);
    const v = bytes.slice(); v[4] = 9;
    expect(() => decodeFrame(v)).toThrow(/version/);
  });
});
