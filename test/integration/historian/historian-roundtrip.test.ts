import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Historian } from '../../../main/services/historian/historian';
import { frames, serverAt, statusAt, tAt, valueAt, type SimSpec } from './pmu-sim';

const dir = mkdtempSync(join(tmpdir(), 'hist-rt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('historian round trip at full rate', () => {
  const HOURS = 2;
  const spec: SimSpec = { t0: Math.floor(Date.now() / 1000) * 1000 - HOURS * 3_600_000, signals: 20, rate: 60, sag: { signal: 3, atMs: 0, cycles: 2, depth: 0.3 } };
  const n = HOURS * 3600 * spec.rate;
  spec.sag!.atMs = tAt(spec, Math.floor(n * 0.37)) + 0.5;

  it(`stores ${HOURS} h × 20 signals × 60/s and reads every sample back bit-exact, in order`, async () => {
    const h = await Historian.open(dir, { commitIntervalMs: 200 });
    try {
      const t = Date.now();
      for (const f of frames(spec, 0, n, 60)) h.write(f);
      const fl = await h.flush();
      const writeMs = Date.now() - t;
      expect(fl.committed).toBe(true);
      expect(fl.stats.samplesCommitted).toBe(n * spec.signals);
      expect(fl.stats.rawDropped).toBe(0);
      console.log(`wrote ${n * spec.signals} samples in ${writeMs} ms`);

      for (let sig = 1; sig <= spec.signals; sig++) {
        const c = h.readRaw(sig, spec.t0, tAt(spec, n));
        expect(c.n).toBe(n);
        let bad = -1;
        for (let i = 0; i < n && bad < 0; i++) {
          const v = valueAt(spec, sig, i);
          const same = Number.isNaN(v) ? Number.isNaN(c.value[i]) : c.value[i] === v;
          if (!same || c.tSource[i] !== tAt(spec, i) || c.tServer[i] !== serverAt(spec, sig, i) || c.status[i] !== statusAt(sig, i)) bad = i;
        }
        expect(bad, `signal ${sig} first mismatch`).toBe(-1);
      }
    } finally {
      await h.close();
    }
    // after close the WAL is checkpointed into the file: what remains is the true cost per sample
    const bytesPerSample = statSync(join(dir, 'history.db')).size / (n * spec.signals);
    console.log(`${bytesPerSample.toFixed(2)} B/sample on disk`);
    expect(bytesPerSample).toBeLessThan(9); // f32 noise + 1.6 ms latency jitter: ~2 B value, ~4 B times, ~0.7 B aggregates
  });

  it('keeps a two-cycle sag visible at 1000 px over 1 h, and on the 24 h tier', async () => {
    const h = await Historian.open(dir);
    try {
      const from = spec.sag!.atMs - 1_800_000;
      const q = h.query({ signal: 3, from, to: from + 3_600_000, pixels: 1000 });
      expect(q.source).toBe('1s');
      const lowest = Math.min(...Array.from(q.min).filter(Number.isFinite));
      expect(lowest).toBeCloseTo(Math.fround(7200 * 0.7), 3);
      const px = Math.floor((Math.floor(spec.sag!.atMs / 1000) * 1000 - from) / 3600); // the pixel of the sag's 1 s bucket
      expect(q.min[px]).toBeCloseTo(Math.fround(7200 * 0.7), 3);
      // neighbours on both sides show normal voltage: the sag is not smeared
      expect(q.min[px - 2]).toBeGreaterThan(7000);
      expect(q.min[px + 2]).toBeGreaterThan(7000);
      const day = h.query({ signal: 3, from: spec.t0 - 20 * 3_600_000, to: spec.t0 + 4 * 3_600_000, pixels: 1000 });
      expect(day.source).toBe('1m');
      expect(Math.min(...Array.from(day.min).filter(Number.isFinite))).toBeCloseTo(Math.fround(7200 * 0.7), 3);
      // and the count over the pixels equals every finite sample stored
      const total = Array.from(day.count).reduce((a, b) => a + b, 0);
      let finite = 0;
      for (let i = 0; i < n; i++) if (!Number.isNaN(valueAt(spec, 3, i))) finite++;
      expect(total).toBe(finite);
      // a sub-second pixel reads raw samples and finds the same minimum
      const fine = h.query({ signal: 3, from: spec.sag!.atMs - 500, to: spec.sag!.atMs + 500, pixels: 1000 });
      expect(fine.source).toBe('raw');
      expect(Math.min(...Array.from(fine.min).filter(Number.isFinite))).toBeCloseTo(Math.fround(7200 * 0.7), 3);
    } finally {
      await h.close();
    }
  });
});
