// Sparse complex LU without pivoting for nodal admittance matrices: minimum-degree ordering and symbolic fill once
// per topology, numeric factorisation per tap/switch/fault change, solves per iteration. Y-bus is diagonally strong.
import { AppError } from '../errors';

/** Complex CSR matrix: values interleaved (re, im). */
export interface CsrMatrix {
  n: number;
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
}

export interface LuSymbolic {
  n: number;
  perm: Int32Array; // perm[k] = original index eliminated at step k
  iperm: Int32Array;
  lPtr: Int32Array; // strict lower part by rows, permuted indices, ascending
  lIdx: Int32Array;
  uPtr: Int32Array; // strict upper part by rows, permuted indices
  uIdx: Int32Array;
}

export interface LuNumeric {
  sym: LuSymbolic;
  l: Float64Array;
  u: Float64Array;
  d: Float64Array; // U diagonal
  work: Float64Array;
}

/** Minimum-degree elimination on the pattern of `a` (treated as structurally symmetric). */
export function analyze(a: CsrMatrix): LuSymbolic {
  const n = a.n;
  const adj: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (let i = 0; i < n; i++) for (let k = a.ptr[i]; k < a.ptr[i + 1]; k++) {
    const j = a.idx[k];
    if (j !== i) { adj[i].add(j); adj[j].add(i); }
  }
  const done = new Uint8Array(n);
  const perm = new Int32Array(n), iperm = new Int32Array(n);
  const rows: number[][] = [];
  for (let k = 0; k < n; k++) {
    let best = -1, deg = Infinity;
    for (let i = 0; i < n; i++) if (!done[i] && adj[i].size < deg) { deg = adj[i].size; best = i; }
    perm[k] = best;
    iperm[best] = k;
    done[best] = 1;
    const nb = [...adj[best]];
    rows.push(nb);
    for (const x of nb) {
      adj[x].delete(best);
      for (const y of nb) if (y !== x) adj[x].add(y);
    }
  }
  // U row k = neighbours at elimination (all later); L rows are the transpose.
  const uRows = rows.map((r) => r.map((j) => iperm[j]).sort((p, q) => p - q));
  const lRows: number[][] = Array.from({ length: n }, () => []);
  uRows.forEach((r, k) => r.forEach((j) => lRows[j].push(k)));
  const pack = (rs: number[][]) => {
    const ptr = new Int32Array(n + 1);
    rs.forEach((r, i) => (ptr[i + 1] = ptr[i] + r.length));
    const idx = new Int32Array(ptr[n]);
    rs.forEach((r, i) => idx.set(r, ptr[i]));
    return { ptr, idx };
  };
  const L = pack(lRows), U = pack(uRows);
  return { n, perm, iperm, lPtr: L.ptr, lIdx: L.idx, uPtr: U.ptr, uIdx: U.idx };
}

export function factor(sym: LuSymbolic, a: CsrMatrix, into?: LuNumeric): LuNumeric {
  const { n, perm, iperm, lPtr, lIdx, uPtr, uIdx } = sym;
  const num = into ?? { sym, l: new Float64Array(2 * lIdx.length), u: new Float64Array(2 * uIdx.length), d: new Float64Array(2 * n), work: new Float64Array(2 * n) };
  const { l, u, d } = num;
  const w = num.work;
  for (let i = 0; i < n; i++) {
    const r = perm[i];
    for (let k = a.ptr[r]; k < a.ptr[r + 1]; k++) {
      const c = iperm[a.idx[k]];
      w[2 * c] += a.val[2 * k];
      w[2 * c + 1] += a.val[2 * k + 1];
    }
    for (let p = lPtr[i]; p < lPtr[i + 1]; p++) {
      const k = lIdx[p];
      const wr = w[2 * k], wi = w[2 * k + 1], dr = d[2 * k], di = d[2 * k + 1];
      const den = dr * dr + di * di;
      const lr = (wr * dr + wi * di) / den, li = (wi * dr - wr * di) / den;
      l[2 * p] = lr;
      l[2 * p + 1] = li;
      w[2 * k] = 0;
      w[2 * k + 1] = 0;
      for (let q = uPtr[k]; q < uPtr[k + 1]; q++) {
        const j = uIdx[q], ur = u[2 * q], ui = u[2 * q + 1];
        w[2 * j] -= lr * ur - li * ui;
        w[2 * j + 1] -= lr * ui + li * ur;
      }
    }
    d[2 * i] = w[2 * i];
    d[2 * i + 1] = w[2 * i + 1];
    w[2 * i] = 0;
    w[2 * i + 1] = 0;
    if (d[2 * i] === 0 && d[2 * i + 1] === 0) throw new AppError('NOT_CONVERGED', 'singular admittance matrix (a floating node?)', { node: r });
    for (let q = uPtr[i]; q < uPtr[i + 1]; q++) {
      const j = uIdx[q];
      u[2 * q] = w[2 * j];
      u[2 * q + 1] = w[2 * j + 1];
      w[2 * j] = 0;
      w[2 * j + 1] = 0;
    }
  }
  return num;
}

