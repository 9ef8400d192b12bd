// A simulated PMU: per-phase voltage and current phasors, frequency and RoCoF at its report rate, with seeded
// measurement noise and an estimator window (so frequency lags by half the window, as a real P-class PMU's does).
import type { Rng } from './rng';

/** Values of one report, in this order: VA/VB/VC mag (V) and angle (deg), IA/IB/IC mag (A) and angle, f, RoCoF. */
export const PMU_FIELDS = ['VA.mag', 'VA.ang', 'VB.mag', 'VB.ang', 'VC.mag', 'VC.ang', 'IA.mag', 'IA.ang', 'IB.mag', 'IB.ang', 'IC.mag', 'IC.ang', 'freq', 'rocof'] as const;
export type PmuField = (typeof PMU_FIELDS)[number];

export interface PhasorInput {
  vRe: number[]; // volts, per phase, in the solver's frame
  vIm: number[];
  iRe: number[]; // amperes
  iIm: number[];
  thetaDeg: number; // rotation of the island's frame against UTC at nominal frequency
  freqWindowMean: number; // true frequency averaged over the estimator window
  valid: boolean;
}

const wrap = (deg: number): number => ((((deg + 180) % 360) + 360) % 360) - 180;

export class PmuMeter {
  private fHist: number[] = [];
  readonly values = new Float64Array(PMU_FIELDS.length);

  constructor(readonly name: string, private rng: Rng, private noise: { magPct: number; angDeg: number; freqHz: number }, private rate: number) {}

  /** Produces one report into `values`; NaN where a phase does not exist. */
  measure(inp: PhasorInput): Float64Array {
    const v = this.values;
    const nm = this.noise.magPct / 100;
    for (let p = 0; p < 3; p++) {
      const vm = Math.hypot(inp.vRe[p], inp.vIm[p]);
      const im = Math.hypot(inp.iRe[p], inp.iIm[p]);
      v[2 * p] = vm * (1 + nm * this.rng.gauss());
      v[2 * p + 1] = Number.isNaN(vm) ? NaN : wrap((Math.atan2(inp.vIm[p], inp.vRe[p]) * 180) / Math.PI + inp.thetaDeg + this.noise.angDeg * this.rng.gauss());
      v[6 + 2 * p] = im * (1 + nm * this.rng.gauss());
      v[7 + 2 * p] = Number.isNaN(im) || im === 0 ? (Number.isNaN(im) ? NaN : 0) : wrap((Math.atan2(inp.iIm[p], inp.iRe[p]) * 180) / Math.PI + inp.thetaDeg + this.noise.angDeg * this.rng.gauss());
    }
    const f = inp.valid ? inp.freqWindowMean + this.noise.freqHz * this.rng.gauss() : NaN;
    this.fHist.push(f);
    // RoCoF over three reports: a short difference would amplify the frequency noise by the report rate.
    const span = 3;
    if (this.fHist.length > span + 1) this.fHist.shift();
    v[12] = f;
    v[13] = this.fHist.length > span ? ((f - this.fHist[0]) * this.rate) / span : 0;
    return v;
  }
}
