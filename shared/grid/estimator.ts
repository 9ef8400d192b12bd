// State estimator: weighted least squares over the load currents and the source voltages, with node voltages
// linear in them through the factorised network (V_u = Z I + Zs Vs). Zero injections are exact by construction,
// so no huge weights spoil the conditioning. PMU phasors, SCADA P/Q and model pseudo-loads are the measurements.
import { AppError } from '../errors';
import { luSolve } from './sparse-lu';
import { transformerY, type Network } from './network';
import { assemble } from './ybus';

export interface PmuMeasurement { bus: string; phase: number; vPu: number; angleDeg: number; sigmaPu?: number }
/** Net consumption measured at a bus (all its loads, or those on `phase`). */
export interface ScadaMeasurement { bus: string; phase?: number; p_kW: number; q_kvar: number; sigmaPct?: number }

export interface EstimatorOptions {
  taps?: Record<string, number>; // regulator tap steps by transformer name (others at their model tap)
  switches?: Record<string, boolean>;
  pseudoLoadScale?: number; // prior on unmeasured loads: the model's nominal load times this
  pseudoSigmaPct?: number; // their uncertainty (default 50 %)
  sourceSigmaPu?: number; // prior on the source voltage around its setpoint (default 0.05)
  maxIterations?: number;
}

export interface NodeEstimate {
  bus: string;
  phase: number;
  vPu: number;
  angleDeg: number;
  status: 'measured' | 'estimated';
  residual: number; // measured - estimated |V| in pu (measured nodes), NaN otherwise
  sigmaPu: number; // posterior standard deviation of the estimate
}

export interface StateEstimate {
  nodes: NodeEstimate[];
  iterations: number;
  objective: number; // J = sum of weighted squared residuals
  /** The measurement that fits worst, |r|/sigma: a first pointer to bad or forged data (> 3 is suspect). */
  worst: { label: string; weightedResidual: number };
}

const SQ = (re: number, im: number) => re * re + im * im;

/** Solves the dense complex system A x = b in place (Gaussian elimination, partial pivoting); A is p x p. */
function denseSolve(a: Float64Array, b: Float64Array, p: number, nrhs: number): void {
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (SQ(a[2 * (r * p + c)], a[2 * (r * p + c) + 1]) > SQ(a[2 * (piv * p + c)], a[2 * (piv * p + c) + 1])) piv = r;
    if (piv !== c) {
      for (let k = 0; k < 2 * p; k++) { const t = a[2 * c * p + k]; a[2 * c * p + k] = a[2 * piv * p + k]; a[2 * piv * p + k] = t; }
      for (let k = 0; k < 2 * nrhs; k++) { const t = b[2 * c * nrhs + k]; b[2 * c * nrhs + k] = b[2 * piv * nrhs + k]; b[2 * piv * nrhs + k] = t; }
    }
    const dr = a[2 * (c * p + c)], di = a[2 * (c * p + c) + 1], den = SQ(dr, di);
    if (den === 0) throw new AppError('NOT_CONVERGED', 'state estimator: gain matrix is singular (unobservable)', {});
    for (let r = c + 1; r < p; r++) {
      const xr = a[2 * (r * p + c)], xi = a[2 * (r * p + c) + 1];
      if (xr === 0 && xi === 0) continue;
      const fr = (xr * dr + xi * di) / den, fi = (xi * dr - xr * di) / den;
      for (let k = c; k < p; k++) { const ur = a[2 * (c * p + k)], ui = a[2 * (c * p + k) + 1]; a[2 * (r * p + k)] -= fr * ur - fi * ui; a[2 * (r * p + k) + 1] -= fr * ui + fi * ur; }
      for (let k = 0; k < nrhs; k++) { const ur = b[2 * (c * nrhs + k)], ui = b[2 * (c * nrhs + k) + 1]; b[2 * (r * nrhs + k)] -= fr * ur - fi * ui; b[2 * (r * nrhs + k) + 1] -= fr * ui + fi * ur; }
    }
  }
  for (let c = p - 1; c >= 0; c--) {
    const dr = a[2 * (c * p + c)], di = a[2 * (c * p + c) + 1], den = SQ(dr, di);
    for (let k = 0; k < nrhs; k++) {
      let sr = b[2 * (c * nrhs + k)], si = b[2 * (c * nrhs + k) + 1];
      for (let j = c + 1; j < p; j++) { const ar = a[2 * (c * p + j)], ai = a[2 * (c * p + j) + 1], xr = b[2 * (j * nrhs + k)], xi = b[2 * (j * nrhs + k) + 1]; sr -= ar * xr - ai * xi; si -= ar * xi + ai * xr; }
      b[2 * (c * nrhs + k)] = (sr * dr + si * di) / den;
      b[2 * (c * nrhs + k) + 1] = (si * dr - sr * di) / den;
    }
  }
}

