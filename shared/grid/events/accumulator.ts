// What one open event has gathered so far: time in each region, extremes, the requirements reached, and the
// snapshot taken when the quantities came back inside the band (the event ends there if it stays quiet).
import type { CategoryRules } from '../ieee1547';
import { timeDomainOf } from '../time-domain';
import type { ComplianceTracker } from './compliance';
import { REQUIREMENTS, type GridEvent, type MustTrip, type RegionTime, type Verdict, type VoltageSource } from './types';

interface Snap {
  v: Float64Array;
  f: Float64Array;
  suspendedMs: number;
}

export class EventAccumulator {
  quietSince: number | undefined;
  private v: Float64Array;
  private f: Float64Array;
  private seenV: Uint8Array;
  private seenF: Uint8Array;
  private suspendedMs = 0;
  private snap: Snap | undefined;
  private vMin = Number.POSITIVE_INFINITY;
  private vMax = Number.NEGATIVE_INFINITY;
  private fMin = Number.POSITIVE_INFINITY;
  private fMax = Number.NEGATIVE_INFINITY;
  private rocofMax = 0;
  private maxSev = 0;
  private trips: MustTrip[] = [];

  constructor(
    readonly id: string,
    readonly startMs: number,
    private readonly rules: CategoryRules,
    private readonly hasV: boolean,
    private readonly hasF: boolean,
  ) {
    this.v = new Float64Array(rules.voltage.length);
    this.f = new Float64Array(rules.frequency.length);
    this.seenV = new Uint8Array(rules.voltage.length);
    this.seenF = new Uint8Array(rules.frequency.length);
  }

  /** Attributes dt to the classification held since the previous sample; -1 means that quantity was suspended. */
  accrue(dt: number, iV: number, iV2: number, iF: number): void {
    if ((this.hasV && iV < 0) || (this.hasF && iF < 0)) this.suspendedMs += dt;
    if (iV >= 0) {
      this.v[iV] += dt;
      this.seenV[iV] = 1;
    }
    if (iV2 >= 0) {
      this.v[iV2] += dt;
      this.seenV[iV2] = 1;
    }
    if (iF >= 0) {
      this.f[iF] += dt;
      this.seenF[iF] = 1;
    }
  }

  observe(vLow: number, vHigh: number, f: number, rocof: number, sev: number): void {
    if (vLow < this.vMin) this.vMin = vLow;
    if (vHigh > this.vMax) this.vMax = vHigh;
    if (f < this.fMin) this.fMin = f;
    if (f > this.fMax) this.fMax = f;
    const r = Math.abs(rocof);
    if (r > this.rocofMax) this.rocofMax = r;
    if (sev > this.maxSev) this.maxSev = sev;
  }

  markQuiet(t: number): void {
    this.quietSince = t;
    this.snap = { v: this.v.slice(), f: this.f.slice(), suspendedMs: this.suspendedMs };
  }

  mustTrip(m: MustTrip, comp: ComplianceTracker): void {
    if (this.trips.some((x) => x.fn === m.fn && x.pickupMs === m.pickupMs)) return;
    this.trips.push(m);
    comp.addMustTrip(m);
  }

  openEvent(subject: string, kind: string): GridEvent {
    return { id: this.id, subject, kind, phase: 'open', startMs: this.startMs, durationMs: 0, suspendedMs: 0, timeDomain: 'TD1' };
  }

  closedEvent(subject: string, kind: string, endMs: number, truncated: boolean, voltageSource: VoltageSource, c: ReturnType<ComplianceTracker['end']>): GridEvent {
    // Time accrued after the return inside the band belongs to the quiet period, not to the event.
    const useSnap = !truncated && this.snap !== undefined && this.quietSince !== undefined;
    const v = useSnap ? this.snap!.v : this.v;
    const f = useSnap ? this.snap!.f : this.f;
    const suspendedMs = useSnap ? this.snap!.suspendedMs : this.suspendedMs;
    const regions: RegionTime[] = [];
    this.rules.voltage.forEach((g, i) => this.seenV[i] && v[i] > 0 && regions.push({ quantity: 'V', region: g.id, mode: g.mode, ms: v[i] }));
    this.rules.frequency.forEach((g, i) => this.seenF[i] && f[i] > 0 && regions.push({ quantity: 'f', region: g.id, mode: g.mode, ms: f[i] }));
    const durationMs = endMs - this.startMs;
    const verdict: Verdict = {
      regions,
      requirement: REQUIREMENTS[this.maxSev],
      mustTrip: this.trips,
      voltageSource,
      compliance: c.compliance,
      violations: c.violations,
      judgedFraction: durationMs > 0 ? Math.max(0, 1 - suspendedMs / durationMs) : 1,
    };
    if (c.trippedAtMs !== undefined) verdict.trippedAtMs = c.trippedAtMs;
    const e: GridEvent = { id: this.id, subject, kind, phase: 'closed', startMs: this.startMs, endMs, durationMs, suspendedMs, timeDomain: timeDomainOf(durationMs), verdict };
    if (this.vMin <= this.vMax) {
      e.vMinPu = this.vMin;
      e.vMaxPu = this.vMax;
    }
    if (this.fMin <= this.fMax) {
      e.fMinHz = this.fMin;
      e.fMaxHz = this.fMax;
    }
    if (this.hasF) e.rocofMaxHzPerS = this.rocofMax;
    if (truncated) e.truncated = true;
    return e;
  }
}
