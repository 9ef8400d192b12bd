// Types of the ride-through event detector: its inputs, settings, the events it emits and their verdicts.
// Times are milliseconds of sample (source) time; nothing here reads a wall clock.
import type { Mode, TripFunction } from '../ieee1547/types';
import type { TimeDomain } from '../time-domain';

export { DEFAULT_DETECTION, emptyCounters, isGood, type DetectionSettings, type DetectorCounters } from '../sampling/samples';

/** What a DER had to do, in order of severity: a later one overrides an earlier one when both apply. */
export type Requirement = 'ride-through' | 'may-cease' | 'must-cease' | 'may-trip' | 'must-trip';
export const REQUIREMENTS: readonly Requirement[] = ['ride-through', 'may-cease', 'must-cease', 'may-trip', 'must-trip'];

export type InputRole = 'V' | 'f' | 'status';
export interface DetectorInput {
  role: InputRole;
  signal?: number; // the catalogue id, for the caller's routing
  nominal?: number; // V: value / nominal = p.u. (1 when the stream is already p.u.)
}

export type VoltageSource = 'der-terminal' | 'bus' | 'none';

export interface RegionTime {
  quantity: 'V' | 'f';
  region: string;
  mode: Mode;
  ms: number;
}

export type ViolationKind = 'tripped-during-ride-through' | 'failed-to-trip' | 'ceased-during-mandatory' | 'did-not-cease';
export interface Violation {
  kind: ViolationKind;
  atMs: number;
  detail: string;
  fn?: TripFunction;
}

export interface MustTrip {
  fn: TripFunction;
  clearingS: number;
  pickupMs: number;
  deadlineMs: number;
}

export type Compliance = 'compliant' | 'non-compliant' | 'unknown' | 'not-applicable';

export interface Verdict {
  regions: RegionTime[];
  requirement: Requirement;
  mustTrip: MustTrip[];
  voltageSource: VoltageSource;
  compliance: Compliance;
  violations: Violation[];
  trippedAtMs?: number;
  judgedFraction: number; // share of the event's time with usable data
}

export interface GridEvent {
  id: string;
  subject: string;
  kind: string; // 'der' | 'bus' | 'pmu'
  phase: 'open' | 'closed';
  startMs: number;
  endMs?: number;
  durationMs: number;
  vMinPu?: number;
  vMaxPu?: number;
  fMinHz?: number;
  fMaxHz?: number;
  rocofMaxHzPerS?: number;
  suspendedMs: number;
  truncated?: boolean; // data ended before the event closed
  timeDomain: TimeDomain;
  verdict?: Verdict;
}
