// The historian's settings (zod schema for the settings service) and the forecast the Settings pane shows:
// how many days of raw, 1 s and 1 min data the disk budget buys at the current write rate.
import { z } from 'zod';

export const historianSettingsSchema = z.object({
  /** Disk budget for the database and its WAL, bytes. */
  budgetBytes: z.number().int().min(1 << 20).default(20 * 2 ** 30),
  /** Oldest age kept per tier, days; the budget may cut raw (then 1 s, then 1 min) sooner. */
  rawMaxAgeDays: z.number().positive().default(30),
  // 1 s aggregates for a month by default: a year of them for ~200 signals would eat a 20 GiB budget and leave
  // raw nothing (the forecast in the Connections pane showed it); a DSO that wants more raises the budget.
  agg1sMaxAgeDays: z.number().positive().default(30),
  agg1mMaxAgeDays: z.number().positive().default(3650),
  /** Raw data held in memory while the disk refuses writes, seconds of data time; past it only aggregates are kept. */
  bufferSeconds: z.number().int().min(1).max(3600).default(300),
  /** How often sealed chunks are committed, ms (one transaction each time). */
  commitIntervalMs: z.number().int().min(10).max(60_000).default(1000),
  /** How often retention runs, ms. */
  retentionIntervalMs: z.number().int().min(100).default(10_000),
  /** Cap the file at this many pages (SQLite max_page_count): simulates a small disk in tests and drills. */
  maxPages: z.number().int().positive().optional(),
});
export type HistorianSettings = z.infer<typeof historianSettingsSchema>;
export type HistorianSettingsInput = z.input<typeof historianSettingsSchema>;

export interface TierRates {
  rawBytesPerDay: number;
  agg1sBytesPerDay: number;
  agg1mBytesPerDay: number;
}

export interface RetentionForecast {
  rawDays: number;
  agg1sDays: number;
  agg1mDays: number;
  /** Which limit binds the raw tier: its age setting or the budget. */
  rawLimitedBy: 'age' | 'budget';
}

/**
 * Retention deletes raw first, then 1 s, then 1 min, so the budget goes to the coarse tiers first (up to their
 * ages) and raw gets what is left. Rates are bytes/day at the current signal count.
 */
export function forecastRetention(s: Pick<HistorianSettings, 'budgetBytes' | 'rawMaxAgeDays' | 'agg1sMaxAgeDays' | 'agg1mMaxAgeDays'>, r: TierRates): RetentionForecast {
  let left = s.budgetBytes;
  const take = (rate: number, maxDays: number): number => {
    const days = rate > 0 ? Math.min(maxDays, left / rate) : maxDays;
    left = Math.max(0, left - days * rate);
    return days;
  };
  const agg1mDays = take(r.agg1mBytesPerDay, s.agg1mMaxAgeDays);
  const agg1sDays = take(r.agg1sBytesPerDay, s.agg1sMaxAgeDays);
  const rawDays = take(r.rawBytesPerDay, s.rawMaxAgeDays);
  return { rawDays, agg1sDays, agg1mDays, rawLimitedBy: rawDays < s.rawMaxAgeDays ? 'budget' : 'age' };
}
