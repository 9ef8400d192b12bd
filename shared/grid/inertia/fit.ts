// Least-squares line through (t, f) samples in a time window, with the standard error of its slope: the longer
// df/dt fit the inertia estimate uses (one per PMU, then combined across the PMUs of one island).

export interface SlopeFit {
  slope: number; // Hz/s
  stderr: number; // Hz/s, from the residuals
  n: number;
}

/** Fits f = a + b·t over t in [fromMs, toMs]; NaN slope when fewer than 3 usable samples. */
export function fitSlope(t: ArrayLike<number>, f: ArrayLike<number>, fromMs: number, toMs: number): SlopeFit {
  let n = 0;
  let mt = 0;
  let mf = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] < fromMs || t[i] > toMs || !Number.isFinite(f[i])) continue;
    n++;
    mt += (t[i] - fromMs) / 1000;
    mf += f[i];
  }
  if (n < 3) return { slope: Number.NaN, stderr: Number.NaN, n };
  mt /= n;
  mf /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] < fromMs || t[i] > toMs || !Number.isFinite(f[i])) continue;
    const x = (t[i] - fromMs) / 1000 - mt;
    sxx += x * x;
    sxy += x * (f[i] - mf);
  }
  const slope = sxy / sxx;
  let ssr = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] < fromMs || t[i] > toMs || !Number.isFinite(f[i])) continue;
    const x = (t[i] - fromMs) / 1000 - mt;
    const r = f[i] - mf - slope * x;
    ssr += r * r;
  }
  return { slope, stderr: Math.sqrt(ssr / (n - 2) / sxx), n };
}

/**
 * Fits f = a + b·x + c·x² (x in s from `fromMs`) and returns df/dt at `atMs` with its standard error. Extrapolating
 * the quadratic to the event instant removes most of the bias load damping puts on a straight-line fit (Inoue 1997).
 */
export function fitSlopeAt(t: ArrayLike<number>, f: ArrayLike<number>, fromMs: number, toMs: number, atMs: number): SlopeFit {
  const idx: number[] = [];
  for (let i = 0; i < t.length; i++) if (t[i] >= fromMs && t[i] <= toMs && Number.isFinite(f[i])) idx.push(i);
  const n = idx.length;
  if (n < 5) return { slope: Number.NaN, stderr: Number.NaN, n };
  let f0 = 0;
  for (const i of idx) f0 += f[i];
  f0 /= n;
  const M = [0, 0, 0, 0, 0]; // Σx^k, k = 0..4
  const V = [0, 0, 0]; // Σ y·x^k
  for (const i of idx) {
    const x = (t[i] - fromMs) / 1000;
    const y = f[i] - f0;
    let p = 1;
    for (let k = 0; k < 5; k++) {
      M[k] += p;
      if (k < 3) V[k] += y * p;
      p *= x;
    }
  }
  const A = [
    [M[0], M[1], M[2]],
    [M[1], M[2], M[3]],
    [M[2], M[3], M[4]],
  ];
  const inv = invert3(A);
  if (!inv) return { slope: Number.NaN, stderr: Number.NaN, n };
  const coef = [0, 1, 2].map((r) => inv[r][0] * V[0] + inv[r][1] * V[1] + inv[r][2] * V[2]);
  let ssr = 0;
  for (const i of idx) {
    const x = (t[i] - fromMs) / 1000;
    const r = f[i] - f0 - (coef[0] + coef[1] * x + coef[2] * x * x);
    ssr += r * r;
  }
  const s2 = ssr / (n - 3);
  const x0 = (atMs - fromMs) / 1000;
  const g = [0, 1, 2 * x0];
  let v = 0;
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) v += g[r] * inv[r][c] * g[c];
  return { slope: coef[1] + 2 * coef[2] * x0, stderr: Math.sqrt(Math.max(0, s2 * v)), n };
}

function invert3(a: number[][]): number[][] | undefined {
  const [[p, q, r], [s, t, u], [v, w, x]] = a;
  const c00 = t * x - u * w;
  const c01 = -(s * x - u * v);
  const c02 = s * w - t * v;
  const det = p * c00 + q * c01 + r * c02;
  if (!(Math.abs(det) > 1e-300)) return undefined;
  const k = 1 / det;
  return [
    [c00 * k, -(q * x - r * w) * k, (q * u - r * t) * k],
    [c01 * k, (p * x - r * v) * k, -(p * u - r * s) * k],
    [c02 * k, -(p * w - q * v) * k, (p * t - q * s) * k],
  ];
}