export function estimateState(net: Network, pmu: PmuMeasurement[], scada: ScadaMeasurement[], opts: EstimatorOptions = {}): StateEstimate {
  const model = net.model, n = net.n, sb = net.sBase;
  // network without loads, taps as given
  const closed = Uint8Array.from(net.branches, (b) => (b.closed ? 1 : 0));
  for (const [name, c] of Object.entries(opts.switches ?? {})) {
    const k = net.branches.findIndex((b) => b.name.toLowerCase() === name.toLowerCase());
    if (k < 0) throw new AppError('INVALID_ARGUMENT', `switches.${name}: no such line or switch`, { field: `switches.${name}` });
    closed[k] = c ? 1 : 0;
  }
  const branchY = net.branches.map((b) => {
    if (b.xf === undefined) return b.y;
    const t = model.transformers[b.xf];
    const taps = t.windings.map((w) => w.tap) as [number, number];
    const step = opts.taps?.[t.name];
    if (step !== undefined) taps[net.regs.find((r) => r.xf === b.xf)?.winding ?? 1] = 1 + step * t.tapIncrement;
    return transformerY(t, taps);
  });
  const { sys } = assemble({ ...net, loads: [] }, { closed, branchY, faults: [], slackBuses: [] });
  const els = net.loads.filter((l) => sys.energized[l.a]);
  const L = els.length, p = L + 3, nu = sys.unknowns.length;
  // columns: response of every node voltage to each unknown (load current drawn a->b, then each source EMF)
  const cols: Float64Array[] = [];
  const rhs = new Float64Array(2 * nu), x = new Float64Array(2 * nu);
  const full = (u: Float64Array, slackVal?: number) => { const out = new Float64Array(2 * n); for (let k = 0; k < nu; k++) { out[2 * sys.unknowns[k]] = u[2 * k]; out[2 * sys.unknowns[k] + 1] = u[2 * k + 1]; } if (slackVal !== undefined) out[2 * slackVal] = 1; return out; };
  for (const l of els) {
    rhs.fill(0);
    if (sys.uOf[l.a] >= 0) rhs[2 * sys.uOf[l.a]] = -1;
    if (l.b >= 0 && sys.uOf[l.b] >= 0) rhs[2 * sys.uOf[l.b]] = 1;
    luSolve(sys.lu, rhs, x);
    cols.push(full(x));
  }
  for (let s = 0; s < 3; s++) {
    rhs.fill(0);
    for (let k = 0; k < sys.yus.u.length; k++) if (sys.yus.s[k] === s) { rhs[2 * sys.yus.u[k]] -= sys.yus.val[2 * k]; rhs[2 * sys.yus.u[k] + 1] -= sys.yus.val[2 * k + 1]; }
    luSolve(sys.lu, rhs, x);
    cols.push(full(x, s));
  }
  // measurement rows: PMU voltages, then one current "measurement" per load element, then source priors
  const measured = new Map<number, PmuMeasurement>();
  for (const m of pmu) {
    const i = net.index.get(`${m.bus.toLowerCase()}.${m.phase}`);
    if (i === undefined || !Number.isFinite(m.vPu) || !Number.isFinite(m.angleDeg)) throw new AppError('INVALID_ARGUMENT', `PMU ${m.bus}.${m.phase}: unknown node or non-finite value`, { field: 'pmu', bus: m.bus });
    measured.set(i, m);
  }
  const share = new Float64Array(2 * L), sigPct = new Float64Array(L).fill(opts.pseudoSigmaPct ?? 50);
  const scale = opts.pseudoLoadScale ?? 1;
  els.forEach((l, e) => { share[2 * e] = l.sVA[0] * scale; share[2 * e + 1] = l.sVA[1] * scale; });
  for (const m of scada) {
    const idx = els.map((l, e) => ({ l, e })).filter(({ l }) => net.bus[l.a].toLowerCase() === m.bus.toLowerCase() && (m.phase === undefined || net.phase[l.a] === m.phase));
    if (!idx.length || !Number.isFinite(m.p_kW) || !Number.isFinite(m.q_kvar)) throw new AppError('INVALID_ARGUMENT', `SCADA ${m.bus}: no load there or non-finite value`, { field: 'scada', bus: m.bus });
    const tot = idx.reduce((a, { l }) => a + Math.hypot(l.sVA[0], l.sVA[1]), 0);
    for (const { l, e } of idx) { const f = Math.hypot(l.sVA[0], l.sVA[1]) / tot; share[2 * e] = m.p_kW * 1e3 * f; share[2 * e + 1] = m.q_kvar * 1e3 * f; sigPct[e] = m.sigmaPct ?? 2; }
  }
  const pm = [...measured.entries()];
  const m = pm.length + L + 3;
  const H = new Float64Array(2 * m * p), w = new Float64Array(m), z = new Float64Array(2 * m);
  pm.forEach(([i, meas], r) => {
    for (let c = 0; c < p; c++) { H[2 * (r * p + c)] = cols[c][2 * i]; H[2 * (r * p + c) + 1] = cols[c][2 * i + 1]; }
    w[r] = 1 / (meas.sigmaPu ?? 0.001) ** 2;
    z[2 * r] = meas.vPu * Math.cos((meas.angleDeg * Math.PI) / 180);
    z[2 * r + 1] = meas.vPu * Math.sin((meas.angleDeg * Math.PI) / 180);
  });
  for (let e = 0; e < L + 3; e++) H[2 * ((pm.length + e) * p + e)] = 1;
  const src = model.source, sigS = opts.sourceSigmaPu ?? 0.05;
  for (let s = 0; s < 3; s++) {
    const r = pm.length + L + s, a = ((src.angleDeg - 120 * s) * Math.PI) / 180;
    w[r] = 1 / sigS ** 2;
    z[2 * r] = src.pu * Math.cos(a);
    z[2 * r + 1] = src.pu * Math.sin(a);
  }
  // gain G = H^H W H (fixed), solved once for its inverse columns; iterate only the current measurements
  const G = new Float64Array(2 * p * p);
  const fillG = () => {
    G.fill(0);
    for (let r = 0; r < m; r++) for (let a = 0; a < p; a++) {
      const har = H[2 * (r * p + a)], hai = -H[2 * (r * p + a) + 1];
      if (har === 0 && hai === 0) continue;
      for (let b = 0; b < p; b++) { const hbr = H[2 * (r * p + b)], hbi = H[2 * (r * p + b) + 1]; G[2 * (a * p + b)] += w[r] * (har * hbr - hai * hbi); G[2 * (a * p + b) + 1] += w[r] * (har * hbi + hai * hbr); }
    }
  };
  const v = new Float64Array(2 * n);
  const theta = new Float64Array(2 * p);
  const voltages = () => {
    v.fill(0);
    for (let c = 0; c < p; c++) { const tr = theta[2 * c], ti = theta[2 * c + 1], col = cols[c]; for (let i = 0; i < n; i++) { v[2 * i] += col[2 * i] * tr - col[2 * i + 1] * ti; v[2 * i + 1] += col[2 * i] * ti + col[2 * i + 1] * tr; } }
  };
  for (let s = 0; s < 3; s++) { theta[2 * (L + s)] = z[2 * (pm.length + L + s)]; theta[2 * (L + s) + 1] = z[2 * (pm.length + L + s) + 1]; }
  voltages();
  let it = 0, objective = 0;
  const maxIt = opts.maxIterations ?? 30;
  let Ginv: Float64Array | undefined;
  for (it = 1; it <= maxIt; it++) {
    els.forEach((l, e) => { // I = conj(S / V_element) at the present estimate, sigma from the percentage
      const er = v[2 * l.a] - (l.b >= 0 ? v[2 * l.b] : 0), ei = v[2 * l.a + 1] - (l.b >= 0 ? v[2 * l.b + 1] : 0);
      const sr = share[2 * e] / sb, si = share[2 * e + 1] / sb, den = Math.max(SQ(er, ei), 1e-6);
      const r = pm.length + e;
      z[2 * r] = (sr * er + si * ei) / den;
      z[2 * r + 1] = (sr * ei - si * er) / den;
      if (it === 1) w[r] = 1 / Math.max(((sigPct[e] / 100) * Math.hypot(sr, si)) / Math.sqrt(den), 1e-6) ** 2;
    });
    if (!Ginv) { fillG(); Ginv = new Float64Array(2 * p * p); for (let k = 0; k < p; k++) Ginv[2 * (k * p + k)] = 1; denseSolve(G, Ginv, p, p); }
    const hz = new Float64Array(2 * p);
    for (let r = 0; r < m; r++) for (let a = 0; a < p; a++) {
      const har = H[2 * (r * p + a)], hai = -H[2 * (r * p + a) + 1];
      if (har === 0 && hai === 0) continue;
      hz[2 * a] += w[r] * (har * z[2 * r] - hai * z[2 * r + 1]);
      hz[2 * a + 1] += w[r] * (har * z[2 * r + 1] + hai * z[2 * r]);
    }
    let dmax = 0;
    for (let a = 0; a < p; a++) {
      let tr = 0, ti = 0;
      for (let b = 0; b < p; b++) { const gr = Ginv[2 * (a * p + b)], gi = Ginv[2 * (a * p + b) + 1]; tr += gr * hz[2 * b] - gi * hz[2 * b + 1]; ti += gr * hz[2 * b + 1] + gi * hz[2 * b]; }
      dmax = Math.max(dmax, Math.hypot(tr - theta[2 * a], ti - theta[2 * a + 1]));
      theta[2 * a] = tr; theta[2 * a + 1] = ti;
    }
    voltages();
    if (dmax < 1e-9) break;
  }
  objective = 0;
  const scadaAt = new Set(scada.map((x) => x.bus.toLowerCase()));
  const labelOf = (r: number): string => {
    if (r < pm.length) return `pmu ${net.bus[pm[r][0]]}.${net.phase[pm[r][0]]}`;
    if (r < pm.length + L) { const l = els[r - pm.length]; return `${scadaAt.has(net.bus[l.a].toLowerCase()) ? 'scada' : 'pseudo'} load ${model.loads[l.load].name}`; }
    return `source prior phase ${r - pm.length - L + 1}`;
  };
  let worst = { label: '', weightedResidual: 0 };
  for (let r = 0; r < m; r++) {
    let hr = 0, hi = 0;
    for (let c = 0; c < p; c++) { const ar = H[2 * (r * p + c)], ai = H[2 * (r * p + c) + 1]; hr += ar * theta[2 * c] - ai * theta[2 * c + 1]; hi += ar * theta[2 * c + 1] + ai * theta[2 * c]; }
    const j = w[r] * SQ(z[2 * r] - hr, z[2 * r + 1] - hi);
    objective += j;
    if (Math.sqrt(j) > worst.weightedResidual) worst = { label: labelOf(r), weightedResidual: Math.sqrt(j) };
  }
  const G2 = Ginv as Float64Array;
  const nodes: NodeEstimate[] = [];
  for (let i = 3; i < n; i++) {
    if (!sys.energized[i]) continue;
    let varV = 0; // h C h^H with C = G^-1: variance of the complex voltage estimate
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) {
      const har = cols[a][2 * i], hai = cols[a][2 * i + 1], hbr = cols[b][2 * i], hbi = cols[b][2 * i + 1];
      const cr = G2[2 * (a * p + b)], ci = G2[2 * (a * p + b) + 1];
      const tr = har * cr - hai * ci, ti = har * ci + hai * cr;
      varV += tr * hbr + ti * hbi; // Re(h_a C_ab conj(h_b))
    }
    const vm = Math.hypot(v[2 * i], v[2 * i + 1]), meas = measured.get(i);
    nodes.push({ bus: net.bus[i], phase: net.phase[i], vPu: vm, angleDeg: (Math.atan2(v[2 * i + 1], v[2 * i]) * 180) / Math.PI, status: meas ? 'measured' : 'estimated', residual: meas ? meas.vPu - vm : NaN, sigmaPu: Math.sqrt(Math.max(varV, 0)) });
  }
  return { nodes, iterations: it, objective, worst };
}
