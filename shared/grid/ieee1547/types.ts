// Rule sets as data: ride-through regions, trip functions and limits of an interconnection standard.
// A raw rule set may carry disputed numbers (⚠ in shared/data) with provenance; resolve() picks one per dispute.

export type Category = 'I' | 'II' | 'III';
export type Side = 'low' | 'high';
/** Operating modes of IEEE 1547-2018 §6.4; 'notRequired' is beyond the ride-through curves (trip allowed). */
export type Mode = 'continuous' | 'mandatory' | 'permissive' | 'momentaryCessation' | 'notRequired';
export type TripFunction = 'OV2' | 'OV1' | 'UV1' | 'UV2' | 'OF2' | 'OF1' | 'UF1' | 'UF2';
export const TRIP_FUNCTIONS: readonly TripFunction[] = ['OV2', 'OV1', 'UV1', 'UV2', 'OF2', 'OF1', 'UF1', 'UF2'];

/** A number the sources disagree on: the value we default to, why, and the alternatives settings may choose. */
export interface Disputed<T> {
  disputed: true;
  id: string; // stable key used by settings, e.g. "catI.lvMandatory.slope"
  value: T;
  provenance: string;
  alternatives: Array<{ key: string; value: T; provenance: string }>;
}
export type Maybe<T> = T | Disputed<T>;

/** Minimum ride-through time: fixed, infinite, or a sloped line T(V) = t0 + slope·(V − v0) in seconds. */
export type MinTime = { kind: 'infinite' } | { kind: 'fixed'; s: number } | { kind: 'sloped'; v0: number; t0: number; slope: number };

/** One band of a ride-through table; bounds in p.u. (voltage) or Hz (frequency). */
export interface Region<N = number, T = MinTime> {
  id: string;
  mode: Mode;
  lo: N; // -Infinity for the open bottom band
  hi: N; // +Infinity for the open top band
  loClosed: boolean;
  hiClosed: boolean;
  minTime: T;
  sources: string;
}

export interface TripSetting {
  pickup: number; // p.u. for voltage, Hz for frequency
  clearingS: number;
}
export interface TripRule<N = number> {
  fn: TripFunction;
  quantity: 'V' | 'f';
  direction: 'over' | 'under';
  default: TripSetting;
  pickupRange: [N, N]; // allowable range of settings (inclusive)
  clearingRange: [N, N];
  sources: string;
}

export interface SyncLimit {
  maxKva: number; // upper bound of the rating band (Infinity for the last)
  dfHz: number;
  dvPct: number;
  dPhiDeg: number;
}

export interface CategoryRulesOf<N, T> {
  voltage: Array<Region<N, T>>; // ordered low to high, covering (-inf, +inf)
  frequency: Array<Region<N, T>>;
  trips: Array<TripRule<N>>;
  rocofLimitHzPerS: N;
}

/** A rule set as written from the sources: some numbers may be disputed. */
export interface RawRuleSet {
  id: string; // "ieee1547-2018"
  title: string;
  f0: number; // nominal frequency the numbers are stated for
  rocofWindowS: Maybe<number>;
  categories: Partial<Record<Category, CategoryRulesOf<Maybe<number>, Maybe<MinTime>>>>;
  sync: { limits: SyncLimit[]; provenance: string };
  notes: string[];
}

export type CategoryRules = CategoryRulesOf<number, MinTime>;

/** A rule set with each dispute settled: plain numbers, plus the record of what was chosen. */
export interface RuleSet {
  id: string;
  title: string;
  f0: number;
  rocofWindowS: number;
  categories: Partial<Record<Category, CategoryRules>>;
  sync: { limits: SyncLimit[]; provenance: string };
  choices: Array<{ id: string; chosen: string; value: unknown; provenance: string; alternatives: Array<{ key: string; value: unknown; provenance: string }> }>;
}
