// The map's bus-voltage picture: measured where a PMU (or a SCADA bus voltage) reports, estimated elsewhere with
// the feeder model's WLS estimator (shared/grid estimateState) at ~1-2 Hz, unknown where neither is possible.
import type { GridState } from '../../../shared/contract/areas/grid';
import type { SignalInfo } from '../../../shared/domain/signals';
import { estimateState, type Network, type PmuMeasurement } from '../../../shared/grid';

const PHASE_NO = { A: 1, B: 2, C: 3 } as const;
const STALE_MS = 5000; // a measurement older than this no longer counts as measured

interface Reading { v: number; ang: number; t: number }

export class BusState {
  private readonly busIndex = new Map<string, number>();
  /** `${bus}.${phase}` → the latest measurement (p.u. magnitude, degrees) */
  private readonly readings = new Map<string, Reading>();
  private estimate = new Map<string, { min: number; max: number }>();
  private estimatedAt: number | undefined;
  lastEstimateMs = 0;
  /** the newest source time seen: staleness is judged in data time, so a lagging source is not "stale" */
  latestT = 0;
  lastError: string | undefined;

  constructor(
    private readonly buses: string[],
    private readonly net: Network | undefined,
    private readonly refBus: string | undefined, // the source-side PMU bus whose phase A angle is the reference
  ) {
    buses.forEach((b, i) => this.busIndex.set(b.toLowerCase(), i));
  }

  /** Feeds one voltage sample (Vmag or Vang) of a PMU or bus signal. */
  sample(s: SignalInfo, t: number, value: number, good: boolean): void {
    if (!s.phase || !s.bus || !good || !Number.isFinite(value)) return;
    const k = `${s.bus.toLowerCase()}.${PHASE_NO[s.phase]}`;
    const r = this.readings.get(k) ?? { v: NaN, ang: NaN, t: 0 };
    if (s.quantity === 'Vmag') {
      const nominal = s.unit === 'pu' ? 1 : s.nominal;
      if (!nominal) return;
      r.v = value / nominal;
      r.t = t;
      if (t > this.latestT) this.latestT = t;
    } else if (s.quantity === 'Vang') r.ang = value;
    else return;
    this.readings.set(k, r);
  }

  /** Runs the estimator on the fresh PMU phasors; switch states give the topology (e.g. an open PCC). */
  runEstimator(switches: Record<string, boolean>): void {
    if (!this.net) return;
    const now = this.latestT;
    const ref = this.refBus ? this.readings.get(`${this.refBus.toLowerCase()}.1`) : undefined;
    const pmu: PmuMeasurement[] = [];
    for (const [k, r] of this.readings) {
      if (now - r.t > STALE_MS || !Number.isFinite(r.v) || !Number.isFinite(r.ang) || !ref || !Number.isFinite(ref.ang)) continue;
      const [bus, ph] = k.split('.');
      if (!this.net.index.has(k)) continue;
      pmu.push({ bus, phase: Number(ph), vPu: r.v, angleDeg: ((((r.ang - ref.ang) % 360) + 540) % 360) - 180 });
    }
    const t0 = performance.now();
    try {
      const est = estimateState(this.net, pmu, [], { switches });
      const next = new Map<string, { min: number; max: number }>();
      for (const n of est.nodes) {
        if (!Number.isFinite(n.vPu)) continue;
        const b = n.bus.toLowerCase();
        const e = next.get(b) ?? { min: Infinity, max: -Infinity };
        e.min = Math.min(e.min, n.vPu);
        e.max = Math.max(e.max, n.vPu);
        next.set(b, e);
      }
      this.estimate = next;
      this.estimatedAt = now;
      this.lastError = undefined;
    } catch (e) {
      // an unobservable or failed solve leaves the estimated buses unknown rather than showing stale numbers
      this.estimate = new Map();
      this.lastError = (e as Error).message;
    }
    this.lastEstimateMs = performance.now() - t0;
  }

  /** Buses with a measurement, by lower-case name. */
  measuredBuses(): string[] {
    return [...new Set([...this.readings.keys()].map((k) => k.split('.')[0]))];
  }

  /** The worst phases of one measured bus right now, or undefined when it has no fresh reading. */
  measured(bus: string, now: number): { min: number; max: number } | undefined {
    let min = Infinity, max = -Infinity;
    for (const ph of [1, 2, 3]) {
      const r = this.readings.get(`${bus}.${ph}`);
      if (!r || now - r.t > STALE_MS || !Number.isFinite(r.v)) continue;
      min = Math.min(min, r.v);
      max = Math.max(max, r.v);
    }
    return Number.isFinite(min) ? { min, max } : undefined;
  }

  snapshot(): Pick<GridState, 'vMin' | 'vMax' | 'source' | 'estimatedAt'> {
    const now = this.latestT;
    const n = this.buses.length;
    const vMin: (number | null)[] = new Array(n).fill(null);
    const vMax: (number | null)[] = new Array(n).fill(null);
    const source: GridState['source'] = new Array(n).fill('unknown');
    const fresh = this.estimatedAt !== undefined && now - this.estimatedAt < STALE_MS;
    this.buses.forEach((name, i) => {
      const b = name.toLowerCase();
      const m = this.measured(b, now);
      const e = fresh ? this.estimate.get(b) : undefined;
      if (m) [vMin[i], vMax[i], source[i]] = [m.min, m.max, 'measured'];
      else if (e) [vMin[i], vMax[i], source[i]] = [e.min, e.max, 'estimated'];
    });
    return { vMin, vMax, source, ...(this.estimatedAt !== undefined ? { estimatedAt: this.estimatedAt } : {}) };
  }
}
