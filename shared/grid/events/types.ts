// Types of the ride-through event detector: its inputs, settings, the events it emits and their verdicts.
// Times are milliseconds of sample (source) time; nothing here reads a wall clock.
import type { Mode, TripFunction } from '../ieee1547/types';
import type { TimeDomain } from '../time-domain';

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

export interface DetectionSettings {
  hysteresisPu: number; // V must come back this far inside the continuous band to end an excursion
  hysteresisHz: number;
  mergeMs: number; // quiet time inside the band before an event closes; excursions closer than this merge
  gapMs: number; // a stream silent longer than this suspends judgement of its quantity
  latenessMs: number; // samples up to this much older than the newest are re-ordered; older ones are dropped as late
  statusToleranceMs: number; // latency allowed between a required action and the DER status that shows it
}

export const DEFAULT_DETECTION: DetectionSettings = {
  hysteresisPu: 0.01,
  hysteresisHz: 0.02,
  mergeMs: 1000,
  gapMs: 500,
  latenessMs: 250,
  statusToleranceMs: 250,
};

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

export interface DetectorCounters {
  samples: number;
  nan: number;
  infinite: number;
  badQuality: number;
  outOfOrder: number;
  duplicate: number;
  late: number;
}

export function emptyCounters(): DetectorCounters {
  return { samples: 0, nan: 0, infinite: 0, badQuality: 0, outOfOrder: 0, duplicate: 0, late: 0 };
}

/** OPC UA StatusCode severity: only Good (top two bits 00) is judged; Uncertain and Bad suspend. */
export function isGood(status: number): boolean {
  return status >>> 30 === 0;
}
