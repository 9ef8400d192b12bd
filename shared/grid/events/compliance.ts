// Judges a DER's status telemetry against what the ride-through rules required during one event:
// no trip while it had to ride through, a trip by each must-trip clearing time, cessation only where allowed.
import { DerStatus } from '../../domain/signals';
import type { Compliance, MustTrip, Violation } from './types';

const SEV_MAY_TRIP = 3;

export class ComplianceTracker {
  status = -1; // last good DerStatus; -1 unknown
  private open = false;
  private startStatus = -1;
  private violations: Violation[] = [];
  private trippedAt: number | undefined;
  private lastMayTripAt = Number.NEGATIVE_INFINITY;
  private deadlines: Array<MustTrip & { checked: boolean }> = [];
  private ceasedMandatorySince: number | undefined;
  private runningMustCeaseSince: number | undefined;
  private flagged = new Set<string>();

  constructor(
    private readonly hasStatus: boolean,
    private readonly tolMs: number,
  ) {}

  begin(): void {
    this.open = true;
    this.startStatus = this.status;
    this.violations = [];
    this.trippedAt = undefined;
    this.lastMayTripAt = Number.NEGATIVE_INFINITY;
    this.deadlines = [];
    this.ceasedMandatorySince = this.runningMustCeaseSince = undefined;
    this.flagged.clear();
  }

  private applicable(): boolean {
    return this.open && (this.startStatus === DerStatus.Running || this.startStatus === DerStatus.MomentaryCessation);
  }

  /** A status sample (already time-ordered); `sev` is the requirement's severity just before it. */
  onStatus(t: number, s: number, sev: number): void {
    const was = this.status;
    this.status = s;
    if (!this.applicable() || this.trippedAt !== undefined) return;
    const tripped = s === DerStatus.Tripped || s === DerStatus.Off;
    const energized = was === DerStatus.Running || was === DerStatus.MomentaryCessation;
    if (!tripped || !energized) return;
    this.trippedAt = t;
    // Status lags the action: a trip reported within the tolerance after trip became allowed is fine.
    if (sev < SEV_MAY_TRIP && t - this.lastMayTripAt > this.tolMs) {
      this.violations.push({ kind: 'tripped-during-ride-through', atMs: t, detail: 'DER tripped while the rules required it to stay connected' });
    }
  }

  addMustTrip(m: MustTrip): void {
    if (!this.deadlines.some((d) => d.fn === m.fn && d.pickupMs === m.pickupMs)) this.deadlines.push({ ...m, checked: false });
  }

  /** Called after each evaluation at time t. */
  onEval(t: number, sev: number, mandatoryActive: boolean, mustCease: boolean): void {
    if (sev >= SEV_MAY_TRIP) this.lastMayTripAt = t;
    if (!this.applicable()) return;
    for (const d of this.deadlines) if (!d.checked && t >= d.deadlineMs + this.tolMs) this.judgeDeadline(d);
    const s = this.status;
    this.ceasedMandatorySince = mandatoryActive && s === DerStatus.MomentaryCessation ? (this.ceasedMandatorySince ?? t) : undefined;
    if (this.ceasedMandatorySince !== undefined && t - this.ceasedMandatorySince > this.tolMs) {
      this.once('ceased-during-mandatory', t, 'DER ceased to energize in a mandatory-operation region');
    }
    this.runningMustCeaseSince = mustCease && s === DerStatus.Running ? (this.runningMustCeaseSince ?? t) : undefined;
    if (this.runningMustCeaseSince !== undefined && t - this.runningMustCeaseSince > this.tolMs) {
      this.once('did-not-cease', t, 'DER kept energizing in a momentary-cessation region');
    }
  }

  private judgeDeadline(d: MustTrip & { checked: boolean }): void {
    d.checked = true;
    if (this.trippedAt === undefined || this.trippedAt > d.deadlineMs + this.tolMs) {
      this.violations.push({ kind: 'failed-to-trip', atMs: d.deadlineMs, fn: d.fn, detail: `${d.fn} required a trip within ${d.clearingS} s (by ${d.deadlineMs} ms)` });
    }
  }

  private once(kind: Violation['kind'], t: number, detail: string): void {
    if (this.flagged.has(kind)) return;
    this.flagged.add(kind);
    this.violations.push({ kind, atMs: t, detail });
  }

  /** Closes the event's judgement. Deadlines whose tolerance ran past the data are judged on what was seen. */
  end(): { compliance: Compliance; violations: Violation[]; trippedAtMs?: number } {
    this.open = false;
    if (!this.hasStatus || this.startStatus < 0) return { compliance: 'unknown', violations: [] };
    if (this.startStatus !== DerStatus.Running && this.startStatus !== DerStatus.MomentaryCessation) return { compliance: 'not-applicable', violations: [] };
    for (const d of this.deadlines) if (!d.checked && this.trippedAt === undefined) this.judgeDeadline(d);
    const out = { compliance: (this.violations.length ? 'non-compliant' : 'compliant') as Compliance, violations: this.violations };
    return this.trippedAt === undefined ? out : { ...out, trippedAtMs: this.trippedAt };
  }
}
