// Every region boundary of every category (inside and outside each edge, both ends of the sloped lines), checked
// against numbers transcribed independently from shared/data/ieee1547-2018.md, plus settings validation.
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors';
import { categoryRules, derSettings, IEEE1547_2018, listDisputes, minTimeS, regionOf, registerRuleSet, resolveRuleSet, syncLimitFor, type Category, type RawRuleSet } from '../../../shared/grid/ieee1547';

const E = 1e-6;
type Case = [number, string, number]; // value, mode, minimum time (s; Infinity for continuous / not required)
const INF = Number.POSITIVE_INFINITY;
const HV_I_II: Case[] = [
  [1.1, 'continuous', INF], [1.1 + E, 'permissive', 1], [1.15, 'permissive', 1], [1.15 + E, 'permissive', 0.5],
  [1.175, 'permissive', 0.5], [1.175 + E, 'permissive', 0.2], [1.2, 'permissive', 0.2], [1.2 + E, 'notRequired', INF],
];
const VOLTAGE: Record<Category, Case[]> = {
  I: [
    [0.5 - E, 'notRequired', INF], [0.5, 'permissive', 0.16], [0.7 - E, 'permissive', 0.16],
    [0.7, 'mandatory', 0.7], [0.88 - E, 'mandatory', 1.42], [0.88, 'continuous', INF], ...HV_I_II,
  ],
  II: [
    [0.3 - E, 'notRequired', INF], [0.3, 'permissive', 0.16], [0.45 - E, 'permissive', 0.16], [0.45, 'permissive', 0.32],
    [0.65 - E, 'permissive', 0.32], [0.65, 'mandatory', 3], [0.88 - E, 'mandatory', 5.001], [0.88, 'continuous', INF], ...HV_I_II,
  ],
  III: [
    [0.5 - E, 'momentaryCessation', 1], [0.5, 'mandatory', 10], [0.7 - E, 'mandatory', 10], [0.7, 'mandatory', 20],
    [0.88 - E, 'mandatory', 20], [0.88, 'continuous', INF], [1.1, 'continuous', INF], [1.1 + E, 'momentaryCessation', 12],
    [1.2, 'momentaryCessation', 12], [1.2 + E, 'notRequired', INF],
  ],
};
const FREQUENCY: Case[] = [
  [57 - E, 'notRequired', INF], [57, 'mandatory', 299], [58.8 - E, 'mandatory', 299], [58.8, 'continuous', INF],
  [61.2, 'continuous', INF], [61.2 + E, 'mandatory', 299], [61.8, 'mandatory', 299], [61.8 + E, 'notRequired', INF],
];

const rules = resolveRuleSet('ieee1547-2018');

describe('IEEE 1547-2018 ride-through regions', () => {
  for (const cat of ['I', 'II', 'III'] as Category[]) {
    it.each(VOLTAGE[cat])(`Category ${cat}: V = %f p.u. is %s with minimum %f s`, (v, mode, t) => {
      const g = regionOf(categoryRules(rules, cat).voltage, v);
      expect(g?.mode).toBe(mode);
      expect(minTimeS(g!.minTime, v)).toBeCloseTo(t, 4);
    });
    it.each(FREQUENCY)(`Category ${cat}: f = %f Hz is %s with minimum %f s`, (f, mode, t) => {
      const g = regionOf(categoryRules(rules, cat).frequency, f);
      expect(g?.mode).toBe(mode);
      expect(minTimeS(g!.minTime, f)).toBeCloseTo(t, 6);
    });
  }
  it('covers every value with exactly one region (no holes, no overlaps)', () => {
    for (const cat of ['I', 'II', 'III'] as Category[]) {
      const c = categoryRules(rules, cat);
      const bad: number[] = [];
      for (let v = 0; v <= 1.5; v += 0.0025) if (c.voltage.filter((g) => regionOf([g], v)).length !== 1) bad.push(v);
      for (let f = 50; f <= 70; f += 0.01) if (c.frequency.filter((g) => regionOf([g], f)).length !== 1) bad.push(f);
      expect(bad).toEqual([]);
    }
  });
  it('RoCoF limits are 0.5 / 2.0 / 3.0 Hz/s (Table 21)', () => {
    expect((['I', 'II', 'III'] as Category[]).map((c) => categoryRules(rules, c).rocofLimitHzPerS)).toEqual([0.5, 2, 3]);
  });
});

describe('disputed numbers: provenance and alternatives chosen by settings', () => {
  it('lists every ⚠ dispute of the data file with its alternatives', () => {
    const ids = listDisputes(IEEE1547_2018).map((d) => d.id).sort();
    expect(ids).toEqual(['catI.lvMandatory', 'catII.UV2.pickupRange', 'catIII.UV1.clearingRange', 'catIII.lvMandatory2', 'rocofWindow']);
  });
  it('Category I sloped line ends at 1.5 s with S3 chosen, 1.42 s by default', () => {
    const alt = categoryRules(resolveRuleSet('ieee1547-2018', { 'catI.lvMandatory': 'S3' }), 'I').voltage;
    expect(minTimeS(regionOf(alt, 0.88 - E)!.minTime, 0.88 - E)).toBeCloseTo(1.5, 4);
    expect(minTimeS(regionOf(alt, 0.7)!.minTime, 0.7)).toBeCloseTo(0.7, 6);
  });
  it('Category III 0.70–0.88 p.u. is 21 s with S3 chosen', () => {
    const alt = categoryRules(resolveRuleSet('ieee1547-2018', { 'catIII.lvMandatory2': 'S3' }), 'III').voltage;
    expect(minTimeS(regionOf(alt, 0.8)!.minTime, 0.8)).toBe(21);
    expect(resolveRuleSet('ieee1547-2018', { 'catIII.lvMandatory2': 'S3' }).choices.find((c) => c.id === 'catIII.lvMandatory2')?.provenance).toMatch(/PyDSS/);
  });
  it('refuses unknown dispute ids and alternative keys', () => {
    expect(() => resolveRuleSet('ieee1547-2018', { 'catI.nope': 'S3' })).toThrow(/no disputed number/);
    expect(() => resolveRuleSet('ieee1547-2018', { 'catI.lvMandatory': 'S9' })).toThrow(/no alternative "S9"/);
    expect(() => resolveRuleSet('en-nothing')).toThrow(/unknown rule set/);
  });
});

