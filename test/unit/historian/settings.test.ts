import { describe, expect, it } from 'vitest';
import { forecastRetention, historianSettingsSchema } from '../../../main/services/historian/settings';

describe('historian settings and retention forecast', () => {
  it('fills defaults and refuses a budget below 1 MiB or a negative age, naming the field', () => {
    const s = historianSettingsSchema.parse({});
    expect(s.bufferSeconds).toBe(300);
    const bad = historianSettingsSchema.safeParse({ budgetBytes: 10, rawMaxAgeDays: -1 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path[0]).sort()).toEqual(['budgetBytes', 'rawMaxAgeDays']);
  });

  it('gives the coarse tiers their ages first and raw what is left', () => {
    const GB = 2 ** 30;
    const s = { budgetBytes: 100 * GB, rawMaxAgeDays: 30, agg1sMaxAgeDays: 365, agg1mMaxAgeDays: 3650 };
    // 100k samples/s at 8 B ≈ 69 GB/day raw; 1 min needs 7.3 GB for 10 years, 1 s 36.5 GB for a year
    const f = forecastRetention(s, { rawBytesPerDay: 69 * GB, agg1sBytesPerDay: 0.1 * GB, agg1mBytesPerDay: 0.002 * GB });
    expect(f.agg1mDays).toBe(3650);
    expect(f.agg1sDays).toBe(365);
    expect(f.rawDays).toBeCloseTo((100 - 7.3 - 36.5) / 69, 6);
    expect(f.rawLimitedBy).toBe('budget');
    const roomy = forecastRetention(s, { rawBytesPerDay: 1 * GB, agg1sBytesPerDay: 0.01 * GB, agg1mBytesPerDay: 0.001 * GB });
    expect(roomy.rawDays).toBe(30);
    expect(roomy.rawLimitedBy).toBe('age');
    const tiny = forecastRetention({ ...s, budgetBytes: GB }, { rawBytesPerDay: 69 * GB, agg1sBytesPerDay: 0.1 * GB, agg1mBytesPerDay: 0.002 * GB });
    expect(tiny.rawDays).toBe(0);
    expect(tiny.agg1mDays).toBeCloseTo(500, 6); // 1 GB / 2 MB a day: the whole budget goes to 1 min data
    expect(tiny.agg1sDays).toBe(0);
  });
});
