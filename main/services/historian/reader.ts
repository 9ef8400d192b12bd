// Read side of the history file (core thread, its own read-only connection; WAL lets it read while the worker
// writes): raw samples in arrival order, per-pixel min/max/mean from the coarsest tier that still resolves a pixel.
import type Database from 'better-sqlite3';
import { BUCKET_MS, ROW_MS, TIER_1M, TIER_1S, TIER_RAW, decodeAggBlob, type Tier } from './aggregates';
import { AppError } from '../../../shared/errors';
import { decodeChunk, type SampleColumns } from './chunk-codec';
import type { HistEvent } from './records';
import { toEvent } from './records-query';

export interface PixelSeries {
  signal: number;
  from: number;
  to: number;
  source: 'raw' | '1s' | '1m'; // which tier the pixels were built from
  t: Float64Array; // pixel start, ms
  min: Float64Array; // NaN where a pixel has no finite value
  max: Float64Array;
  mean: Float64Array;
  count: Float64Array; // finite samples in the pixel
}

export interface EventWindow {
  event: HistEvent;
  from: number;
  to: number;
  samples: Map<number, SampleColumns>;
}

export interface SeriesQuery {
  signal: number;
  from: number;
  to: number;
  pixels: number;
}

export class HistoryReader {
  private readonly chunksStmt: Database.Statement;
  constructor(readonly db: Database.Database) {
    // chunks never span more than ROW_MS of their tier, so t0 ≥ from - ROW_MS bounds the index scan
    this.chunksStmt = db.prepare('SELECT id, t0, t1, n, data FROM chunks WHERE signal = ? AND tier = ? AND t0 >= ? AND t0 <= ? AND t1 >= ? ORDER BY id');
  }

  private rows(signal: number, tier: Tier, from: number, to: number): { id: number; t0: number; t1: number; n: number; data: Uint8Array }[] {
    return this.chunksStmt.all(signal, tier, from - ROW_MS[tier], to, from) as never;
  }

  /** Every raw sample of a signal with from ≤ tSource ≤ to, in the order it arrived. */
  raw(signal: number, from: number, to: number): SampleColumns {
    const parts = this.rows(signal, TIER_RAW, from, to).map((r) => decodeChunk(r.data, `chunk ${r.id} (signal ${signal})`));
    let n = 0;
    for (const p of parts) for (let i = 0; i < p.n; i++) if (p.tSource[i] >= from && p.tSource[i] <= to) n++;
    const out: SampleColumns = { n, tSource: new Float64Array(n), tServer: new Float64Array(n), value: new Float64Array(n), status: new Uint32Array(n) };
    let k = 0;
    for (const p of parts) {
      for (let i = 0; i < p.n; i++) {
        if (!(p.tSource[i] >= from && p.tSource[i] <= to)) continue;
        out.tSource[k] = p.tSource[i];
        out.tServer[k] = p.tServer[i];
        out.value[k] = p.value[i];
        out.status[k++] = p.status[i];
      }
    }
    return out;
  }

  /**
   * Per-pixel min/max/mean/count: pixels ≥ 1 min read the 1 min tier, ≥ 1 s the 1 s tier, finer ones raw, so
   * extremes always come from every sample (a bucket's min is the min of all its samples).
   */
  series(q: SeriesQuery): PixelSeries {
    const px = Math.max(1, Math.floor(q.pixels));
    const w = (q.to - q.from) / px;
    const out: PixelSeries = {
      signal: q.signal, from: q.from, to: q.to, source: 'raw',
      t: Float64Array.from({ length: px }, (_, i) => q.from + i * w),
      min: new Float64Array(px).fill(Number.NaN), max: new Float64Array(px).fill(Number.NaN),
      mean: new Float64Array(px), count: new Float64Array(px),
    };
    const sum = new Float64Array(px);
    const put = (t: number, lo: number, hi: number, s: number, c: number): void => {
      if (c === 0 || t >= q.to) return;
      const i = Math.min(px - 1, Math.max(0, Math.floor((t - q.from) / w)));
      if (!(out.min[i] <= lo)) out.min[i] = lo;
      if (!(out.max[i] >= hi)) out.max[i] = hi;
      sum[i] += s;
      out.count[i] += c;
    };
    const tier: Tier = w >= BUCKET_MS[TIER_1M] ? TIER_1M : w >= BUCKET_MS[TIER_1S] ? TIER_1S : TIER_RAW;
    if (tier === TIER_RAW) {
      const r = this.raw(q.signal, q.from, q.to);
      for (let i = 0; i < r.n; i++) if (r.value[i] === r.value[i]) put(r.tSource[i], r.value[i], r.value[i], r.value[i], 1);
    } else {
      out.source = tier === TIER_1M ? '1m' : '1s';
      const bw = BUCKET_MS[tier];
      for (const row of this.rows(q.signal, tier, q.from, q.to)) {
        for (const b of decodeAggBlob(row.data)) if (b.t + bw > q.from && b.t < q.to) put(Math.max(b.t, q.from), b.min, b.max, b.sum, b.count);
      }
    }
    for (let i = 0; i < px; i++) out.mean[i] = out.count[i] ? sum[i] / out.count[i] : Number.NaN;
    return out;
  }

  /** Bytes/day per tier over the most recent `windowMs` of data (for the retention forecast). */
  ratePerDay(windowMs = 3_600_000): Record<Tier, number> {
    const res = { 0: 0, 1: 0, 2: 0 } as Record<Tier, number>;
    for (const tier of [TIER_RAW, TIER_1S, TIER_1M] as Tier[]) {
      const last = (this.db.prepare('SELECT max(t1) AS m FROM chunks WHERE tier = ?').get(tier) as { m: number | null }).m;
      if (last === null) continue;
      const span = Math.max(windowMs, ROW_MS[tier]);
      const r = this.db.prepare('SELECT sum(length(data) + 48) AS b, min(t0) AS a FROM chunks WHERE tier = ? AND t1 > ?').get(tier, last - span) as { b: number; a: number };
      const covered = Math.max(ROW_MS[tier], last - Math.max(r.a, last - span));
      res[tier] = (r.b / covered) * 86_400_000;
    }
    return res;
  }

  eventWindow(eventId: number, opts: { preMs?: number; postMs?: number; signals?: number[] }): EventWindow {
    const row = this.db.prepare('SELECT * FROM events WHERE id = ?').get(eventId) as Record<string, unknown> | undefined;
    if (!row) throw new AppError('NOT_FOUND', `no event ${eventId}`);
    const event = toEvent(row);
    const from = event.t - (opts.preMs ?? 2000);
    const to = (event.tEnd ?? event.t) + (opts.postMs ?? 5000);
    const samples = new Map<number, SampleColumns>();
    for (const s of opts.signals ?? event.signals ?? []) samples.set(s, this.raw(s, from, to));
    return { event, from, to, samples };
  }
}
