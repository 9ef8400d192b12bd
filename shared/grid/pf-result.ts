// Power-flow result: node voltages (pu, copied out of the solver's buffers), branch terminal currents and flows,
// losses, feeder-head power and regulator taps, with lookups by bus and phase.
import type { Complex } from './complex';
import type { Network } from './network';
import type { YSystem } from './ybus';
import { readRegulator } from './regulator-control';

export interface BranchFlow {
  name: string;
  kind: 'source' | 'line' | 'switch' | 'transformer' | 'capacitor';
  closed: boolean;
  currents: Float64Array; // amps, complex interleaved, per local conductor (terminal 1 then terminal 2), into the element
  pIn_kW: number; // real power entering at terminal 1
  qIn_kvar: number;
  loss_kW: number;
  loss_kvar: number;
}

export interface PowerFlowResult {
  iterations: number;
  controlIterations: number;
  mismatch: number; // max |dV| of the last iteration, pu
  nodes: { bus: string[]; phase: Int8Array }; // node order of the arrays below
  v: Float64Array; // pu, complex interleaved, per node
  vMag: Float64Array; // pu
  vAngleDeg: Float64Array;
  energized: Uint8Array;
  V(bus: string, phase: number): Complex | undefined; // pu
  vPu(bus: string, phase: number): number; // NaN when the node does not exist
  angleDeg(bus: string, phase: number): number;
  branches: BranchFlow[];
  branch(name: string): BranchFlow | undefined;
  losses: { kW: number; kvar: number }; // lines, switches and transformers
  sourcePower: { kW: number; kvar: number; perPhase: { kW: number; kvar: number }[] }; // into the feeder at the source bus
  loadPower: { kW: number; kvar: number }; // consumed by loads at the solved voltages
  slackPower: { bus: string; kW: number; kvar: number }[]; // output of each grid-forming slack bus (islands)
  taps: Record<string, number>; // regulated transformers: tap step on the regulated winding
  regulators: { name: string; transformer: string; tap: number; vControl: number; iLine: number; inBand: boolean }[];
}

