import { describe, expect, it } from 'vitest';
import { readComtrade, writeComtrade, type DatFormat } from '../../../shared/comtrade';

function series(n: number, seed: number): { t: number[]; v: number[]; f: number[]; d: number[] } {
  let s = seed;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const t0 = Date.UTC(2026, 0, 2, 3, 4, 5, 678) + 0.125;
  const t: number[] = [], v: number[] = [], f: number[] = [], d: number[] = [];
  for (let i = 0; i < n; i++) {
    t.push(t0 + Math.round((i * 1e6) / 60) / 1000); // µs-exact PMU instants
    v.push(i === 7 ? Number.NaN : 7200 * (1 + 0.05 * Math.sin(i / 9)) + rnd());
    f.push(60 + (rnd() - 0.5) * 0.02);
    d.push(i % 5 === 0 ? 1 : 0);
  }
  return { t, v, f, d };
}

describe('COMTRADE round trip', () => {
  const tol: Record<DatFormat, number> = { ASCII: 1e-5, BINARY: 0.2, BINARY32: 1e-5, FLOAT32: 1e-3 };
  for (const format of ['ASCII', 'BINARY', 'BINARY32', 'FLOAT32'] as DatFormat[]) {
    it(`${format}: times to the µs, values within one step, NaN and digitals kept`, () => {
      const s = series(600, 42);
      const w = writeComtrade({
        station: 'Exergy', device: 'historian', lineFreq: 60, format, timesMs: s.t, triggerMs: s.t[120],
        analogs: [{ id: 'VA', phase: 'A', unit: 'V', values: s.v }, { id: 'F', unit: 'Hz', values: s.f }],
        digitals: [{ id: 'BRK', values: s.d }],
      });
      const r = readComtrade(w.cfg, w.dat, 'rt');
      expect(r.config.startMs).toBeCloseTo(s.t[0], 3);
      expect(r.config.triggerMs).toBeCloseTo(s.t[120], 3);
      expect(r.data.sample.length).toBe(600);
      for (let i = 0; i < 600; i++) {
        expect(Math.abs(r.config.startMs + r.data.timeUs[i] / 1000 - s.t[i])).toBeLessThan(1.5e-3);
        if (Number.isNaN(s.v[i])) expect(Number.isNaN(r.data.analog[0][i])).toBe(true);
        else expect(Math.abs(r.data.analog[0][i] - s.v[i])).toBeLessThan(tol[format]);
        expect(Math.abs(r.data.analog[1][i] - s.f[i])).toBeLessThan(format === 'BINARY' ? 1e-6 : 1e-5);
        expect(r.data.digital[0][i]).toBe(s.d[i]);
      }
      // a second write of what was read gives the same files: nothing drifts
      const again = writeComtrade({
        station: 'Exergy', device: 'historian', lineFreq: 60, format,
        timesMs: Array.from(r.data.timeUs, (u) => r.config.startMs + u / 1000), triggerMs: r.config.triggerMs,
        analogs: r.config.analogs.map((a, k) => ({ id: a.id, phase: a.phase, unit: a.unit, values: r.data.analog[k] })),
        digitals: [{ id: 'BRK', values: r.data.digital[0] }],
      });
      expect(readComtrade(again.cfg, again.dat).data.timeUs).toEqual(r.data.timeUs);
    });
  }
});
