// What another pane asks the Trends pane to show: an event's window (playback) and its signals, plus the playback
// cursor. A tiny external store so the Events pane can drive Trends without a round trip through Redux.
import { useSyncExternalStore } from 'react';

export interface TrendFocus {
  from: number;
  to: number;
  signals: number[];
  at: number | null; // playback cursor, drawn as a marker
}

let focus: TrendFocus | null = null;
const listeners = new Set<() => void>();

export const trendFocus = {
  get: (): TrendFocus | null => focus,
  set(next: TrendFocus | null): void {
    focus = next;
    for (const l of listeners) l();
  },
  subscribe(cb: () => void): () => void {
    listeners.add(cb);
    return () => listeners.delete(cb);
  },
};

export function useTrendFocus(): TrendFocus | null {
  return useSyncExternalStore(trendFocus.subscribe, trendFocus.get);
}
