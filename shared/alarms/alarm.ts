// One alarm's ISA-18.2 / IEC 62682 state machine: a pure function of timestamps (no wall-clock timers), so the
// core, a replay and a test all give the same states for the same samples.
//
//   NORMAL ──active(after onDelay)──▶ UNACK_ACTIVE ──ack──▶ ACK_ACTIVE
//      ▲                                  │                      │
//      │                      clear(after offDelay)   clear(after offDelay)
//      │                                  ▼                      │
//      └────────────ack──────────── UNACK_RTN ◀──────────────────┘ (ack+clear ⇒ NORMAL directly)
//   Shelved and suppressed-by-design are overlays: the state machine keeps running underneath, but the alarm is
//   not annunciated and does not count towards a flood.

export type AlarmPriority = 'critical' | 'high' | 'medium' | 'low';
export type AlarmState = 'NORMAL' | 'UNACK_ACTIVE' | 'ACK_ACTIVE' | 'UNACK_RTN';

export interface AlarmDefinition {
  id: string; // stable id, e.g. "bus/150/UV"
  source: string; // element the alarm is on (bus, DER, microgrid, connection)
  message: string; // operator text, with units
  priority: AlarmPriority;
  /** 'high' alarms when value > limit, 'low' when value < limit, 'state' when value !== 0. */
  kind: 'high' | 'low' | 'state';
  limit?: number;
  deadband?: number; // the value must return past limit ∓ deadband to clear (chatter suppression)
  onDelayMs?: number; // the condition must persist this long before the alarm activates
  offDelayMs?: number; // and be gone this long before it returns to normal
  suppressionGroup?: string; // suppressed-by-design while this group is suppressed (e.g. "islanded:MG1")
}

export interface AlarmStatus {
  def: AlarmDefinition;
  state: AlarmState;
  activeSince?: number; // ms, when the alarm (after its on-delay) became active
  lastChange: number;
  value?: number; // the value that last drove it
  shelvedUntil?: number;
  shelvedBy?: string;
  ackedBy?: string;
  ackedAt?: number;
}

interface Pending { since: number; value: number }

/** The alarm's runtime: feed it values with their timestamps; it returns true when its state changed. */
export class Alarm {
  readonly status: AlarmStatus;
  private pendingOn?: Pending;
  private pendingOff?: Pending;
  private conditionActive = false;

  constructor(def: AlarmDefinition, t = 0) {
    this.status = { def, state: 'NORMAL', lastChange: t };
  }

  get active(): boolean {
    return this.status.state === 'UNACK_ACTIVE' || this.status.state === 'ACK_ACTIVE';
  }

  private condition(value: number): boolean {
    const { kind, limit = 0, deadband = 0 } = this.status.def;
    if (!Number.isFinite(value)) return this.conditionActive; // NaN/Inf judge nothing: hold the last condition
    if (kind === 'state') return value !== 0;
    // Inside the deadband the condition keeps what it was (hysteresis).
    if (kind === 'high') return this.conditionActive ? value > limit - deadband : value > limit;
    return this.conditionActive ? value < limit + deadband : value < limit;
  }

  /** Evaluates one sample. Returns true when the alarm state changed. */
  update(value: number, t: number): boolean {
    const cond = this.condition(value);
    this.conditionActive = cond;
    this.status.value = Number.isFinite(value) ? value : this.status.value;
    const { onDelayMs = 0, offDelayMs = 0 } = this.status.def;
    if (cond) {
      this.pendingOff = undefined;
      if (this.active) return false;
      this.pendingOn ??= { since: t, value };
      if (t - this.pendingOn.since >= onDelayMs) {
        this.pendingOn = undefined;
        return this.transition('UNACK_ACTIVE', t, true);
      }
      return false;
    }
    this.pendingOn = undefined;
    if (!this.active) return false;
    this.pendingOff ??= { since: t, value };
    if (t - this.pendingOff.since >= offDelayMs) {
      this.pendingOff = undefined;
      return this.transition(this.status.state === 'ACK_ACTIVE' ? 'NORMAL' : 'UNACK_RTN', t, false);
    }
    return false;
  }

  /** Operator acknowledge. Returns false when there was nothing to acknowledge. */
  acknowledge(user: string, t: number): boolean {
    const s = this.status.state;
    if (s === 'UNACK_ACTIVE') return this.transition('ACK_ACTIVE', t, false, user);
    if (s === 'UNACK_RTN') return this.transition('NORMAL', t, false, user);
    return false;
  }

  shelve(user: string, until: number): void {
    this.status.shelvedUntil = until;
    this.status.shelvedBy = user;
  }

  unshelve(): void {
    delete this.status.shelvedUntil;
    delete this.status.shelvedBy;
  }

  /** True while shelved at time t; an expired shelf is removed here (shelving always expires). */
  isShelved(t: number): boolean {
    if (this.status.shelvedUntil === undefined) return false;
    if (t >= this.status.shelvedUntil) {
      this.unshelve();
      return false;
    }
    return true;
  }

  private transition(to: AlarmState, t: number, activating: boolean, user?: string): boolean {
    this.status.state = to;
    this.status.lastChange = t;
    if (activating) {
      this.status.activeSince = t;
      delete this.status.ackedBy;
      delete this.status.ackedAt;
    }
    if (user !== undefined) {
      this.status.ackedBy = user;
      this.status.ackedAt = t;
    }
    return true;
  }
}
