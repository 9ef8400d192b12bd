import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Historian } from '../../../main/services/historian/historian';
import type { AlarmRecord } from '../../../main/services/historian/records';
import { frames, tAt, type SimSpec } from './pmu-sim';

const root = mkdtempSync(join(tmpdir(), 'hist-fail-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const until = async (check: () => boolean, ms = 10_000): Promise<void> => {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('historian failure handling', () => {
  it('disk full: alarm, bounded buffer, dropped raw counted with 1 s aggregates kept, recovery with nothing acknowledged lost', async () => {
    const dir = join(root, 'full');
    const spec: SimSpec = { t0: Math.floor(Date.now() / 1000) * 1000 - 3_600_000, signals: 4, rate: 60 };
    const h = await Historian.open(dir, { bufferSeconds: 60, commitIntervalMs: 50 });
    const alarms: AlarmRecord[] = [];
    h.on('alarm', (a) => alarms.push(a));
    try {
      for (const f of frames(spec, 0, 3600, 60)) h.write(f); // 1 min acknowledged
      expect((await h.flush()).committed).toBe(true);
      h.configure({ maxPages: 1 }); // SQLite keeps max_page_count ≥ the current size: the "disk" is now full
      for (const f of frames(spec, 3600, 3600 + 3 * 3600, 60)) h.write(f); // 3 more minutes: more than the 60 s buffer
      const degraded = await h.flush();
      expect(degraded.committed).toBe(false);
      expect(degraded.stats.state).toBe('degraded');
      expect(degraded.stats.rawDropped).toBeGreaterThan(0);
      expect(alarms.map((a) => [a.code, a.state])).toContainEqual(['HISTORIAN_DISK_FULL', 'raised']);
      expect(alarms.map((a) => a.code)).toContain('HISTORIAN_RAW_DROPPED');
      // the acknowledged minute is intact and readable while the disk is full
      expect(h.readRaw(1, spec.t0, tAt(spec, 3599)).n).toBe(3600);

      h.configure({ maxPages: 1_000_000 }); // space comes back
      await until(() => alarms.some((a) => a.code === 'HISTORIAN_DISK_FULL' && a.state === 'cleared'));
      const ok = await h.flush();
      expect(ok.committed).toBe(true);
      const all = h.readRaw(1, spec.t0, tAt(spec, 4 * 3600));
      const dropped = ok.stats.rawDropped / spec.signals;
      expect(all.n).toBe(4 * 3600 - dropped); // everything not reported dropped is there
      expect(all.tSource[all.n - 1]).toBe(tAt(spec, 4 * 3600 - 1)); // the newest buffered data survived
      expect(dropped).toBeGreaterThan(0);
      expect(dropped).toBeLessThanOrEqual(3 * 3600 - 60 * 60); // at most what exceeded the 60 s buffer
      // the dropped range still has its 1 s aggregates: every 1 s pixel of the outage has samples counted
      const q = h.query({ signal: 1, from: tAt(spec, 3600), to: tAt(spec, 3600) + 180_000, pixels: 180 });
      expect(q.source).toBe('1s');
      expect(Array.from(q.count).filter((c) => c === 0)).toEqual([]);
      // and the alarms reached the alarms table once the file took writes again
      expect(h.queryAlarms({ codes: ['HISTORIAN_DISK_FULL'] }).map((a) => a.state)).toEqual(['raised', 'cleared']);
    } finally {
      await h.close();
    }
  });

  it('corrupt file: reported as an alarm, moved aside, recording continues', async () => {
    const dir = join(root, 'corrupt');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'history.db'), Buffer.alloc(64 * 1024, 0x5a));
    const h = await Historian.open(dir);
    try {
      expect(h.startupAlarms.map((a) => a.code)).toEqual(['HISTORIAN_CORRUPT']);
      expect(readdirSync(dir).some((f) => f.startsWith('history.db.corrupt-'))).toBe(true);
      const spec: SimSpec = { t0: Math.floor(Date.now() / 1000) * 1000 - 60_000, signals: 2, rate: 60 };
      for (const f of frames(spec, 0, 600, 60)) h.write(f);
      expect((await h.flush()).committed).toBe(true);
      expect(h.readRaw(2, spec.t0, spec.t0 + 60_000).n).toBe(600);
      expect(h.queryAlarms({ codes: ['HISTORIAN_CORRUPT'] })).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('locked file: alarm while another process holds the write lock, then catches up', async () => {
    const dir = join(root, 'locked');
    const h = await Historian.open(dir, { commitIntervalMs: 50 });
    const alarms: AlarmRecord[] = [];
    h.on('alarm', (a) => alarms.push(a));
    const spec: SimSpec = { t0: Math.floor(Date.now() / 1000) * 1000 - 60_000, signals: 2, rate: 60 };
    const other = new Database(join(dir, 'history.db'));
    try {
      other.exec('BEGIN IMMEDIATE'); // the other writer holds the lock
      for (const f of frames(spec, 0, 600, 60)) h.write(f);
      expect((await h.flush()).committed).toBe(false);
      expect(alarms.map((a) => a.code)).toContain('HISTORIAN_LOCKED');
      other.exec('ROLLBACK');
      await until(() => alarms.some((a) => a.code === 'HISTORIAN_LOCKED' && a.state === 'cleared'));
      expect(h.readRaw(1, spec.t0, spec.t0 + 60_000).n).toBe(600);
    } finally {
      other.close();
      await h.close();
    }
    expect(existsSync(join(dir, 'history.db'))).toBe(true);
  });

  it('bad frames: refused with an alarm naming the fault, counted, and the good ones around them kept', async () => {
    const h = await Historian.open(join(root, 'bad-frames'));
    const alarms: AlarmRecord[] = [];
    h.on('alarm', (a) => alarms.push(a));
    try {
      const spec: SimSpec = { t0: Math.floor(Date.now() / 1000) * 1000 - 60_000, signals: 2, rate: 60 };
      const good = [...frames(spec, 0, 600, 60)];
      h.write(good[0]);
      h.write(new Uint8Array([1, 2, 3]));
      const torn = good[1].slice(0, good[1].length - 8);
      h.write(torn);
      for (const f of good.slice(1)) h.write(f);
      const r = await h.flush();
      expect(r.stats.badFrames).toBe(2);
      expect(alarms.find((a) => a.code === 'HISTORIAN_BAD_FRAME')?.message).toMatch(/bad telemetry frame: shorter than its header/);
      expect(h.readRaw(1, spec.t0, spec.t0 + 60_000).n).toBe(600);
    } finally {
      await h.close();
    }
  });
});
