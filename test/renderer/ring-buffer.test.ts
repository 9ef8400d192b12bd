// Telemetry ring buffers and the store that fills them from binary frames: order after wrap-around, NaN and
// status carried, bad frames counted instead of breaking the display.
import { describe, expect, it } from 'vitest';
import { SAMPLE_SCHEMA, encodeFrame } from '../../shared/contract/frame';
import { RingBuffer } from '../../renderer/src/streams/ring-buffer';
import { TelemetryStore } from '../../renderer/src/streams/telemetry-store';

describe('ring buffer', () => {
  it('keeps the newest rows in time order after wrapping', () => {
    const r = new RingBuffer(3);
    for (let i = 1; i <= 5; i++) r.push(i, i * 10, 0);
    expect(r.length).toBe(3);
    expect(Array.from(r.snapshot().t)).toEqual([3, 4, 5]);
    expect(r.last()).toEqual({ t: 5, v: 50, s: 0 });
    expect(new RingBuffer(2).last()).toBeUndefined();
  });
});

describe('telemetry store', () => {
  it('splits a frame per signal and carries NaN and bad status', async () => {
    const s = new TelemetryStore(10);
    const bytes = encodeFrame(SAMPLE_SCHEMA, { signal: [7, 8, 7], tSource: [1, 1, 2], tServer: [1, 1, 2], value: [0.99, Number.NaN, 1.01], status: [0, 0x80000000, 0] }, 3);
    let notified = 0;
    s.subscribe(() => notified++);
    s.ingest(bytes);
    expect(Array.from(s.ring(7)!.snapshot().v)).toEqual([0.99, 1.01]);
    expect(Number.isNaN(s.ring(8)!.last()!.v)).toBe(true);
    expect(s.ring(8)!.last()!.s).toBe(0x80000000);
    await new Promise((r) => setTimeout(r, 50));
    expect(notified).toBe(1);
    expect(s.version).toBe(1);
  });

  it('counts a truncated frame and keeps going', () => {
    const s = new TelemetryStore(10);
    const bytes = encodeFrame(SAMPLE_SCHEMA, { signal: [1], tSource: [1], tServer: [1], value: [1], status: [0] }, 1);
    s.ingest(bytes.subarray(0, bytes.length - 8));
    expect(s.framesBad).toBe(1);
    s.ingest(bytes);
    expect(s.ring(1)!.length).toBe(1);
  });
});
