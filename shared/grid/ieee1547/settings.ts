// Per-DER protection settings: the category's defaults with utility overrides, each checked against the rule
// set's allowable range so an out-of-range setting fails with an AppError naming the setting and its range.
import { AppError } from '../../errors';
import { categoryRules } from './resolve';
import type { Category, RuleSet, TripFunction, TripRule, TripSetting } from './types';

export interface DerSettingsInput {
  category: Category;
  overrides?: Partial<Record<TripFunction, Partial<TripSetting>>>;
}

export interface EffectiveTrip extends TripSetting {
  fn: TripFunction;
  quantity: 'V' | 'f';
  direction: 'over' | 'under';
  overridden: boolean;
}

export interface DerSettings {
  category: Category;
  rulesId: string;
  trips: EffectiveTrip[];
}

function check(fn: TripFunction, field: 'pickup' | 'clearingS', value: number, range: [number, number], category: Category, rulesId: string): void {
  const [lo, hi] = range;
  const unit = field === 'clearingS' ? 's' : fn[1] === 'V' ? 'p.u.' : 'Hz';
  if (!Number.isFinite(value) || value < lo - 1e-12 || value > hi + 1e-12) {
    throw new AppError('INVALID_ARGUMENT', `${fn}.${field} = ${value} ${unit} is outside the allowable range ${lo}–${hi} ${unit} for Category ${category} (${rulesId})`, {
      setting: `${fn}.${field}`,
      value,
      range: [lo, hi],
      unit,
      category,
      rules: rulesId,
    });
  }
}

/** Builds a DER's effective trip settings; throws INVALID_ARGUMENT naming the offending setting and its range. */
export function derSettings(rules: RuleSet, input: DerSettingsInput): DerSettings {
  const cat = categoryRules(rules, input.category);
  const overrides = input.overrides ?? {};
  for (const fn of Object.keys(overrides)) {
    if (!cat.trips.some((t) => t.fn === fn)) throw new AppError('INVALID_ARGUMENT', `unknown trip function "${fn}"`, { setting: fn, known: cat.trips.map((t) => t.fn) });
  }
  const trips = cat.trips.map((t: TripRule): EffectiveTrip => {
    const o = overrides[t.fn] ?? {};
    const pickup = o.pickup ?? t.default.pickup;
    const clearingS = o.clearingS ?? t.default.clearingS;
    if (o.pickup !== undefined) check(t.fn, 'pickup', pickup, t.pickupRange, input.category, rules.id);
    if (o.clearingS !== undefined) check(t.fn, 'clearingS', clearingS, t.clearingRange, input.category, rules.id);
    return { fn: t.fn, quantity: t.quantity, direction: t.direction, pickup, clearingS, overridden: o.pickup !== undefined || o.clearingS !== undefined };
  });
  return { category: input.category, rulesId: rules.id, trips };
}

/** Synchronization limits for a DER of the given aggregate rating (⚠ weakly sourced; see the rule set's provenance). */
export function syncLimitFor(rules: RuleSet, ratingKva: number): RuleSet['sync']['limits'][number] {
  const hit = rules.sync.limits.find((l) => ratingKva <= l.maxKva);
  if (!hit || !(ratingKva >= 0)) throw new AppError('INVALID_ARGUMENT', `rating ${ratingKva} kVA has no synchronization limit`, { setting: 'ratingKva', value: ratingKva });
  return hit;
}
