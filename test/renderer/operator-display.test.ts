// Operator display logic without a browser: trend drawing (decimation, gaps as breaks, Bad quality apart), event
// playback frames (catalogue → bus, volts → p.u., Bad never colours), event merging and the sequence of events.
import { describe, expect, it } from 'vitest';
import type { FeederInfo, LiveEvent } from '../../shared/contract/areas/grid';
import { RingBuffer } from '../../renderer/src/streams/ring-buffer';
import { frameAt, indexWindow } from '../../renderer/src/features/events/playback';
import { mergeEvent, orderEvents } from '../../renderer/src/features/events/use-events';
import { soeRows } from '../../renderer/src/features/events/soe-list';
import { categoryFor } from '../../renderer/src/features/events/event-detail';
import { lowerBound, strokeSeries, type Pen } from '../../renderer/src/features/trends/trend-draw';

function recorder() {
  const ops: Array<[string, number, number]> = [];
  const pen = { beginPath() {}, stroke() {}, setLineDash() {}, fillRect() {}, moveTo: (x: number, y: number) => ops.push(['M', x, y]), lineTo: (x: number, y: number) => ops.push(['L', x, y]), strokeStyle: '', fillStyle: '', lineWidth: 1 } as unknown as Pen;
  return { pen, ops };
}
const frame = { from: 0, to: 1000, x0: 0, width: 100, y: (v: number) => v, gapMs: 50, scale: 1 };

describe('trend drawing', () => {
  it('walks a wrapped ring in time order and finds the window start by binary search', () => {
    const r = new RingBuffer(8);
    for (let i = 0; i < 12; i++) r.push(i * 10, i, 0);
    expect(r.t[r.index(0)]).toBe(40);
    expect(lowerBound(r, 75)).toBe(4); // 40 50 60 70 | 80
  });
  it('draws one min/max pair per pixel column, not one vertex per sample', () => {
    const r = new RingBuffer(2000);
    for (let i = 0; i < 1000; i++) r.push(i, i % 7, 0); // 10 samples per column
    const { pen, ops } = recorder();
    strokeSeries(pen, r, frame, false);
    expect(ops.length).toBeLessThanOrEqual(2 * 101);
    expect(ops.filter((o) => o[0] === 'M')).toHaveLength(1);
    expect(Math.max(...ops.map((o) => o[2]))).toBe(6);
  });
  it('breaks the line at a gap and keeps Bad samples out of the Good path (and draws them in the Bad one)', () => {
    const r = new RingBuffer(100);
    const BAD = 0x80000000;
    for (const t of [0, 10, 20, 30, 200, 210, 220]) r.push(t, 1, 0);
    r.push(230, 9, BAD);
    r.push(240, 1, 0);
    const good = recorder();
    strokeSeries(good.pen, r, frame, false);
    expect(good.ops.filter((o) => o[0] === 'M')).toHaveLength(3); // start, after the gap, after the Bad sample
    expect(good.ops.some((o) => o[2] === 9)).toBe(false);
    const bad = recorder();
    strokeSeries(bad.pen, r, frame, true);
    expect(bad.ops).toEqual([['M', 23, 9]]);
  });
});

const feeder = {
  feeder: 'ieee123', buses: ['150', '13', '60'], x: [0, 1, 2], y: [0, 0, 0], placed: [true, true, true], phases: [[1, 2, 3], [1, 2, 3], [1]], branches: [], bounds: [0, 0, 2, 0], microgrids: [],
  ders: [{ name: 'pv1', kind: 'pv', bus: 1, kVA: 100, category: 'III', gridForming: false }], pmus: [],
  signals: [
    { id: 1, key: 'pmu/P13/VA', kind: 'pmu', element: 'P13', quantity: 'Vmag', phase: 'A', unit: 'V', nominal: 2400, bus: '13' },
    { id: 2, key: 'pmu/P13/VB', kind: 'pmu', element: 'P13', quantity: 'Vmag', phase: 'B', unit: 'V', nominal: 2400, bus: '13' },
    { id: 3, key: 'pmu/P13/f', kind: 'pmu', element: 'P13', quantity: 'freq', unit: 'Hz', bus: '13' },
  ],
  limits: { rangeA: [0.95, 1.05], rangeB: [0.917, 1.058] },
} as FeederInfo;

describe('event playback', () => {
  const ix = indexWindow(feeder, [
    { signal: 1, t: [0, 100, 200], v: [2400, 1200, 2400], status: [0, 0, 0] },
    { signal: 2, t: [0, 100, 200], v: [2400, 2520, 9999], status: [0, 0, 0x80000000] },
    { signal: 3, t: [0], v: [60], status: [0] },
  ]);
  it('gives each bus its lowest and highest phase in p.u. at the cursor', () => {
    const f = frameAt(ix, 150, null);
    expect(f.vMin[1]).toBeCloseTo(0.5);
    expect(f.vMax[1]).toBeCloseTo(1.05);
    expect(f.vMin[0]).toBeNull();
    expect(f.source).toEqual(['unknown', 'measured', 'unknown']);
  });
  it('never colours the map from a Bad sample, and nothing before the first sample', () => {
    expect(frameAt(ix, 250, null).vMax[1]).toBeCloseTo(1.0); // phase B's last sample is Bad: phase A only
    expect(frameAt(ix, -1, null).vMin[1]).toBeNull();
  });
});

describe('events', () => {
  const ev = (key: string, t: number, phase: 'open' | 'closed', id?: number): LiveEvent => ({ key, t, phase, kind: 'bus', severity: 'warning', source: '13', bus: '13', message: '', durationMs: 10, ...(id ? { id, tEnd: t + 10 } : {}) });
  it('replaces an open event by its close and keeps open ones first', () => {
    const l = orderEvents(mergeEvent(mergeEvent([ev('b', 5, 'closed', 7)], ev('a', 1, 'open')), ev('c', 9, 'open')));
    expect(l.map((e) => e.key)).toEqual(['c', 'a', 'b']);
    const closed = orderEvents(mergeEvent(l, ev('a', 1, 'closed', 8)));
    expect(closed.filter((e) => e.key === 'a')).toHaveLength(1);
    expect(closed.find((e) => e.key === 'a')!.id).toBe(8);
  });
  it('lists starts and ends in the sequence of events, newest first, to the millisecond', () => {
    const rows = soeRows([ev('b', 1000, 'closed', 7)], []);
    expect(rows.map((r) => r.t)).toEqual([1010, 1000]);
  });
  it('takes the envelope category from the DER on the event bus', () => {
    expect(categoryFor(feeder, ev('x', 0, 'open'))).toBe('III');
  });
});
