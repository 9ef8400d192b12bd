// The exergy token payload of the seed's FIG. 3 as plain data: every field an enum or a fixed-point integer, so
// one payload has exactly one encoding (floats would let NaN and -0 in). Validation names the offending field.
import { AppError } from '../errors';
import { GridConnectState } from '../domain/signals';

export { GridConnectState };

export const PAYLOAD_VERSION = 1;

/** Primary class by carbon intensity (EPA classes); the seed names ZCE, the others keep non-ZCE energy honest. */
export enum GenSourceClass {
  Zce = 0,
  LowCarbon = 1,
  Fossil = 2,
  Mixed = 3, // grid import of unknown origin
}
/** Optional ZCE subclass; only meaningful when the class is ZCE (else must be None). */
export enum ZceSubclass {
  None = 0,
  Wind = 1,
  SolarPv = 2,
  Hydro = 3,
  Nuclear = 4,
}
/** IEEE 1547 normal-performance category for distribution voltage support. */
export enum VoltageCategory {
  Undeclared = 0,
  A = 1,
  B = 2,
}
/** IEEE 1547 abnormal-condition ride-through category. */
export enum RideThroughCategory {
  Undeclared = 0,
  I = 1,
  II = 2,
  III = 3,
}
export enum LoadCoupling {
  Consumed = 0, // exergy expended
  Stored = 1, // exergy preserved
}
/** Stored-load subclass; Consumed loads carry an exergy conversion ratio instead. */
export enum StoredSubclass {
  Unspecified = 0,
  Ev = 1,
  Battery = 2,
  Flywheel = 3,
  PumpedHydro = 4,
  Thermal = 5,
}
/** FIG. 2 time domains: TD1 ms (frequency), TD2 s (fast services), TD3 min-h (energy), TD4 days (forward). */
export enum TimeDomain {
  TD1 = 1,
  TD2 = 2,
  TD3 = 3,
  TD4 = 4,
}

/** Sentinel for "no exergy conversion ratio given" (consumed) and mandatory for stored loads. */
export const NO_RATIO = 0xffff;

export interface TokenLocation {
  feeder: string;
  section: string; // may be empty when the section is not known
  bus: string;
}

export interface TokenPayload {
  gridConnect: GridConnectState;
  genClass: GenSourceClass;
  zceSubclass: ZceSubclass;
  voltageCategory: VoltageCategory;
  rideThroughCategory: RideThroughCategory;
  loadCoupling: LoadCoupling;
  storedSubclass: StoredSubclass;
  /** Consumed: exergy conversion ratio in basis points 0..10000, or NO_RATIO. Stored: NO_RATIO. */
  exergyRatioBp: number;
  /** EPS voltage at the PCC, micro-per-unit (1.0 p.u. = 1_000_000), 0..3_000_000. */
  epsVoltageMicroPu: number;
  /** EPS inertia as stored kinetic energy Σ H·S, kW·s (u32). */
  epsInertiaKWs: number;
  /** Energy product, milliwatt-hours; positive delivered to the coupled load, negative returned (V2G). */
  energyMilliWh: bigint;
  location: TokenLocation;
  /** Marginal loss factor from the feeder model, parts per million (1.0 = 1_000_000), 0..2_000_000. */
  mlfPpm: number;
  timeDomain: TimeDomain;
  /** Period start, ms since the UTC epoch, and length in ms (> 0). */
  periodStartMs: bigint;
  periodMs: number;
}

export const MAX_LOCATION_BYTES = 64;

function enumIn(v: number, max: number, field: string, min = 0): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new AppError('INVALID_ARGUMENT', `token payload ${field} out of range: ${v}`, { field, value: v });
}
function intIn(v: number, min: number, max: number, field: string): void {
  if (!Number.isSafeInteger(v) || v < min || v > max || Object.is(v, -0)) throw new AppError('INVALID_ARGUMENT', `token payload ${field} must be an integer in ${min}..${max}: ${v}`, { field, value: v });
}

