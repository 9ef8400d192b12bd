import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readComtrade } from '../../../shared/comtrade';
import type { SignalInfo } from '../../../shared/domain/signals';
import { Historian } from '../../../main/services/historian/historian';
import { frames, statusAt, tAt, valueAt, type SimSpec } from './pmu-sim';

const dir = mkdtempSync(join(tmpdir(), 'hist-rec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const catalogue: SignalInfo[] = [1, 2, 3].map((id) => ({ id, key: `pmu/PMU_150/V${'ABC'[id - 1]}.mag`, kind: 'pmu', element: 'PMU_150', quantity: 'Vmag', phase: 'ABC'[id - 1] as 'A', unit: 'V' }));

describe('historian events, journal, playback and export', () => {
  it('stores and filters events, alarms and journal; plays back and exports an event window', async () => {
    const h = await Historian.open(dir);
    const spec: SimSpec = { t0: Math.floor(Date.now() / 1000) * 1000 - 600_000, signals: 3, rate: 60, sag: { signal: 2, atMs: 0, cycles: 2, depth: 0.4 } };
    const n = 60 * 60 * 5;
    spec.sag!.atMs = tAt(spec, 9000);
    try {
      for (const f of frames(spec, 0, n, 60)) h.write(f);
      const sagId = await h.appendEvent({ t: spec.sag!.atMs, tEnd: spec.sag!.atMs + 33.4, kind: 'sag', severity: 'alarm', source: 'PMU_150', signals: [1, 2, 3], message: 'Phase B sag to 0.6 pu' });
      await h.appendEvent({ t: spec.t0 + 10_000, kind: 'swell', severity: 'warning', source: 'PMU_150', signals: [1] });
      await h.appendEvent({ t: spec.t0 + 20_000, kind: 'trip', severity: 'critical', source: 'PV_64' });
      await h.appendJournal({ t: spec.t0 + 5000, user: 'ana', action: 'breaker.open', target: 'BRK_650', outcome: 'ok' });
      await h.appendJournal({ t: spec.t0 + 6000, user: 'bo', action: 'breaker.close', target: 'BRK_650', outcome: 'denied', details: { reason: 'sync-check' } });
      await h.appendAlarm({ t: spec.t0 + 7000, code: 'V_LOW', severity: 'alarm', source: 'PMU_150', message: 'VB low', state: 'raised' });
      expect((await h.flush()).committed).toBe(true);

      expect(h.queryEvents({ kinds: ['sag', 'trip'] }).map((e) => e.kind)).toEqual(['trip', 'sag']);
      expect(h.queryEvents({ signal: 1 }).map((e) => e.kind)).toEqual(['swell', 'sag']);
      expect(h.queryEvents({ from: spec.t0 + 15_000, severities: ['critical'] }).map((e) => e.source)).toEqual(['PV_64']);
      expect(h.queryEvents({ text: 'phase b' })[0].id).toBe(sagId);
      expect(h.queryJournal({ outcome: 'denied' }).map((j) => [j.user, j.details])).toEqual([['bo', { reason: 'sync-check' }]]);
      expect(h.queryJournal({ order: 'desc', limit: 1 })[0].user).toBe('bo');
      expect(h.queryAlarms({ codes: ['V_LOW'], states: ['raised'] })).toHaveLength(1);

      const w = h.eventWindow(sagId, { preMs: 1000, postMs: 1000 });
      const b = w.samples.get(2)!;
      expect(b.n).toBe(123); // 60 samples before, the one at t, 62 up to tEnd + 1 s (1033.4 ms)
      expect(Math.min(...Array.from(b.value))).toBe(Math.fround(7200 * 0.6));

      const csvPath = join(dir, 'out.csv');
      const rows = h.exportCsv(csvPath, [1, 2], w.from, w.to, catalogue);
      const lines = readFileSync(csvPath, 'utf8').trim().split('\n');
      expect(lines[0]).toBe('signal,key,unit,t_source_ms,t_source_iso,t_server_ms,value,status');
      expect(lines.length - 1).toBe(rows);
      for (const line of lines.slice(1)) {
        const [sig, key, , t, iso, , v, st] = line.split(',');
        const i = Math.round(((Number(t) - spec.t0) * 60) / 1000);
        expect(Number(t)).toBe(tAt(spec, i));
        expect(new Date(iso).getTime()).toBe(Math.floor(Number(t)));
        expect(key).toBe(catalogue[Number(sig) - 1].key);
        const want = valueAt(spec, Number(sig), i);
        expect(Number.isNaN(want) ? v : Number(v)).toBe(Number.isNaN(want) ? 'NaN' : want);
        expect(Number(st)).toBe(statusAt(Number(sig), i));
      }

      for (const format of ['FLOAT32', 'ASCII', 'BINARY'] as const) {
        const out = h.exportComtrade({ eventId: sagId, preMs: 1000, postMs: 1000, dir, name: `sag-${format}`, format, catalogue });
        const rec = readComtrade(readFileSync(out.cfgPath, 'latin1'), readFileSync(out.datPath), 'sag');
        expect(rec.config.analogs.map((a) => a.id)).toEqual(catalogue.map((c) => c.key));
        expect(rec.data.sample.length).toBe(123);
        expect(rec.config.triggerMs).toBeCloseTo(spec.sag!.atMs, 3);
        for (let k = 0; k < 123; k++) {
          const i = Math.round(((rec.config.startMs + rec.data.timeUs[k] / 1000 - spec.t0) * 60) / 1000);
          const want = valueAt(spec, 2, i);
          const tol = format === 'BINARY' ? 0.05 : 1e-6;
          if (!Number.isNaN(want)) expect(Math.abs(rec.data.analog[1][k] - want)).toBeLessThanOrEqual(tol);
        }
      }
    } finally {
      await h.close();
    }
  });
});
