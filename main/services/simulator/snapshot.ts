// One quasi-static network state in volts and amperes, per bus and branch, as the PMUs and SCADA read it; built
// from a solver result with the islanded and dead sections overlaid, and interpolated between two solves.
import type { FeederTopology, PhasorTriple, SolveResult } from './grid-solver';

/** [reA, reB, reC, imA, imB, imC] */
export type Phasors = Float64Array;

export interface Snapshot {
  t: number; // sim seconds
  /** True when an event happened at `t`: frames before it take the previous snapshot instead of interpolating. */
  step: boolean;
  v: Map<string, Phasors>; // volts
  vPu: Map<string, [number, number]>; // min and max phase magnitude, p.u.
  i: Map<string, Phasors>; // amperes
  sourceKW: number;
  sourceKvar: number;
}

const fromTriple = (x: PhasorTriple | undefined, scale: number): Phasors => {
  const out = new Float64Array(6).fill(NaN);
  if (!x) return out;
  for (let p = 0; p < 3; p++) {
    out[p] = x.re[p] * scale;
    out[p + 3] = x.im[p] * scale;
  }
  return out;
};

export function snapshotFrom(t: number, step: boolean, topo: FeederTopology, r: SolveResult): Snapshot {
  const v = new Map<string, Phasors>();
  const vPu = new Map<string, [number, number]>();
  for (const b of topo.buses) {
    const pu = r.busV.get(b.name);
    v.set(b.name, fromTriple(pu, b.kvLN * 1000));
    let lo = Infinity, hi = 0;
    if (pu) for (let p = 0; p < 3; p++) {
      const m = Math.hypot(pu.re[p], pu.im[p]);
      if (Number.isNaN(m)) continue;
      lo = Math.min(lo, m);
      hi = Math.max(hi, m);
    }
    vPu.set(b.name, [Number.isFinite(lo) ? lo : 0, hi]);
  }
  const i = new Map<string, Phasors>();
  for (const br of topo.branches) i.set(br.name, fromTriple(r.branchI.get(br.name), 1));
  return { t, step, v, vPu, i, sourceKW: r.sourceKW, sourceKvar: r.sourceKvar };
}

/** Sets a bus to a scaled copy of a reference phasor set (an island's voltage) or to zero (dead). */
export function overlayBus(s: Snapshot, bus: string, ref: Phasors | undefined, refPu: [number, number] | undefined, scale: number): void {
  const out = new Float64Array(6);
  for (let k = 0; k < 6; k++) out[k] = ref ? (Number.isNaN(ref[k]) ? NaN : ref[k] * scale) : Number.isNaN(s.v.get(bus)?.[k] ?? NaN) ? NaN : 0;
  s.v.set(bus, out);
  s.vPu.set(bus, ref && refPu ? [refPu[0] * scale, refPu[1] * scale] : [0, 0]);
}

/** Linear interpolation of every phasor between two snapshots (quasi-static solves at >= 10 Hz, PMUs at 30/60). */
export function lerpInto(out: Float64Array, a: Phasors | undefined, b: Phasors | undefined, w: number): Float64Array {
  for (let k = 0; k < 6; k++) {
    const x = a ? a[k] : NaN, y = b ? b[k] : NaN;
    out[k] = Number.isNaN(x) ? y : Number.isNaN(y) ? x : x + (y - x) * w;
  }
  return out;
}