/** Solves A x = b; `b` and `x` are complex interleaved in original order and may be the same array. */
export function luSolve(num: LuNumeric, b: Float64Array, x: Float64Array): void {
  const { n, perm, lPtr, lIdx, uPtr, uIdx } = num.sym;
  const { l, u, d } = num;
  const y = num.work;
  for (let i = 0; i < n; i++) {
    let yr = b[2 * perm[i]], yi = b[2 * perm[i] + 1];
    for (let p = lPtr[i]; p < lPtr[i + 1]; p++) {
      const k = lIdx[p], lr = l[2 * p], li = l[2 * p + 1];
      yr -= lr * y[2 * k] - li * y[2 * k + 1];
      yi -= lr * y[2 * k + 1] + li * y[2 * k];
    }
    y[2 * i] = yr;
    y[2 * i + 1] = yi;
  }
  for (let i = n - 1; i >= 0; i--) {
    let yr = y[2 * i], yi = y[2 * i + 1];
    for (let q = uPtr[i]; q < uPtr[i + 1]; q++) {
      const j = uIdx[q], ur = u[2 * q], ui = u[2 * q + 1];
      yr -= ur * y[2 * j] - ui * y[2 * j + 1];
      yi -= ur * y[2 * j + 1] + ui * y[2 * j];
    }
    const dr = d[2 * i], di = d[2 * i + 1], den = dr * dr + di * di;
    y[2 * i] = (yr * dr + yi * di) / den;
    y[2 * i + 1] = (yi * dr - yr * di) / den;
  }
  for (let i = 0; i < n; i++) {
    x[2 * perm[i]] = y[2 * i];
    x[2 * perm[i] + 1] = y[2 * i + 1];
  }
  y.fill(0);
}

/** Builds CSR from triplets, summing duplicates (bucket by row, sort each row by column, merge). */
export function csrFromTriplets(n: number, rows: number[], cols: number[], vals: number[]): CsrMatrix {
  const m = rows.length;
  const start = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) start[rows[k] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const order = new Int32Array(m);
  for (let k = 0; k < m; k++) order[fill[rows[k]]++] = k;
  const ptr = new Int32Array(n + 1);
  const idx = new Int32Array(m);
  const val = new Float64Array(2 * m);
  let nz = 0;
  for (let i = 0; i < n; i++) {
    const a = start[i], b = start[i + 1];
    for (let p = a + 1; p < b; p++) { // insertion sort: rows hold a few dozen entries
      const k = order[p];
      let q = p - 1;
      while (q >= a && cols[order[q]] > cols[k]) { order[q + 1] = order[q]; q--; }
      order[q + 1] = k;
    }
    let last = -1;
    for (let p = a; p < b; p++) {
      const k = order[p];
      if (cols[k] !== last) { idx[nz++] = cols[k]; last = cols[k]; }
      val[2 * (nz - 1)] += vals[2 * k];
      val[2 * (nz - 1) + 1] += vals[2 * k + 1];
    }
    ptr[i + 1] = nz;
  }
  return { n, ptr, idx: idx.slice(0, nz), val: val.slice(0, 2 * nz) };
}