export function buildResult(net: Network, sys: YSystem, vIn: Float64Array, branchY: Float64Array[], dem: Float64Array, meta: { iterations: number; controlIterations: number; mismatch: number; tapPu: [number, number][] }): PowerFlowResult {
  const n = net.n, vb = net.vBase;
  const v = Float64Array.from(vIn);
  const vMag = new Float64Array(n), vAngleDeg = new Float64Array(n);
  for (let i = 0; i < n; i++) { vMag[i] = Math.hypot(v[2 * i], v[2 * i + 1]); vAngleDeg[i] = vMag[i] ? (Math.atan2(v[2 * i + 1], v[2 * i]) * 180) / Math.PI : 0; }
  const live = (k: number) => sys.closed[k] === 1 && net.branches[k].nodes.some((x) => x >= 0 && sys.energized[x]);
  let lossP = 0, lossQ = 0;
  const perPhase = [0, 1, 2].map(() => ({ kW: 0, kvar: 0 }));
  const out = new Float64Array(2 * n); // current leaving each node into elements (A), for grid-forming outputs
  const branches: BranchFlow[] = net.branches.map((b, k) => {
    const m = b.nodes.length, y = branchY[k];
    const cur = new Float64Array(2 * m);
    let p1 = 0, q1 = 0, pl = 0, ql = 0;
    const on = live(k);
    if (on) for (let r = 0; r < m; r++) {
      let ir = 0, ii = 0;
      for (let c = 0; c < m; c++) {
        const nd = b.nodes[c];
        if (nd < 0) continue;
        const yr = y[2 * (r * m + c)], yi = y[2 * (r * m + c) + 1], vr = v[2 * nd] * vb[nd], vi = v[2 * nd + 1] * vb[nd];
        ir += yr * vr - yi * vi;
        ii += yr * vi + yi * vr;
      }
      cur[2 * r] = ir;
      cur[2 * r + 1] = ii;
      const nd = b.nodes[r];
      if (nd < 0) continue;
      out[2 * nd] += ir;
      out[2 * nd + 1] += ii;
      const vr = v[2 * nd] * vb[nd], vi = v[2 * nd + 1] * vb[nd];
      const sp = vr * ir + vi * ii, sq = vi * ir - vr * ii; // V conj(I)
      pl += sp; ql += sq;
      if (r < b.nTerm1) { p1 += sp; q1 += sq; }
      else if (b.kind === 'source') { perPhase[r - 3].kW -= sp / 1e3; perPhase[r - 3].kvar -= sq / 1e3; }
    }
    if (b.kind !== 'source' && b.kind !== 'capacitor') { lossP += pl; lossQ += ql; }
    return { name: b.name, kind: b.kind, closed: on, currents: cur, pIn_kW: p1 / 1e3, qIn_kvar: q1 / 1e3, loss_kW: pl / 1e3, loss_kvar: ql / 1e3 };
  });
  let lp = 0, lq = 0;
  net.loads.forEach((l, e) => {
    if (!sys.energized[l.a]) return;
    const er = v[2 * l.a] - (l.b >= 0 ? v[2 * l.b] : 0), ei = v[2 * l.a + 1] - (l.b >= 0 ? v[2 * l.b + 1] : 0);
    const vr = (Math.hypot(er, ei) * vb[l.a]) / l.vNom;
    const vc = Math.min(l.vmax, Math.max(l.vmin, vr)), z = (vr / vc) ** 2;
    const p = dem[2 * e] * vc ** l.np * z, q = dem[2 * e + 1] * vc ** l.nq * z;
    lp += p / 1e3;
    lq += q / 1e3;
    const den = (er * er + ei * ei) * vb[l.a]; // I = conj(S / V), V in volts
    if (den > 0) {
      const ir = (p * er + q * ei) / den, ii = (p * ei - q * er) / den;
      out[2 * l.a] += ir; out[2 * l.a + 1] += ii;
      if (l.b >= 0) { out[2 * l.b] -= ir; out[2 * l.b + 1] -= ii; }
    }
  });
  const islandSources = new Map<string, { bus: string; kW: number; kvar: number }>();
  for (let i = 3; i < n; i++) {
    if (!sys.isSlack[i]) continue;
    const vr = v[2 * i] * vb[i], vi = v[2 * i + 1] * vb[i];
    const g = islandSources.get(net.bus[i]) ?? { bus: net.bus[i], kW: 0, kvar: 0 };
    g.kW += (vr * out[2 * i] + vi * out[2 * i + 1]) / 1e3;
    g.kvar += (vi * out[2 * i] - vr * out[2 * i + 1]) / 1e3;
    islandSources.set(net.bus[i], g);
  }
  const byName = new Map(branches.map((b) => [b.name.toLowerCase(), b]));
  const idx = (bus: string, phase: number) => net.index.get(`${bus.toLowerCase()}.${phase}`);
  const taps: Record<string, number> = {};
  for (const r of net.regs) {
    const t = net.model.transformers[r.xf];
    taps[t.name] = Math.round((meta.tapPu[r.xf][r.winding] - 1) / t.tapIncrement);
  }
  const regulators = net.regs.map((r) => {
    const def = net.model.regulators[r.reg], t = net.model.transformers[r.xf];
    const rd = readRegulator(net, v, branchY, r);
    return { name: def.name, transformer: t.name, tap: taps[t.name], vControl: rd.vControl, iLine: rd.iLine, inBand: Math.abs(rd.vControl - def.vreg) <= def.band / 2 + 1e-9 };
  });
  const src = perPhase.reduce((a, p) => ({ kW: a.kW + p.kW, kvar: a.kvar + p.kvar }), { kW: 0, kvar: 0 });
  return {
    iterations: meta.iterations,
    controlIterations: meta.controlIterations,
    mismatch: meta.mismatch,
    nodes: { bus: net.bus, phase: net.phase },
    v, vMag, vAngleDeg,
    energized: sys.energized,
    V: (bus, phase) => { const i = idx(bus, phase); return i === undefined ? undefined : { re: v[2 * i], im: v[2 * i + 1] }; },
    vPu: (bus, phase) => { const i = idx(bus, phase); return i === undefined ? NaN : vMag[i]; },
    angleDeg: (bus, phase) => { const i = idx(bus, phase); return i === undefined ? NaN : vAngleDeg[i]; },
    branches,
    branch: (name) => byName.get(name.toLowerCase()),
    losses: { kW: lossP / 1e3, kvar: lossQ / 1e3 },
    sourcePower: { ...src, perPhase },
    loadPower: { kW: lp, kvar: lq },
    slackPower: [...islandSources.values()],
    taps,
    regulators,
  };
}
