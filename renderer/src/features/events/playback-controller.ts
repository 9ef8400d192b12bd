// The playback of one event's window, alive across panes: a time cursor stepped by animation frames at a chosen
// speed; each step pushes the frame at the cursor into the map's grid-store and the cursor into the trends.
import { useSyncExternalStore } from 'react';
import type { FeederInfo, LiveEvent } from '../../../../shared/contract/areas/grid';
import { bridge } from '../../bridge';
import { gridStore } from '../map/grid-store';
import { trendFocus } from '../trends/trend-focus';
import { frameAt, indexWindow, voltageSignals, type PlaybackIndex, type WindowSeries } from './playback';

export interface PlaybackView {
  event: LiveEvent | null;
  from: number;
  to: number;
  at: number;
  playing: boolean;
  speed: number;
  series: WindowSeries[];
  loading: boolean;
  error: string | null;
}

const IDLE: PlaybackView = { event: null, from: 0, to: 0, at: 0, playing: false, speed: 1, series: [], loading: false, error: null };

class PlaybackController {
  private view: PlaybackView = IDLE;
  private ix: PlaybackIndex | null = null;
  private readonly listeners = new Set<() => void>();
  private raf = 0;
  private lastTick = 0;

  get = (): PlaybackView => this.view;
  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  };

  /** Loads an event's window (its signals and every bus voltage) and parks the cursor at the event's start. */
  async load(feeder: FeederInfo, event: LiveEvent): Promise<void> {
    this.stop();
    if (event.id === undefined) {
      this.set({ ...IDLE, event, error: 'The event is still open: its window is in the historian once it closes.' });
      return;
    }
    this.set({ ...IDLE, event, loading: true });
    const signals = [...new Set([...(event.signals ?? []), ...voltageSignals(feeder), ...feeder.signals.filter((s) => s.quantity === 'freq').map((s) => s.id)])].slice(0, 256);
    const r = await bridge().call('history.window', { eventId: event.id, preMs: 2000, postMs: 3000, signals });
    if (this.view.event !== event) return; // another event was picked meanwhile
    if (!r.ok) {
      this.set({ loading: false, error: `${r.error.code}: ${r.error.message}` });
      return;
    }
    this.ix = indexWindow(feeder, r.value.series);
    this.set({ loading: false, from: r.value.from, to: r.value.to, at: r.value.from, series: r.value.series });
    trendFocus.set({ from: r.value.from, to: r.value.to, signals: (event.signals ?? []).slice(0, 32), at: r.value.from });
    this.seek(r.value.from);
  }

  seek(at: number): void {
    if (!this.ix) return;
    const t = Math.min(this.view.to, Math.max(this.view.from, at));
    gridStore.setPlayback({ state: frameAt(this.ix, t, gridStore.get().state), at: t, from: this.view.from, to: this.view.to });
    const f = trendFocus.get();
    if (f) trendFocus.set({ ...f, at: t });
    this.set({ at: t });
  }

  play(): void {
    if (!this.ix || this.view.playing) return;
    if (this.view.at >= this.view.to) this.seek(this.view.from);
    this.set({ playing: true });
    this.lastTick = performance.now();
    const step = (now: number): void => {
      const dt = (now - this.lastTick) * this.view.speed;
      this.lastTick = now;
      this.seek(this.view.at + dt);
      if (this.view.at >= this.view.to) this.set({ playing: false });
      else if (this.view.playing) this.raf = requestAnimationFrame(step);
    };
    this.raf = requestAnimationFrame(step);
  }

  pause(): void {
    cancelAnimationFrame(this.raf);
    this.set({ playing: false });
  }

  setSpeed(speed: number): void {
    this.set({ speed });
  }

  /** Back to live: the map shows the latest snapshot again and the trends follow the clock. */
  stop(): void {
    cancelAnimationFrame(this.raf);
    this.ix = null;
    if (this.view.event) {
      gridStore.setPlayback(null);
      trendFocus.set(null);
    }
    this.set(IDLE);
  }

  private set(patch: Partial<PlaybackView>): void {
    this.view = { ...this.view, ...patch };
    for (const l of this.listeners) l();
  }
}

export const playback = new PlaybackController();

export function usePlayback(): PlaybackView {
  return useSyncExternalStore(playback.subscribe, playback.get);
}
