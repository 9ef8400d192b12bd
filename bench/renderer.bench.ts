// The renderer's main-thread JavaScript per telemetry frame (decode into the ring buffers, then redraw a trend of
// 8 signals over 10 minutes) and per map update (liveMapData; playback frameAt), for the IEEE 123-node feeder and a
// synthetic 10,000-bus feeder. Runs in Node: the same code the page runs, without the GPU (not measured here).
import type { FeederInfo, GridState } from '../shared/contract/areas/grid';
import { encodeFrame, SAMPLE_SCHEMA } from '../shared/contract/frame';
import { frameAt, indexWindow } from '../renderer/src/features/events/playback';
import { liveMapData } from '../renderer/src/features/map/map-data';
import { strokeSeries, type Pen } from '../renderer/src/features/trends/trend-draw';
import { TelemetryStore } from '../renderer/src/streams/telemetry-store';
import { loadavg } from 'node:os';
import { median, percentile, report, time } from './lib';

function feederOf(n: number): FeederInfo {
  const buses = Array.from({ length: n }, (_, i) => `b${i}`);
  return {
    feeder: `synthetic-${n}`, buses, x: buses.map((_, i) => i % 100), y: buses.map((_, i) => Math.floor(i / 100)), placed: buses.map(() => true), phases: buses.map(() => [1, 2, 3]),
    branches: [], bounds: [0, 0, 100, n / 100], microgrids: [], ders: [], pmus: [],
    signals: buses.flatMap((b, i) => ['A', 'B', 'C'].map((p, k) => ({ id: 3 * i + k, key: `bus/${b}/V.${p}`, kind: 'bus', element: b, quantity: 'Vmag', phase: p as 'A', unit: 'V', nominal: 2401.8, bus: b }))),
    limits: { rangeA: [0.95, 1.05], rangeB: [0.917, 1.058] },
  };
}
/** A snapshot with `abnormal` (share of buses) outside ANSI Range A, the rest inside it. */
function stateOf(f: FeederInfo, k: number, abnormal: number): GridState {
  const v = f.buses.map((_, i) => {
    const u = ((i * 7919 + k * 104729) % 1000) / 1000;
    return u < abnormal ? 0.9 : 0.97 + 0.06 * u;
  });
  return { t: k, vMin: v, vMax: v.map((x) => x + 0.01), source: f.buses.map((_, i) => (i % 3 ? 'estimated' : 'measured')), microgrids: [], inertia: [] };
}
const stats = (xs: number[]) => ({ value: median(xs), p95: percentile(xs, 95), runs: xs.length });

async function main(): Promise<void> {
  // map updates at 10 Hz: one snapshot → typed attributes, reusing the previous arrays
  for (const [n, abnormal] of [[123, 0.02], [10_000, 0.02], [10_000, 0.5]]) {
    const f = feederOf(n);
    const states = Array.from({ length: 16 }, (_, k) => stateOf(f, k, abnormal));
    let into = liveMapData(f, states[0]);
    let k = 0;
    const xs = await time(() => (into = liveMapData(f, states[k++ % 16], into)), 200, 20);
    report({ bench: 'renderer', name: `map update (liveMapData), ${n} buses, ${abnormal * 100}% abnormal`, unit: 'ms', ...stats(xs), note: `goal p95 < 4 ms; load average ${loadavg()[0].toFixed(1)}` });
    // wall time on a shared 2-core machine includes waiting for a core: CPU time per update is the fairer figure
    const c0 = process.cpuUsage();
    for (let r = 0; r < 200; r++) into = liveMapData(f, states[r % 16], into);
    const c = process.cpuUsage(c0);
    report({ bench: 'renderer', name: `map update CPU time, ${n} buses, ${abnormal * 100}% abnormal`, unit: 'ms', value: (c.user + c.system) / 1000 / 200, runs: 200 });
    const series = f.signals.slice(0, Math.min(256, f.signals.length)).map((s) => ({ signal: s.id, t: Array.from({ length: 500 }, (_, i) => i * 20), v: Array.from({ length: 500 }, (_, i) => 2401.8 * (1 - 0.3 * Math.sin(i / 50))), status: new Array(500).fill(0) }));
    const ix = indexWindow(f, series);
    let at = 0;
    const ys = await time(() => frameAt(ix, (at += 37) % 10_000, null), 200, 20);
    report({ bench: 'renderer', name: `playback frame (frameAt, 256 signals), ${n} buses, ${abnormal * 100}% abnormal`, unit: 'ms', ...stats(ys) });
  }

  // telemetry: 20 frames/s carrying ~100k samples/s (5,000 per frame over 100 signals), then one trend redraw
  const store = new TelemetryStore(30_000);
  const SIGNALS = 100;
  const ROWS = 5000;
  let t0 = 0;
  const frames = Array.from({ length: 32 }, () => {
    const signal = new Uint32Array(ROWS), tSource = new Float64Array(ROWS), tServer = new Float64Array(ROWS), value = new Float64Array(ROWS), status = new Uint32Array(ROWS);
    for (let i = 0; i < ROWS; i++) {
      signal[i] = i % SIGNALS;
      tSource[i] = tServer[i] = t0 + Math.floor(i / SIGNALS) * 1;
      value[i] = 60 + Math.sin(i);
      status[i] = i % 997 === 0 ? 0x80000000 : 0;
    }
    t0 += ROWS / SIGNALS;
    return encodeFrame(SAMPLE_SCHEMA, { signal, tSource, tServer, value, status }, ROWS);
  });
  for (let w = 0; w < 200; w++) store.ingest(frames[w % 32]); // fill the rings (10 minutes at 50 Hz = 30,000 rows)
  const noop = () => {};
  const pen = { beginPath: noop, stroke: noop, setLineDash: noop, fillRect: noop, moveTo: noop, lineTo: noop, strokeStyle: '', fillStyle: '', lineWidth: 1 } as unknown as Pen;
  let fi = 0;
  const ingest = await time(() => store.ingest(frames[fi++ % 32]), 200, 20);
  report({ bench: 'renderer', name: 'telemetry frame ingest (5,000 samples)', unit: 'ms', ...stats(ingest) });
  const draw = await time(() => {
    const last = store.ring(0)!;
    const to = last.t[last.index(last.length - 1)];
    const frame = { from: to - 600_000, to, x0: 64, width: 1200, y: (v: number) => 200 - (v - 59) * 100, gapMs: 1500, scale: 1 };
    for (let s = 0; s < 8; s++) {
      strokeSeries(pen, store.ring(s)!, frame, false);
      strokeSeries(pen, store.ring(s)!, frame, true);
    }
  }, 200, 20);
  report({ bench: 'renderer', name: 'trend redraw, 8 signals × 21,000 rows each', unit: 'ms', ...stats(draw) });
  const both = ingest.map((x, i) => x + draw[i]);
  report({ bench: 'renderer', name: 'per telemetry frame total (ingest + trend redraw)', unit: 'ms', ...stats(both), note: 'goal p95 < 4 ms' });
}

void main();
