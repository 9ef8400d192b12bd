// Event playback: turns a history.window (raw samples per signal) into a grid.state frame at any instant, so the
// map's colours replay the event. Signals map to buses through the catalogue, volts to p.u. through `nominal`.
import type { FeederInfo, GridState } from '../../../../shared/contract/areas/grid';

export interface WindowSeries { signal: number; t: number[]; v: Array<number | null>; status: number[] }
export interface PlaybackIndex {
  /** per series: the bus index it colours (-1: not a bus voltage) and its p.u. scale */
  bus: Int32Array;
  scale: Float64Array;
  series: WindowSeries[];
  busCount: number;
}

/** Signals the playback asks the historian for: every bus voltage magnitude of the catalogue (≤ 256). */
export function voltageSignals(feeder: FeederInfo): number[] {
  return feeder.signals.filter((s) => s.quantity === 'Vmag' && s.bus !== undefined).slice(0, 256).map((s) => s.id);
}

export function indexWindow(feeder: FeederInfo, series: WindowSeries[]): PlaybackIndex {
  const busOf = new Map(feeder.buses.map((b, i) => [b.toLowerCase(), i]));
  const info = new Map(feeder.signals.map((s) => [s.id, s]));
  const bus = new Int32Array(series.length).fill(-1);
  const scale = new Float64Array(series.length);
  series.forEach((s, k) => {
    const i = info.get(s.signal);
    if (!i || i.quantity !== 'Vmag' || i.bus === undefined) return;
    const b = busOf.get(i.bus.toLowerCase());
    if (b === undefined) return;
    const pu = i.unit === 'pu' ? 1 : i.nominal ? 1 / i.nominal : Number.NaN;
    if (!Number.isFinite(pu)) return; // no nominal: cannot be put in p.u., so it does not colour the map
    bus[k] = b;
    scale[k] = pu;
  });
  return { bus, scale, series, busCount: feeder.buses.length };
}

/** Index of the last sample at or before t, or -1. */
function lastAtOrBefore(t: number[], at: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The grid state at `at`: per bus the lowest and highest phase in p.u. from the newest sample of Good/Uncertain quality. */
export function frameAt(ix: PlaybackIndex, at: number, live: GridState | null): GridState {
  const vMin: Array<number | null> = new Array(ix.busCount).fill(null);
  const vMax: Array<number | null> = new Array(ix.busCount).fill(null);
  for (let k = 0; k < ix.series.length; k++) {
    const b = ix.bus[k];
    if (b < 0) continue;
    const s = ix.series[k];
    const i = lastAtOrBefore(s.t, at);
    if (i < 0) continue;
    const raw = s.v[i];
    if (raw === null || s.status[i] >>> 30 >= 2) continue; // Bad quality never colours the map
    const v = raw * ix.scale[k];
    const lo = vMin[b];
    const hi = vMax[b];
    if (lo === null || v < lo) vMin[b] = v;
    if (hi === null || v > hi) vMax[b] = v;
  }
  const source = vMin.map((v): 'unknown' | 'measured' => (v === null ? 'unknown' : 'measured'));
  return { t: at, vMin, vMax, source, microgrids: live?.microgrids ?? [], inertia: live?.inertia ?? [] };
}
