// The alarm list an operator works from: definitions, states, shelving, suppression by design, flood detection
// and the audible annunciator (silencing is not acknowledging). Pure and timestamp-driven, run inside the core.
import { AppError } from '../errors';
import { Alarm, type AlarmDefinition, type AlarmPriority, type AlarmStatus } from './alarm';

export interface AlarmChange {
  id: string;
  t: number;
  from: AlarmStatus['state'];
  to: AlarmStatus['state'];
  user?: string;
  action: 'condition' | 'acknowledge' | 'shelve' | 'unshelve';
}

export interface AlarmView extends AlarmStatus {
  shelved: boolean;
  suppressed: boolean;
}

export interface FloodSettings {
  windowMs: number; // ISA-18.2: more than 10 annunciated alarms in 10 minutes per operator is a flood
  threshold: number;
}

const PRIORITY_ORDER: Record<AlarmPriority, number> = { critical: 0, high: 1, medium: 2, low: 3 };
export const MAX_SHELVE_MS = 8 * 3600_000; // a shelf outlives no shift

export class AlarmManager {
  private readonly alarms = new Map<string, Alarm>();
  private readonly suppressed = new Set<string>();
  private readonly activations: number[] = []; // annunciated activation times inside the flood window
  private silencedAt = -Infinity;
  private lastActivationAt = -Infinity;

  constructor(private readonly flood: FloodSettings = { windowMs: 600_000, threshold: 10 }) {}

  define(def: AlarmDefinition, t = 0): void {
    if (!def.id) throw new AppError('INVALID_ARGUMENT', 'alarm definition needs an id', { field: 'id' });
    if (def.kind !== 'state' && !Number.isFinite(def.limit)) {
      throw new AppError('INVALID_ARGUMENT', `alarm ${def.id}: limit must be a finite number for a ${def.kind} alarm`, { field: 'limit' });
    }
    if (!this.alarms.has(def.id)) this.alarms.set(def.id, new Alarm(def, t));
  }

  has(id: string): boolean {
    return this.alarms.has(id);
  }

  /** Feeds one value to one alarm; returns the change, if any. */
  update(id: string, value: number, t: number): AlarmChange | undefined {
    const a = this.alarms.get(id);
    if (!a) return undefined;
    const from = a.status.state;
    if (!a.update(value, t)) return undefined;
    const to = a.status.state;
    if (to === 'UNACK_ACTIVE' && !this.hidden(a, t)) {
      this.activations.push(t);
      this.lastActivationAt = t;
    }
    return { id, t, from, to, action: 'condition' };
  }

  acknowledge(id: string, user: string, t: number): AlarmChange {
    const a = this.get(id);
    const from = a.status.state;
    if (!a.acknowledge(user, t)) throw new AppError('CONFLICT', `alarm ${id} is ${from}: nothing to acknowledge`, { id, state: from });
    return { id, t, from, to: a.status.state, user, action: 'acknowledge' };
  }

  shelve(id: string, user: string, t: number, durationMs: number): AlarmChange {
    if (!(durationMs > 0 && durationMs <= MAX_SHELVE_MS)) {
      throw new AppError('INVALID_ARGUMENT', `shelve duration must be between 1 ms and ${MAX_SHELVE_MS / 3600_000} h`, { field: 'durationMs', value: durationMs });
    }
    const a = this.get(id);
    a.shelve(user, t + durationMs);
    return { id, t, from: a.status.state, to: a.status.state, user, action: 'shelve' };
  }

  unshelve(id: string, user: string, t: number): AlarmChange {
    const a = this.get(id);
    a.unshelve();
    return { id, t, from: a.status.state, to: a.status.state, user, action: 'unshelve' };
  }

  /** Suppression by design, e.g. a microgrid's undervoltage alarms while it is intentionally islanded. */
  setSuppressed(group: string, on: boolean): void {
    if (on) this.suppressed.add(group);
    else this.suppressed.delete(group);
  }

  /** Silences the horn until the next new annunciated alarm; states are untouched. */
  silence(t: number): void {
    this.silencedAt = t;
  }

  /** The horn sounds while an unacknowledged, annunciated alarm exists that came after the last silence. */
  audible(t: number): boolean {
    if (this.lastActivationAt <= this.silencedAt) return false;
    for (const a of this.alarms.values()) if (a.status.state === 'UNACK_ACTIVE' && !this.hidden(a, t)) return true;
    return false;
  }

  /** Flood: more annunciated activations inside the window than the threshold. */
  inFlood(t: number): boolean {
    while (this.activations.length && this.activations[0] <= t - this.flood.windowMs) this.activations.shift();
    return this.activations.length > this.flood.threshold;
  }

  /** The alarm list: not NORMAL, sorted by priority then newest first. Shelved/suppressed ones are flagged. */
  list(t: number, opts: { includeHidden?: boolean } = {}): AlarmView[] {
    const out: AlarmView[] = [];
    for (const a of this.alarms.values()) {
      if (a.status.state === 'NORMAL' && !a.isShelved(t)) continue;
      const view: AlarmView = { ...a.status, shelved: a.isShelved(t), suppressed: this.isSuppressed(a) };
      if (!opts.includeHidden && (view.shelved || view.suppressed)) continue;
      out.push(view);
    }
    return out.sort((x, y) => PRIORITY_ORDER[x.def.priority] - PRIORITY_ORDER[y.def.priority] || y.lastChange - x.lastChange);
  }

  private isSuppressed(a: Alarm): boolean {
    return a.status.def.suppressionGroup !== undefined && this.suppressed.has(a.status.def.suppressionGroup);
  }

  private hidden(a: Alarm, t: number): boolean {
    return a.isShelved(t) || this.isSuppressed(a);
  }

  private get(id: string): Alarm {
    const a = this.alarms.get(id);
    if (!a) throw new AppError('NOT_FOUND', `no alarm ${id}`, { id });
    return a;
  }
}
