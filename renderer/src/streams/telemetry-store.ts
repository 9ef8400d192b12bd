// Decodes the core's binary frames into one ring buffer per signal and tells readers once per animation frame
// that something changed (a version number), so React re-renders at display pace, not at sample pace.
import { useSyncExternalStore } from 'react';
import { decodeFrame, SAMPLE_SCHEMA } from '../../../shared/contract/frame';
import { RingBuffer } from './ring-buffer';

export class TelemetryStore {
  private readonly rings = new Map<number, RingBuffer>();
  private readonly listeners = new Set<() => void>();
  private scheduled = false;
  version = 0;
  framesBad = 0;

  constructor(private readonly capacity = 6000) {}

  ingest(bytes: Uint8Array): void {
    let f;
    try {
      f = decodeFrame(bytes, SAMPLE_SCHEMA);
    } catch {
      this.framesBad++; // a bad frame is counted and shown, never allowed to break the display
      return;
    }
    const c = f.columns as Record<string, ArrayLike<number>>;
    for (let i = 0; i < f.rows; i++) {
      const id = c.signal[i];
      let r = this.rings.get(id);
      if (!r) this.rings.set(id, (r = new RingBuffer(this.capacity)));
      r.push(c.tSource[i], c.value[i], c.status[i]);
    }
    this.changed();
  }

  ring(signal: number): RingBuffer | undefined {
    return this.rings.get(signal);
  }

  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  };

  private changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = (): void => {
      this.scheduled = false;
      this.version++;
      for (const l of this.listeners) l();
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
    else setTimeout(flush, 16);
  }
}

export const telemetry = new TelemetryStore();

/** Re-renders the caller at most once per animation frame while telemetry arrives; returns the store's version. */
export function useTelemetryVersion(store: TelemetryStore = telemetry): number {
  return useSyncExternalStore(store.subscribe, () => store.version);
}
