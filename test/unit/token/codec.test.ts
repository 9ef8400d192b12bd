import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors';
import { decodePayload, encodePayload, NO_RATIO, StoredSubclass, toFixed, timeDomainFor, TimeDomain, type TokenPayload } from '../../../shared/token';
import { consumed, stored } from './fixtures';

function parseErr(bytes: Uint8Array): string | undefined {
  try {
    decodePayload(bytes);
    return undefined;
  } catch (e) {
    expect(isAppError(e, 'PARSE_ERROR')).toBe(true);
    return (e as { info?: { field?: string } }).info?.field;
  }
}

describe('token payload codec', () => {
  it('round-trips every FIG. 3 field for consumed and stored payloads', () => {
    for (const p of [consumed, stored]) expect(decodePayload(encodePayload(p))).toEqual(p);
  });

  it('lays fields out at fixed big-endian offsets (independent reading with DataView)', () => {
    const b = encodePayload(consumed);
    const v = new DataView(b.buffer, b.byteOffset);
    expect(b[0]).toBe(1); // version
    expect([b[1], b[2], b[3], b[4], b[5], b[6], b[7]]).toEqual([2, 0, 2, 2, 3, 0, 0]);
    expect(v.getUint16(8)).toBe(9350);
    expect(v.getUint32(10)).toBe(1_112_500);
    expect(v.getUint32(14)).toBe(4_200_000);
    expect(v.getBigInt64(18)).toBe(12_345_678n);
    expect(v.getUint32(26)).toBe(1_023_400);
    expect(b[30]).toBe(3);
    expect(v.getBigUint64(31)).toBe(1_795_000_000_000n);
    expect(v.getUint32(39)).toBe(900_000);
    expect(new TextDecoder().decode(b.subarray(44, 44 + b[43]))).toBe('IEEE123');
  });

  it('round-trips arbitrary valid payloads (property)', () => {
    const arb = fc.record({
      gridConnect: fc.integer({ min: 0, max: 2 }),
      genZce: fc.boolean(),
      zceSubclass: fc.integer({ min: 0, max: 4 }),
      voltageCategory: fc.integer({ min: 0, max: 2 }),
      rideThroughCategory: fc.integer({ min: 0, max: 3 }),
      stored: fc.boolean(),
      storedSubclass: fc.integer({ min: 0, max: 5 }),
      ratio: fc.integer({ min: 0, max: 10_000 }),
      epsVoltageMicroPu: fc.integer({ min: 0, max: 3_000_000 }),
      epsInertiaKWs: fc.integer({ min: 0, max: 0xffffffff }),
      energyMilliWh: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
      feeder: fc.string({ minLength: 1, maxLength: 16 }),
      section: fc.string({ maxLength: 16 }),
      bus: fc.string({ minLength: 1, maxLength: 16 }),
      mlfPpm: fc.integer({ min: 0, max: 2_000_000 }),
      timeDomain: fc.integer({ min: 1, max: 4 }),
      periodStartMs: fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
      periodMs: fc.integer({ min: 1, max: 0xffffffff }),
    });
    fc.assert(
      fc.property(arb, (a) => {
        const nfc = (s: string): string => s.replace(/[\p{Cc}\p{Cf}]/gu, '').normalize('NFC') || 'x';
        const p: TokenPayload = {
          gridConnect: a.gridConnect,
          genClass: a.genZce ? 0 : 2,
          zceSubclass: a.genZce ? a.zceSubclass : 0,
          voltageCategory: a.voltageCategory,
          rideThroughCategory: a.rideThroughCategory,
          loadCoupling: a.stored ? 1 : 0,
          storedSubclass: a.stored ? a.storedSubclass : StoredSubclass.Unspecified,
          exergyRatioBp: a.stored ? NO_RATIO : a.ratio,
          epsVoltageMicroPu: a.epsVoltageMicroPu,
          epsInertiaKWs: a.epsInertiaKWs,
          energyMilliWh: a.energyMilliWh,
          location: { feeder: nfc(a.feeder), section: a.section.replace(/[\p{Cc}\p{Cf}]/gu, '').normalize('NFC'), bus: nfc(a.bus) },
          mlfPpm: a.mlfPpm,
          timeDomain: a.timeDomain,
          periodStartMs: a.periodStartMs,
          periodMs: a.periodMs,
        };
        expect(decodePayload(encodePayload(p))).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses trailing bytes, truncation and unknown versions', () => {
    const b = encodePayload(consumed);
    expect(parseErr(new Uint8Array([...b, 0]))).toBe('end');
    expect(parseErr(b.slice(0, b.length - 1))).toBe('location.bus');
    expect(parseErr(b.slice(0, 5))).toBe('rideThroughCategory');
    const v2 = b.slice();
    v2[0] = 2;
    expect(parseErr(v2)).toBe('version');
  });

  it('refuses out-of-range enums and cross-field violations, naming the field', () => {
    const b = encodePayload(consumed);
    const cases: [number, number, string][] = [
      [1, 3, 'gridConnect'],
      [2, 4, 'genClass'],
      [3, 5, 'zceSubclass'],
      [4, 3, 'voltageCategory'],
      [5, 4, 'rideThroughCategory'],
      [6, 2, 'loadCoupling'],
      [7, 1, 'storedSubclass'], // stored subclass on a consumed load
      [30, 0, 'timeDomain'],
      [30, 5, 'timeDomain'],
    ];
    for (const [off, val, field] of cases) {
      const x = b.slice();
      x[off] = val;
      expect(parseErr(x), field).toBe(field);
    }
    const zceSubOnFossil = encodePayload(stored).slice();
    zceSubOnFossil[3] = 1;
    expect(parseErr(zceSubOnFossil)).toBe('zceSubclass');
    const ratio = b.slice();
    new DataView(ratio.buffer).setUint16(8, 10_001);
    expect(parseErr(ratio)).toBe('exergyRatioBp');
    const zeroPeriod = b.slice();
    new DataView(zeroPeriod.buffer).setUint32(39, 0);
    expect(parseErr(zeroPeriod)).toBe('periodMs');
    const negStart = b.slice();
    negStart[31] = 0x80;
    expect(parseErr(negStart)).toBe('periodStartMs');
  });

  it('refuses non-canonical strings: overlong UTF-8, a BOM, non-NFC, empty bus', () => {
    const withFeeder = (raw: number[]): Uint8Array => {
      const b = encodePayload(consumed);
      return new Uint8Array([...b.subarray(0, 43), raw.length, ...raw, ...b.subarray(44 + b[43])]);
    };
    expect(parseErr(withFeeder([0xc1, 0x81]))).toBe('location.feeder'); // overlong 'A'
    expect(parseErr(withFeeder([0xef, 0xbb, 0xbf, 0x41]))).toBe('location.feeder'); // a BOM: a format character
    expect(parseErr(withFeeder([0x65, 0xcc, 0x81]))).toBe('location.feeder'); // e + combining acute: not NFC
    expect(parseErr(withFeeder([]))).toBe('location.feeder');
    expect(decodePayload(withFeeder([0xc3, 0xa9])).location.feeder).toBe('é');
  });

  it('refuses NaN, -0 and floats on the way in', () => {
    expect(() => encodePayload({ ...consumed, epsVoltageMicroPu: Number.NaN })).toThrow(/epsVoltageMicroPu/);
    expect(() => encodePayload({ ...consumed, mlfPpm: 0.5 })).toThrow(/mlfPpm/);
    expect(() => encodePayload({ ...consumed, epsInertiaKWs: -0 })).toThrow(/epsInertiaKWs/);
    expect(() => toFixed(Number.NaN, 1e6, 'v')).toThrow(/finite/);
    expect(Object.is(toFixed(-0, 1e6, 'v'), 0)).toBe(true);
    expect(toFixed(1.0234, 1e6, 'mlf')).toBe(1_023_400);
    expect(toFixed(-0.0000005, 1e6, 'v')).toBe(-1);
  });

  it('maps service periods to FIG. 2 time domains', () => {
    expect([20, 4000, 900_000, 7 * 86_400_000].map(timeDomainFor)).toEqual([TimeDomain.TD1, TimeDomain.TD2, TimeDomain.TD3, TimeDomain.TD4]);
  });
});
