// Grid events from the analytics as the UI sees them: pushed when they open, update and close; closed ones are
// stored in the historian (whose row id then names the event for playback) and listed from there.
import type { LiveEvent } from '../../../shared/contract/areas/grid';
import type { GridEvent } from '../../../shared/grid/events';
import type { Historian } from '../historian/historian';
import type { HistEvent } from '../historian/records';

const fmt = (x: number | undefined, d: number) => (x === undefined || !Number.isFinite(x) ? undefined : x.toFixed(d));

export function describe(e: GridEvent): string {
  const parts = [`${e.kind} ${e.subject}`];
  const v = [fmt(e.vMinPu, 3), fmt(e.vMaxPu, 3)];
  if (v[0] || v[1]) parts.push(`V ${v[0] ?? '?'}–${v[1] ?? '?'} p.u.`);
  const f = [fmt(e.fMinHz, 3), fmt(e.fMaxHz, 3)];
  if (f[0] || f[1]) parts.push(`f ${f[0] ?? '?'}–${f[1] ?? '?'} Hz`);
  if (e.phase === 'closed') parts.push(`${(e.durationMs / 1000).toFixed(3)} s`);
  return parts.join(', ');
}

function severityOf(e: GridEvent): LiveEvent['severity'] {
  if (e.verdict?.compliance === 'non-compliant') return 'critical';
  if ((e.vMinPu !== undefined && e.vMinPu < 0.5) || (e.fMinHz !== undefined && e.fMinHz < 58.8) || (e.fMaxHz !== undefined && e.fMaxHz > 61.2)) return 'alarm';
  return 'warning';
}

export function toLive(e: GridEvent, signals?: number[], id?: number): LiveEvent {
  const opt = <K extends string, V>(k: K, v: V | undefined) => (v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? {} : { [k]: v });
  return {
    key: e.id,
    ...opt('id', id),
    phase: e.phase,
    t: e.startMs,
    ...opt('tEnd', e.endMs),
    kind: e.kind,
    severity: severityOf(e),
    source: e.subject,
    message: describe(e),
    durationMs: e.durationMs,
    ...opt('vMinPu', e.vMinPu),
    ...opt('vMaxPu', e.vMaxPu),
    ...opt('fMinHz', e.fMinHz),
    ...opt('fMaxHz', e.fMaxHz),
    timeDomain: String(e.timeDomain),
    ...opt('verdict', e.verdict),
    ...opt('signals', signals),
  } as LiveEvent;
}

export function fromHist(h: HistEvent): LiveEvent {
  const d = (h.data ?? {}) as Partial<LiveEvent>;
  return { ...d, key: String(d.key ?? `hist-${h.id}`), ...(h.id !== undefined ? { id: h.id } : {}), phase: 'closed', t: h.t, ...(h.tEnd !== undefined ? { tEnd: h.tEnd } : {}), kind: h.kind, severity: h.severity, source: h.source, message: h.message ?? '', durationMs: d.durationMs ?? (h.tEnd ?? h.t) - h.t, ...(h.signals ? { signals: h.signals } : {}) };
}

export class EventFeed {
  readonly open = new Map<string, LiveEvent>();
  lastClosed: LiveEvent | undefined;

  constructor(
    private readonly historian: Historian,
    private readonly push: (body: { type: 'opened' | 'updated' | 'closed'; event: LiveEvent }) => void,
    private readonly signalsOf: (subject: string) => number[],
  ) {}

  onGridEvent(e: GridEvent): void {
    const signals = this.signalsOf(e.subject);
    if (e.phase === 'open') {
      const type = this.open.has(e.id) ? 'updated' : 'opened';
      const live = toLive(e, signals);
      this.open.set(e.id, live);
      this.push({ type, event: live });
      return;
    }
    this.open.delete(e.id);
    const live = toLive(e, signals);
    const { key, phase, ...rest } = live;
    void phase;
    const rec: HistEvent = { t: live.t, ...(live.tEnd !== undefined ? { tEnd: live.tEnd } : {}), kind: live.kind, severity: live.severity, source: live.source, signals, message: live.message, data: { key, ...rest } };
    this.historian
      .appendEvent(rec)
      .then((id) => {
        this.lastClosed = { ...live, id };
        this.push({ type: 'closed', event: this.lastClosed });
      })
      .catch(() => this.push({ type: 'closed', event: live })); // stored or not, the UI learns it closed
  }

  list(q: { from?: number; to?: number; filter?: string; limit: number }): LiveEvent[] {
    const inRange = (e: LiveEvent) => (q.from === undefined || (e.tEnd ?? Infinity) >= q.from) && (q.to === undefined || e.t <= q.to);
    const match = (e: LiveEvent) => !q.filter || `${e.kind} ${e.source} ${e.message} ${e.severity}`.toLowerCase().includes(q.filter.toLowerCase());
    const open = [...this.open.values()].filter((e) => inRange(e) && match(e)).sort((a, b) => b.t - a.t);
    const stored = this.historian.queryEvents({ ...(q.from !== undefined ? { from: q.from } : {}), ...(q.to !== undefined ? { to: q.to } : {}), ...(q.filter ? { text: q.filter } : {}), limit: q.limit, order: 'desc' }).map(fromHist);
    return [...open, ...stored].slice(0, q.limit);
  }
}
