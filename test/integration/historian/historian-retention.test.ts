import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Historian } from '../../../main/services/historian/historian';
import { frames, tAt, type SimSpec } from './pmu-sim';

const dir = mkdtempSync(join(tmpdir(), 'hist-ret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('historian retention by budget', () => {
  it('deletes the oldest raw chunks first and keeps the file within the budget', async () => {
    const budget = 4 * 2 ** 20;
    const h = await Historian.open(dir, { budgetBytes: budget, commitIntervalMs: 100, retentionIntervalMs: 3_600_000 });
    const spec: SimSpec = { t0: Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000, signals: 10, rate: 60 };
    const n = 30 * 60 * 60; // 30 min × 10 signals ≈ 8 MB of raw at ~8 B/sample
    try {
      for (const f of frames(spec, 0, n, 600)) h.write(f);
      expect((await h.flush()).committed).toBe(true);
      const before = h.readRaw(1, spec.t0, tAt(spec, n)).n;
      expect(before).toBe(n);
      const r = await h.runRetention();
      expect(r!.deletedRows).toBeGreaterThan(0);
      expect(r!.sizeBytes).toBeLessThanOrEqual(budget);
      const size = statSync(h.file).size + (statSync(`${h.file}-wal`, { throwIfNoEntry: false })?.size ?? 0);
      expect(size).toBeLessThanOrEqual(budget);
      for (let sig = 1; sig <= spec.signals; sig++) {
        const c = h.readRaw(sig, spec.t0, tAt(spec, n));
        expect(c.n).toBeGreaterThan(0);
        expect(c.n).toBeLessThan(n);
        // what survives is the newest, contiguous to the end: the oldest went first
        expect(c.tSource[c.n - 1]).toBe(tAt(spec, n - 1));
        for (let i = 1; i < c.n; i++) if (c.tSource[i] <= c.tSource[i - 1]) expect.fail(`gap or reorder at ${i}`);
        expect(c.tSource[0]).toBe(tAt(spec, n - c.n));
      }
      // the coarse tiers still cover the whole half hour
      const q = h.query({ signal: 1, from: spec.t0, to: spec.t0 + 30 * 60_000, pixels: 30 });
      expect(q.source).toBe('1m');
      expect(Array.from(q.count).every((c) => c >= 3500)).toBe(true);
      const f = h.forecast();
      expect(f.rates.rawBytesPerDay).toBeGreaterThan(f.rates.agg1sBytesPerDay);
      expect(f.rawLimitedBy).toBe('budget');
      expect(f.rawDays).toBeLessThan(1);
    } finally {
      await h.close();
    }
  });

  it('drops raw older than its age limit and keeps the aggregates of the same period', async () => {
    const h = await Historian.open(join(dir, 'ages'), { rawMaxAgeDays: 1, retentionIntervalMs: 3_600_000 });
    const old: SimSpec = { t0: Math.floor(Date.now() / 60_000) * 60_000 - 2 * 86_400_000, signals: 2, rate: 60 };
    const recent: SimSpec = { ...old, t0: Math.floor(Date.now() / 60_000) * 60_000 - 600_000 };
    try {
      for (const f of frames(old, 0, 3600, 600)) h.write(f);
      for (const f of frames(recent, 0, 3600, 600)) h.write(f);
      expect((await h.flush()).committed).toBe(true);
      await h.runRetention();
      expect(h.readRaw(1, old.t0, old.t0 + 60_000).n).toBe(0);
      expect(h.readRaw(1, recent.t0, recent.t0 + 60_000).n).toBe(3600);
      const q = h.query({ signal: 1, from: old.t0, to: old.t0 + 60_000, pixels: 60 });
      expect(Array.from(q.count)).toEqual(new Array(60).fill(60));
    } finally {
      await h.close();
    }
  });
});
