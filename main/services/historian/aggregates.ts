// Downsampled tiers: min/max/sum/count per 1 s bucket (rows of 60 buckets) and per 1 min (rows of 60 buckets),
// so a trend over hours reads a few rows and a two-cycle sag survives as a bucket's min. NaN is counted apart.

export const TIER_RAW = 0;
export const TIER_1S = 1;
export const TIER_1M = 2;
export type Tier = 0 | 1 | 2;

export const BUCKET_MS: Record<Tier, number> = { 0: 0, 1: 1000, 2: 60_000 };
export const ROW_MS: Record<Tier, number> = { 0: 10_000, 1: 60_000, 2: 3_600_000 };
const FIELDS = 5; // bucket start ms, min, max, sum, count of finite values

export interface AggBucket {
  t: number;
  min: number;
  max: number;
  sum: number;
  count: number;
}

/** Open row of buckets for one signal and tier, filled sample by sample and sealed into a blob. */
export class AggRow {
  readonly rowStart: number;
  private readonly rowEnd: number;
  private readonly bucketMs: number; // fields, not table lookups: add() runs for every sample
  private readonly data: Float64Array;
  private readonly used = new Uint8Array(60);
  n = 0; // samples seen, NaN included
  constructor(readonly tier: 1 | 2, t: number) {
    const rowMs = ROW_MS[tier];
    this.bucketMs = BUCKET_MS[tier];
    this.rowStart = Math.floor(t / rowMs) * rowMs;
    this.rowEnd = this.rowStart + rowMs;
    this.data = new Float64Array(60 * FIELDS);
  }
  covers(t: number): boolean {
    return t >= this.rowStart && t < this.rowEnd;
  }
  add(t: number, v: number): void {
    const b = Math.floor((t - this.rowStart) / this.bucketMs);
    const o = b * FIELDS;
    if (!this.used[b]) {
      this.used[b] = 1;
      const d = this.data;
      d[o] = this.rowStart + b * this.bucketMs;
      d[o + 1] = Infinity;
      d[o + 2] = -Infinity;
    }
    this.n++;
    if (v === v) {
      if (v < this.data[o + 1]) this.data[o + 1] = v;
      if (v > this.data[o + 2]) this.data[o + 2] = v;
      this.data[o + 3] += v;
      this.data[o + 4]++;
    }
  }
  /** The blob holds only used buckets, in time order. */
  seal(): { t0: number; t1: number; n: number; data: Uint8Array } {
    const out: number[] = [];
    let t1 = this.rowStart;
    for (let b = 0; b < 60; b++) {
      if (!this.used[b]) continue;
      for (let f = 0; f < FIELDS; f++) out.push(this.data[b * FIELDS + f]);
      t1 = this.rowStart + (b + 1) * this.bucketMs;
    }
    return { t0: this.rowStart, t1, n: this.n, data: new Uint8Array(Float64Array.from(out).buffer) };
  }
}

export function decodeAggBlob(blob: Uint8Array): AggBucket[] {
  const f = new Float64Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength) as ArrayBuffer);
  const out: AggBucket[] = [];
  for (let o = 0; o + FIELDS <= f.length; o += FIELDS) out.push({ t: f[o], min: f[o + 1], max: f[o + 2], sum: f[o + 3], count: f[o + 4] });
  return out;
}