describe('per-DER settings against the allowable ranges (Tables 11–13, 18)', () => {
  const err = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e;
    }
    throw new Error('expected an error');
  };
  it('names the setting and its range when an override is out of range', () => {
    const e = err(() => derSettings(rules, { category: 'II', overrides: { OV1: { clearingS: 14 } } }));
    expect(isAppError(e, 'INVALID_ARGUMENT')).toBe(true);
    expect((e as { info: Record<string, unknown> }).info).toMatchObject({ setting: 'OV1.clearingS', range: [1, 13], category: 'II' });
    expect((e as Error).message).toMatch(/OV1\.clearingS = 14 s .* 1–13 s/);
  });
  it('OV2 is fixed: any other pickup or clearing time is refused', () => {
    expect(() => derSettings(rules, { category: 'I', overrides: { OV2: { pickup: 1.19 } } })).toThrow(/OV2\.pickup/);
    expect(() => derSettings(rules, { category: 'I', overrides: { OV2: { clearingS: 0.2 } } })).toThrow(/OV2\.clearingS/);
  });
  it('Category III UV1 clearing 10 s is refused by S1 (21–50 s) and accepted with the S3 range chosen', () => {
    expect(() => derSettings(rules, { category: 'III', overrides: { UV1: { clearingS: 10 } } })).toThrow(/21–50 s/);
    const s3 = resolveRuleSet('ieee1547-2018', { 'catIII.UV1.clearingRange': 'S3' });
    expect(derSettings(s3, { category: 'III', overrides: { UV1: { clearingS: 10 } } }).trips.find((t) => t.fn === 'UV1')?.clearingS).toBe(10);
  });
  it('Category II UV2 0.48 p.u. is allowed by S1, refused with the S3 range', () => {
    expect(derSettings(rules, { category: 'II', overrides: { UV2: { pickup: 0.48 } } }).trips.find((t) => t.fn === 'UV2')).toMatchObject({ pickup: 0.48, overridden: true });
    expect(() => derSettings(resolveRuleSet('ieee1547-2018', { 'catII.UV2.pickupRange': 'S3' }), { category: 'II', overrides: { UV2: { pickup: 0.48 } } })).toThrow(/0–0\.45 p\.u\./);
  });
  it('frequency overrides: UF1 at 59.5 Hz is above its 50–59 Hz range; NaN is refused', () => {
    expect(() => derSettings(rules, { category: 'I', overrides: { UF1: { pickup: 59.5 } } })).toThrow(/UF1\.pickup .* 50–59 Hz/);
    expect(() => derSettings(rules, { category: 'I', overrides: { OF1: { clearingS: Number.NaN } } })).toThrow(/OF1\.clearingS/);
  });
  it('defaults differ by category (UV1 2 / 10 / 21 s; Cat III UV2 0.50 / 2 s)', () => {
    const uv1 = (c: Category) => derSettings(rules, { category: c }).trips.find((t) => t.fn === 'UV1')!;
    expect([uv1('I').clearingS, uv1('II').clearingS, uv1('III').clearingS]).toEqual([2, 10, 21]);
    expect(derSettings(rules, { category: 'III' }).trips.find((t) => t.fn === 'UV2')).toMatchObject({ pickup: 0.5, clearingS: 2 });
  });
  it('synchronization limits by rating (weakly sourced table)', () => {
    expect(syncLimitFor(rules, 500)).toMatchObject({ dfHz: 0.3, dvPct: 10, dPhiDeg: 20 });
    expect(syncLimitFor(rules, 501)).toMatchObject({ dfHz: 0.2, dvPct: 5, dPhiDeg: 15 });
    expect(syncLimitFor(rules, 5000)).toMatchObject({ dfHz: 0.1, dvPct: 3, dPhiDeg: 10 });
    expect(rules.sync.provenance).toMatch(/weakly/);
  });
  it('admits another rule set as data (a 50 Hz set with its own bands)', () => {
    const fifty: RawRuleSet = {
      ...IEEE1547_2018,
      id: 'test-50hz',
      f0: 50,
      categories: { II: { ...IEEE1547_2018.categories.II!, frequency: IEEE1547_2018.categories.II!.frequency.map((g) => ({ ...g, lo: (g.lo as number) - 10, hi: (g.hi as number) - 10 })) } },
    };
    registerRuleSet(fifty);
    const r = resolveRuleSet('test-50hz');
    expect(regionOf(categoryRules(r, 'II').frequency, 49.5)?.mode).toBe('continuous');
    expect(() => categoryRules(r, 'I')).toThrow(/no Category I/);
  });
});
