import { describe, expect, it } from 'vitest';
import { readComtrade } from '../../../shared/comtrade';
import { isAppError } from '../../../shared/errors';

// A 1999 ASCII record typed by hand: expected values are worked out here from a*x+b, not by our writer.
const CFG_1999 = `Station A,Relay 7,1999\r
4,2A,2D\r
1,IA,A,Line1,A,0.1,-5,0,-1000,1000,1200,5,P\r
2,VA,A,Line1,kV,0.01,0,0,-32767,32767,138,0.115,S\r
1,TRIP,,Line1,0\r
2,52A,,Line1,1\r
60\r
1\r
1200,4\r
15/03/2024,10:20:30.000000\r
15/03/2024,10:20:30.001667\r
ASCII\r
1\r
`;
const DAT_1999 = `1,0,100,5000,0,1\r
2,833,-200,-5000,1,1\r
3,1667,,12345,1,0\r
4,2500,0,0,0,0\r
`;

describe('COMTRADE reader on hand-written reference files', () => {
  it('reads a 1999 ASCII record: scaling, missing value, digitals, times', () => {
    const { config: c, data: d } = readComtrade(CFG_1999, DAT_1999, 'ref');
    expect(c.station).toBe('Station A');
    expect(c.revYear).toBe(1999);
    expect(c.analogs.map((a) => [a.id, a.unit, a.ps])).toEqual([['IA', 'A', 'P'], ['VA', 'kV', 'S']]);
    expect(c.digitals.map((x) => [x.id, x.normal])).toEqual([['TRIP', 0], ['52A', 1]]);
    expect(c.rates).toEqual([{ rate: 1200, endSample: 4 }]);
    expect(c.startMs).toBe(Date.UTC(2024, 2, 15, 10, 20, 30));
    expect(c.triggerMs - c.startMs).toBeCloseTo(1.667, 3); // epoch ms in f64 carries µs, not finer
    expect(Array.from(d.sample)).toEqual([1, 2, 3, 4]);
    expect(Array.from(d.timeUs)).toEqual([0, 833, 1667, 2500]);
    expect(d.analog[0][0]).toBeCloseTo(5, 12);
    expect(d.analog[0][1]).toBeCloseTo(-25, 12);
    expect(Number.isNaN(d.analog[0][2])).toBe(true);
    expect(d.analog[0][3]).toBeCloseTo(-5, 12);
    expect(Array.from(d.analog[1]).map((v) => Math.round(v * 100) / 100)).toEqual([50, -50, 123.45, 0]);
    expect(Array.from(d.digital[0])).toEqual([0, 1, 1, 0]);
    expect(Array.from(d.digital[1])).toEqual([1, 1, 0, 0]);
  });

  it('reads a 2013 BINARY record with a time code, a missing marker and a missing timestamp', () => {
    const cfg = [
      'Sub 9,PMU-3,2013', '2,1A,1D', '1,F,,Bus150,Hz,0.001,60,0,-32767,32767,1,1,P', '1,BRK,,Bus150,0', '60', '1', '60,3',
      '01/07/2025,08:00:00.500000', '01/07/2025,08:00:00.500000', 'BINARY', '1', '-5h30,0', 'B,0',
    ].join('\n');
    const dat = new Uint8Array(3 * (8 + 2 + 2));
    const dv = new DataView(dat.buffer);
    const rows: [number, number, number, number][] = [[1, 0, 250, 1], [2, 0xffffffff, -32768, 0], [3, 33333, -1000, 1]];
    rows.forEach(([n, t, x, dig], i) => {
      const o = i * 12;
      dv.setUint32(o, n, true); dv.setUint32(o + 4, t, true); dv.setInt16(o + 8, x, true); dv.setUint16(o + 10, dig, true);
    });
    const { config: c, data: d } = readComtrade(cfg, dat, 'pmu3');
    expect(c.startMs).toBe(Date.UTC(2025, 6, 1, 8, 0, 0, 500) + 5.5 * 3600_000); // recorder clock is UTC-5:30
    expect(c.tmqCode).toBe('B');
    expect(d.analog[0][0]).toBeCloseTo(60.25, 12);
    expect(Number.isNaN(d.analog[0][1])).toBe(true);
    expect(d.analog[0][2]).toBeCloseTo(59, 12);
    expect(d.timeUs[1]).toBeCloseTo(1e6 / 60, 6); // missing timestamp falls back to the 60/s rate
    expect(d.timeUs[2]).toBe(33333);
    expect(Array.from(d.digital[0])).toEqual([1, 0, 1]);
  });

  it('names the file and line of a malformed channel, and refuses a torn binary file', () => {
    const bad = CFG_1999.replace('0.01,0,0,-32767', 'zz,0,0,-32767');
    try {
      readComtrade(bad, DAT_1999, 'bad');
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e, 'PARSE_ERROR')).toBe(true);
      expect((e as Error).message).toMatch(/bad\.cfg:4: a is not a number/);
    }
    const bin = CFG_1999.replace('ASCII', 'BINARY');
    expect(() => readComtrade(bin, new Uint8Array(17), 'torn')).toThrow(/torn\.dat: 17 bytes/);
    expect(() => readComtrade(CFG_1999, '1,0,100\r\n', 'short')).toThrow(/short\.dat:1: 3 fields/);
  });
});
