// Allocation-free complex arithmetic over interleaved Float64Arrays ([re0, im0, re1, im1, ...]).
// The solver runs at >= 10 Hz inside the simulator, so hot loops index these arrays instead of creating objects.

export type CVec = Float64Array;

/** A complex number as a plain pair, used only on cold paths (model building, results API). */
export interface Complex {
  re: number;
  im: number;
}

export const cx = (re: number, im = 0): Complex => ({ re, im });
export const cpolar = (mag: number, deg: number): Complex => ({ re: mag * Math.cos((deg * Math.PI) / 180), im: mag * Math.sin((deg * Math.PI) / 180) });
export const cadd = (a: Complex, b: Complex): Complex => ({ re: a.re + b.re, im: a.im + b.im });
export const csub = (a: Complex, b: Complex): Complex => ({ re: a.re - b.re, im: a.im - b.im });
export const cmul = (a: Complex, b: Complex): Complex => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
export const cscale = (a: Complex, k: number): Complex => ({ re: a.re * k, im: a.im * k });
export const cconj = (a: Complex): Complex => ({ re: a.re, im: -a.im });
export const cabs = (a: Complex): number => Math.hypot(a.re, a.im);
export const cargDeg = (a: Complex): number => (Math.atan2(a.im, a.re) * 180) / Math.PI;
export function cdiv(a: Complex, b: Complex): Complex {
  const d = b.re * b.re + b.im * b.im;
  return { re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d };
}
export const cinv = (a: Complex): Complex => cdiv({ re: 1, im: 0 }, a);

/** out[o] += a[i] * b[j] */
export function cmulAddAt(out: CVec, o: number, a: CVec, i: number, b: CVec, j: number): void {
  const ar = a[2 * i], ai = a[2 * i + 1], br = b[2 * j], bi = b[2 * j + 1];
  out[2 * o] += ar * br - ai * bi;
  out[2 * o + 1] += ar * bi + ai * br;
}

/** out[o] -= a[i] * b[j] */
export function cmulSubAt(out: CVec, o: number, a: CVec, i: number, b: CVec, j: number): void {
  const ar = a[2 * i], ai = a[2 * i + 1], br = b[2 * j], bi = b[2 * j + 1];
  out[2 * o] -= ar * br - ai * bi;
  out[2 * o + 1] -= ar * bi + ai * br;
}

/** out[o] = a[i] / b[j] */
export function cdivAt(out: CVec, o: number, a: CVec, i: number, b: CVec, j: number): void {
  const ar = a[2 * i], ai = a[2 * i + 1], br = b[2 * j], bi = b[2 * j + 1];
  const d = br * br + bi * bi;
  out[2 * o] = (ar * br + ai * bi) / d;
  out[2 * o + 1] = (ai * br - ar * bi) / d;
}

export const cget = (v: CVec, i: number): Complex => ({ re: v[2 * i], im: v[2 * i + 1] });
export function cset(v: CVec, i: number, re: number, im: number): void {
  v[2 * i] = re;
  v[2 * i + 1] = im;
}
export const cabsAt = (v: CVec, i: number): number => Math.hypot(v[2 * i], v[2 * i + 1]);

/** A dense n x n complex matrix, row-major interleaved: element (r, c) at index r * n + c. */
export interface CMat {
  n: number;
  d: Float64Array;
}
export const cmat = (n: number): CMat => ({ n, d: new Float64Array(2 * n * n) });
export const cmGet = (m: CMat, r: number, c: number): Complex => cget(m.d, r * m.n + c);
export function cmSet(m: CMat, r: number, c: number, z: Complex): void {
  cset(m.d, r * m.n + c, z.re, z.im);
}
export function cmAdd(m: CMat, r: number, c: number, z: Complex): void {
  m.d[2 * (r * m.n + c)] += z.re;
  m.d[2 * (r * m.n + c) + 1] += z.im;
}

/** Inverts a small dense complex matrix by Gauss-Jordan with partial pivoting (line Z -> Y, at build time). */
export function cmInvert(m: CMat): CMat {
  const n = m.n;
  const a = cmat(n);
  a.d.set(m.d);
  const inv = cmat(n);
  for (let i = 0; i < n; i++) cmSet(inv, i, i, cx(1));
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (cabs(cmGet(a, r, col)) > cabs(cmGet(a, piv, col))) piv = r;
    if (cabs(cmGet(a, piv, col)) === 0) throw new Error('singular matrix');
    if (piv !== col) for (const x of [a, inv]) for (let c = 0; c < n; c++) {
      const t = cmGet(x, col, c);
      cmSet(x, col, c, cmGet(x, piv, c));
      cmSet(x, piv, c, t);
    }
    const p = cinv(cmGet(a, col, col));
    for (let c = 0; c < n; c++) {
      cmSet(a, col, c, cmul(cmGet(a, col, c), p));
      cmSet(inv, col, c, cmul(cmGet(inv, col, c), p));
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = cmGet(a, r, col);
      if (f.re === 0 && f.im === 0) continue;
      for (let c = 0; c < n; c++) {
        cmSet(a, r, c, csub(cmGet(a, r, c), cmul(f, cmGet(a, col, c))));
        cmSet(inv, r, c, csub(cmGet(inv, r, c), cmul(f, cmGet(inv, col, c))));
      }
    }
  }
  return inv;
}
