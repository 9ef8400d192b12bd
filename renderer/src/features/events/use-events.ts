// The event list as the Events pane sees it: events.list once, then the events stream merged in by detector key,
// so an event shows while it is open and keeps its row (with its historian id) when it closes.
import { useEffect, useState } from 'react';
import type { LiveEvent } from '../../../../shared/contract/areas/grid';
import { bridge } from '../../bridge';

export function mergeEvent(list: LiveEvent[], e: LiveEvent): LiveEvent[] {
  const i = list.findIndex((x) => x.key === e.key && (x.phase === 'open' || x.id === e.id));
  if (i < 0) return [e, ...list];
  const out = list.slice();
  out[i] = e;
  return out;
}

/** Newest first; open events before closed ones. */
export function orderEvents(list: LiveEvent[]): LiveEvent[] {
  return list.slice().sort((a, b) => (a.phase === b.phase ? b.t - a.t : a.phase === 'open' ? -1 : 1));
}

export function useEvents(): { events: LiveEvent[]; error: string | null } {
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const pending: LiveEvent[] = []; // stream pushes that arrive before the list: applied on top of it
    let loaded = false;
    const off = bridge().subscribe('events', {}, (m) => {
      if (!loaded) pending.push(m.event);
      else setEvents((l) => orderEvents(mergeEvent(l, m.event)));
    });
    void bridge().call('events.list', { limit: 500 }).then((r) => {
      if (!live) return;
      loaded = true;
      if (!r.ok) {
        setError(`${r.error.code}: ${r.error.message}`);
        return;
      }
      setEvents(orderEvents(pending.reduce(mergeEvent, r.value.events)));
    });
    return () => {
      live = false;
      off();
    };
  }, []);
  return { events, error };
}

export function fmtDuration(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 60_000).toFixed(1)} min`;
}

/** The analytics' verdict (shared/grid/events Verdict) read as data: compliance and what 1547 required. */
export function verdictText(v: unknown): string {
  if (typeof v !== 'object' || v === null) return '—';
  const o = v as { compliance?: unknown; requirement?: unknown; trippedAtMs?: unknown };
  const parts = [typeof o.compliance === 'string' ? o.compliance : '?'];
  if (typeof o.requirement === 'string') parts.push(`required: ${o.requirement}`);
  if (typeof o.trippedAtMs === 'number') parts.push('DER tripped');
  return parts.join(' · ');
}

/** The 1547 regions the event passed through (verdict.regions), with their time. */
export function regionText(v: unknown): string {
  const regions = (v as { regions?: Array<{ region?: unknown; ms?: unknown }> } | null)?.regions;
  if (!Array.isArray(regions) || !regions.length) return '—';
  return regions.map((r) => `${String(r.region)}${typeof r.ms === 'number' ? ` ${(r.ms / 1000).toFixed(2)} s` : ''}`).join(', ');
}

export const utcMs = (t: number): string => new Date(t).toISOString().replace('T', ' ').slice(0, 23);