/** Checks every field and the cross-field rules that make the encoding canonical. */
export function validatePayload(p: TokenPayload): void {
  enumIn(p.gridConnect, 2, 'gridConnect');
  enumIn(p.genClass, 3, 'genClass');
  enumIn(p.zceSubclass, 4, 'zceSubclass');
  if (p.genClass !== GenSourceClass.Zce && p.zceSubclass !== ZceSubclass.None) throw new AppError('INVALID_ARGUMENT', 'token payload zceSubclass only applies to ZCE generation', { field: 'zceSubclass' });
  enumIn(p.voltageCategory, 2, 'voltageCategory');
  enumIn(p.rideThroughCategory, 3, 'rideThroughCategory');
  enumIn(p.loadCoupling, 1, 'loadCoupling');
  enumIn(p.storedSubclass, 5, 'storedSubclass');
  if (p.loadCoupling === LoadCoupling.Consumed && p.storedSubclass !== StoredSubclass.Unspecified) throw new AppError('INVALID_ARGUMENT', 'token payload storedSubclass only applies to stored loads', { field: 'storedSubclass' });
  if (p.exergyRatioBp !== NO_RATIO) intIn(p.exergyRatioBp, 0, 10_000, 'exergyRatioBp');
  if (p.loadCoupling === LoadCoupling.Stored && p.exergyRatioBp !== NO_RATIO) throw new AppError('INVALID_ARGUMENT', 'token payload exergyRatioBp only applies to consumed loads', { field: 'exergyRatioBp' });
  intIn(p.epsVoltageMicroPu, 0, 3_000_000, 'epsVoltageMicroPu');
  intIn(p.epsInertiaKWs, 0, 0xffffffff, 'epsInertiaKWs');
  if (typeof p.energyMilliWh !== 'bigint' || p.energyMilliWh < -(1n << 63n) || p.energyMilliWh >= 1n << 63n) throw new AppError('INVALID_ARGUMENT', 'token payload energyMilliWh must be an int64 bigint', { field: 'energyMilliWh' });
  intIn(p.mlfPpm, 0, 2_000_000, 'mlfPpm');
  enumIn(p.timeDomain, 4, 'timeDomain', 1);
  if (typeof p.periodStartMs !== 'bigint' || p.periodStartMs < 0n || p.periodStartMs >= 1n << 63n) throw new AppError('INVALID_ARGUMENT', 'token payload periodStartMs must be a non-negative int64 bigint', { field: 'periodStartMs' });
  intIn(p.periodMs, 1, 0xffffffff, 'periodMs');
  for (const k of ['feeder', 'section', 'bus'] as const) {
    const s = p.location?.[k];
    if (typeof s !== 'string') throw new AppError('INVALID_ARGUMENT', `token payload location.${k} must be a string`, { field: `location.${k}` });
    if (k !== 'section' && s.length === 0) throw new AppError('INVALID_ARGUMENT', `token payload location.${k} is empty`, { field: `location.${k}` });
    // Control and format characters (a BOM, zero-width joiners) would make two names look alike: refused.
    if (/[\p{Cc}\p{Cf}]/u.test(s)) throw new AppError('INVALID_ARGUMENT', `token payload location.${k} has control or format characters`, { field: `location.${k}` });
    if (s !== s.normalize('NFC')) throw new AppError('INVALID_ARGUMENT', `token payload location.${k} is not NFC-normalised`, { field: `location.${k}` });
  }
}

/**
 * Converts a measured float into the fixed-point integer a field takes (value × scale, rounded half away from 0).
 * NaN, ±Infinity and values that do not fit are refused here, at the edge, so the payload never sees them.
 */
export function toFixed(value: number, scale: number, field: string): number {
  if (!Number.isFinite(value)) throw new AppError('INVALID_ARGUMENT', `${field} is not a finite number: ${value}`, { field, value: String(value) });
  const r = Math.sign(value) * Math.round(Math.abs(value) * scale);
  if (!Number.isSafeInteger(r)) throw new AppError('INVALID_ARGUMENT', `${field} does not fit fixed point ×${scale}`, { field, value });
  return r === 0 ? 0 : r; // folds -0 into 0
}

/** The time domain a service period falls into (FIG. 2): below 1 s TD1, below 1 min TD2, below 1 day TD3, else TD4. */
export function timeDomainFor(periodMs: number): TimeDomain {
  if (periodMs < 1000) return TimeDomain.TD1;
  if (periodMs < 60_000) return TimeDomain.TD2;
  if (periodMs < 86_400_000) return TimeDomain.TD3;
  return TimeDomain.TD4;
}
