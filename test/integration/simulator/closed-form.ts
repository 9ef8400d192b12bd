// Closed-form frequency response of a single-area system to a step loss of generation, derived here from the
// textbook model (swing + first-order governor + load damping), independently of the simulator's integrator:
//   2H·dΔω/dt = ΔPm − ΔP − D·Δω,   Tg·dΔPm/dt = −Δω/R − ΔPm      (per unit on the area's rating)
//   Δω(s) = −ΔP·(1 + Tg·s) / (s·(a·s² + b·s + c)),  a = 2H·Tg, b = 2H + D·Tg, c = D + 1/R
// For the underdamped case the inverse transform is Δω(t) = −ΔP/c + e^(−σt)·(A·cos ωd·t + B·sin ωd·t) with
// Δω(0) = 0 (A = ΔP/c) and Δω'(0) = −ΔP/(2H) by the initial-value theorem (B = (σA − ΔP/(2H))/ωd).

export interface AreaParams {
  f0: number;
  h: number; // s
  droop: number; // R, p.u.
  damping: number; // D, p.u.
  tg: number; // s
  dP: number; // loss, p.u. of the area rating
}

export interface StepResponse {
  df(t: number): number; // Hz, t seconds after the step
  initialRocof: number; // Hz/s
  settled: number; // Hz
  nadirTime: number; // s
  nadir: number; // Hz deviation at the nadir
}

export function stepResponse(p: AreaParams): StepResponse {
  const a = 2 * p.h * p.tg, b = 2 * p.h + p.damping * p.tg, c = p.damping + 1 / p.droop;
  const disc = b * b - 4 * a * c;
  if (disc >= 0) throw new Error('closed form written for the underdamped case only');
  const sigma = b / (2 * a), wd = Math.sqrt(-disc) / (2 * a);
  const A = p.dP / c;
  const B = (sigma * A - p.dP / (2 * p.h)) / wd;
  const dw = (t: number) => -p.dP / c + Math.exp(-sigma * t) * (A * Math.cos(wd * t) + B * Math.sin(wd * t));
  // dΔω/dt = e^(−σt)·[(ωd·B − σA)·cos ωd t − (σB + ωd·A)·sin ωd t] = 0  →  tan(ωd t) = (ωd·B − σA)/(σB + ωd·A)
  let tn = Math.atan((wd * B - sigma * A) / (sigma * B + wd * A)) / wd;
  while (tn <= 0) tn += Math.PI / wd;
  return { df: (t) => p.f0 * dw(t), initialRocof: (-p.dP * p.f0) / (2 * p.h), settled: (-p.dP * p.f0) / c, nadirTime: tn, nadir: p.f0 * dw(tn) };
}

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n, my = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}
