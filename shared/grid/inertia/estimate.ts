// Inertia of an islanded microgrid from a known power step: H = ΔP·f0 / (2·S·RoCoF) (swing equation right after
// the step, before governors act), with a confidence from the fit, ΔP's uncertainty and the agreement of the PMUs.
//
// Limits, by design:
// - Grid-connected, the feeder's frequency is the bulk system's: a feeder-level ΔP moves the interconnection's
//   frequency by ΔP/(2·H_sys·S_sys/f0), orders of magnitude below PMU RoCoF error, so a feeder-level H is not
//   observable and the estimate is withheld (what would be "measured" is the bulk system's inertia, mis-scaled).
// - Without a known ΔP (a tripped unit's output from SCADA or a dispatched step), RoCoF alone gives no H: withheld.
// - A RoCoF below three times the PMU's RoCoF error (C37.118.1a: 0.1 Hz/s M class, 0.4 Hz/s P class) is noise: withheld.
// - The fit window (default 500 ms after a 50 ms delay) must stay shorter than governor and fast-frequency-response
//   delays. A straight line there is biased by load damping (H high by ~8 % at H = 2 s); the default quadratic fit
//   extrapolated to the event instant removes most of that bias at the cost of a wider standard error.
import { fitSlope, fitSlopeAt, type SlopeFit } from './fit';

export interface PmuSeries {
  id: string;
  t: ArrayLike<number>; // ms
  f: ArrayLike<number>; // Hz
}

export interface InertiaInput {
  island: string;
  tEventMs: number;
  f0: number;
  sMva: number; // online synchronous + grid-forming rating, the base of H
  pmus: PmuSeries[];
  deltaP?: { mw: number; sigmaMw: number; source: string }; // > 0: generation lost
  gridConnected: boolean;
  pmuRocofErrorHzPerS?: number;
  fitDelayMs?: number;
  fitWindowMs?: number;
  fit?: 'quadratic' | 'linear'; // quadratic (default) extrapolates df/dt to the event instant
}

export type InertiaResult =
  | {
      status: 'estimate';
      island: string;
      tEventMs: number;
      hS: number; // inertia constant on sMva base, s
      sigmaHS: number;
      relSigma: number;
      confidence: 'high' | 'medium' | 'low';
      kineticEnergyMWs: number; // H·S = ΔP·f0 / (2·|RoCoF|), independent of the S base
      rocofHzPerS: number;
      rocofStderr: number;
      pmuSpreadHzPerS: number;
      deltaPMw: number;
      pmus: Array<{ id: string; rocofHzPerS: number; stderr: number; n: number }>;
    }
  | { status: 'withheld'; island: string; tEventMs: number; reason: 'grid-connected' | 'deltaP-unknown' | 'rocof-below-noise' | 'insufficient-data' | 'sign-mismatch'; detail: string };

export function estimateInertia(x: InertiaInput): InertiaResult {
  const base = { island: x.island, tEventMs: x.tEventMs };
  const err = x.pmuRocofErrorHzPerS ?? 0.1;
  if (x.gridConnected) return { ...base, status: 'withheld', reason: 'grid-connected', detail: 'feeder-level inertia is not observable while the bulk system holds the frequency' };
  if (!x.deltaP || !Number.isFinite(x.deltaP.mw) || x.deltaP.mw === 0) return { ...base, status: 'withheld', reason: 'deltaP-unknown', detail: 'no tripped unit output or dispatched step is known for this event' };
  const from = x.tEventMs + (x.fitDelayMs ?? 50);
  const to = from + (x.fitWindowMs ?? 500);
  const fits: Array<SlopeFit & { id: string }> = x.pmus.map((p) => ({ id: p.id, ...(x.fit === 'linear' ? fitSlope(p.t, p.f, from, to) : fitSlopeAt(p.t, p.f, from, to, x.tEventMs)) })).filter((p) => Number.isFinite(p.slope) && Number.isFinite(p.stderr));
  if (fits.length === 0) return { ...base, status: 'withheld', reason: 'insufficient-data', detail: `no PMU has 3 usable samples in ${from}–${to} ms` };
  // Centre-of-inertia proxy: the plain mean of the PMUs' slopes; their spread says how well they agree.
  const m = fits.length;
  const rocof = fits.reduce((a, p) => a + p.slope, 0) / m;
  const fitErr = Math.sqrt(fits.reduce((a, p) => a + p.stderr * p.stderr, 0)) / m;
  const spread = m > 1 ? Math.sqrt(fits.reduce((a, p) => a + (p.slope - rocof) ** 2, 0) / (m - 1)) : 0;
  const pmuView = fits.map((p) => ({ id: p.id, rocofHzPerS: p.slope, stderr: p.stderr, n: p.n }));
  if (Math.abs(rocof) < 3 * err) return { ...base, status: 'withheld', reason: 'rocof-below-noise', detail: `|RoCoF| ${Math.abs(rocof).toFixed(4)} Hz/s < 3 × PMU RoCoF error ${err} Hz/s` };
  const dp = x.deltaP.mw;
  if (Math.sign(dp) !== -Math.sign(rocof)) return { ...base, status: 'withheld', reason: 'sign-mismatch', detail: `ΔP ${dp} MW and RoCoF ${rocof.toFixed(4)} Hz/s disagree in sign` };
  const ek = (dp * x.f0) / (2 * -rocof);
  const hS = ek / x.sMva;
  // Relative uncertainty: fit standard error and PMU disagreement on RoCoF (spread/√m for the mean), and ΔP's own.
  const sigmaRocof = Math.sqrt(fitErr * fitErr + (spread * spread) / m);
  const relSigma = Math.sqrt((sigmaRocof / Math.abs(rocof)) ** 2 + (x.deltaP.sigmaMw / Math.abs(dp)) ** 2);
  const confidence = relSigma < 0.05 ? 'high' : relSigma < 0.15 ? 'medium' : 'low';
  return {
    ...base,
    status: 'estimate',
    hS,
    sigmaHS: hS * relSigma,
    relSigma,
    confidence,
    kineticEnergyMWs: ek,
    rocofHzPerS: rocof,
    rocofStderr: sigmaRocof,
    pmuSpreadHzPerS: spread,
    deltaPMw: dp,
    pmus: pmuView,
  };
}

/** The continuous indicator: Σ H_i·S_i (MW·s) of the online synchronous and grid-forming units, from SCADA status. */
export function kineticEnergy(units: ReadonlyArray<{ hS: number; sMva: number; online: boolean }>): { kineticEnergyMWs: number; onlineMva: number } {
  let ek = 0;
  let s = 0;
  for (const u of units) {
    if (!u.online) continue;
    ek += u.hS * u.sMva;
    s += u.sMva;
  }
  return { kineticEnergyMWs: ek, onlineMva: s };
}
