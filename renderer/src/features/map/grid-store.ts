// The live grid as the display sees it: the feeder (loaded once), the latest bus-voltage snapshot (~2 Hz), the open
// events, and a playback override. An external store read with useSyncExternalStore, outside Redux (STYLE.md §7).
import { useSyncExternalStore } from 'react';
import type { FeederInfo, GridState, LiveEvent } from '../../../../shared/contract/areas/grid';
import { bridge } from '../../bridge';

export interface GridView {
  feeder: FeederInfo | null;
  state: GridState | null; // live, or the playback frame while playing back
  openEvents: LiveEvent[];
  playback: { at: number; from: number; to: number } | null;
  focus?: { index: number; seq: number } | null; // a request to centre the map on a bus
  selected: number | null; // the bus the operator picked (map click, or an event in the Events pane)
  error: string | null;
  waiting?: boolean; // the core is still starting the live data path
  version: number;
}

class GridStore {
  private view: GridView = { feeder: null, state: null, openEvents: [], playback: null, selected: null, error: null, version: 0 };
  private live: GridState | null = null;
  private readonly listeners = new Set<() => void>();
  private stop: Array<() => void> = [];
  private started = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;

  get = (): GridView => this.view;

  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    if (this.started++ === 0) void this.start();
    return () => {
      this.listeners.delete(cb);
      if (--this.started === 0) this.shutdown();
    };
  };

  /** Replaces the displayed snapshot while an event is played back; `null` returns to live. */
  setPlayback(frame: { state: GridState; at: number; from: number; to: number } | null): void {
    this.set({ state: frame ? frame.state : this.live, playback: frame ? { at: frame.at, from: frame.from, to: frame.to } : null });
  }

  /** Selects a bus (by geometry index) on the map and the inspector; `null` clears. */
  select = (index: number | null): void => {
    if (index !== this.view.selected) this.set({ selected: index });
  };

  /** Selects a bus and asks the map to centre on it (an event opened from the Events pane). */
  focus = (index: number | null): void => {
    this.set({ selected: index, focus: index === null ? null : { index, seq: (this.view.focus?.seq ?? 0) + 1 } });
  };

  private async start(): Promise<void> {
    const api = bridge();
    const feeder = await api.call('grid.feeder', {});
    if (!feeder.ok) {
      // The live data path starts in the background (simulator, OPC UA, historian): keep asking while it does.
      const starting = feeder.error.code === 'UNAVAILABLE';
      this.set({ error: `${feeder.error.code}: ${feeder.error.message}`, waiting: starting });
      if (starting && this.started > 0) this.retry = setTimeout(() => void this.start(), 2000);
      return;
    }
    this.set({ feeder: feeder.value, error: null, waiting: false });
    const first = await api.call('grid.state', {});
    if (first.ok) this.onState(first.value);
    const events = await api.call('events.list', { limit: 200 });
    if (events.ok) this.set({ openEvents: events.value.events.filter((e) => e.phase === 'open') });
    this.stop.push(api.subscribe('grid.state', {}, (s) => this.onState(s)));
    this.stop.push(
      api.subscribe('events', {}, (m) => {
        const others = this.view.openEvents.filter((e) => e.key !== m.event.key);
        this.set({ openEvents: m.type === 'closed' ? others : [m.event, ...others] });
      }),
    );
  }

  private onState(s: GridState): void {
    this.live = s;
    if (!this.view.playback) this.set({ state: s });
  }

  private shutdown(): void {
    clearTimeout(this.retry);
    for (const s of this.stop) s();
    this.stop = [];
  }

  private set(patch: Partial<GridView>): void {
    this.view = { ...this.view, ...patch, version: this.view.version + 1 };
    for (const l of this.listeners) l();
  }
}

export const gridStore = new GridStore();

export function useGrid(): GridView {
  return useSyncExternalStore(gridStore.subscribe, gridStore.get);
}
