// Reusable three-phase unbalanced power flow: current-injection fixed point on a factorised Y-bus (loads stamped at
// nominal admittance, their non-linear part injected), automatic regulator taps, switches, faults, extra slacks.
import { AppError } from '../errors';
import { luSolve } from './sparse-lu';
import { assemble, type FaultSpec, type SlackSpec, type YSystem } from './ybus';
import { transformerY, type Network } from './network';
import { buildResult, type PowerFlowResult } from './pf-result';
import type { LuSymbolic } from './sparse-lu';
import { regulatorStep } from './regulator-control';

export interface SolveInput {
  loadScale?: number; // multiplies every load not overridden
  loadOverrides?: Record<string, { p_kW: number; q_kvar: number }>; // by load name, total over its phases
  injections?: { bus: string; phases?: number[]; p_kW: number; q_kvar: number }[]; // generation (DER), constant PQ
  switches?: Record<string, boolean>; // line or switch name -> closed
  sourcePu?: number;
  sourceAngleDeg?: number;
  taps?: Record<string, number>; // transformer or RegControl name -> tap step (0 = neutral)
  controlMode?: 'auto' | 'fixed'; // regulators move (auto) or hold their taps
  /** Real-time use: at most this many tap moves in this solve, no error if still out of band (a simulator
   *  calling at 10 Hz can pass 1 and let regulators walk a step per tick). Default: settle fully. */
  maxControlSteps?: number;
  faults?: FaultSpec[];
  slackBuses?: SlackSpec[]; // grid-forming buses (e.g. an islanded microgrid's inverter), balanced set
  warmStart?: boolean;
}

export interface SolverOptions {
  tolerance?: number; // pu voltage change between iterations
  maxIterations?: number;
  maxControlIterations?: number;
  controlMode?: 'auto' | 'fixed';
}

export interface PowerFlowSolver {
  readonly net: Network;
  solve(input?: SolveInput): PowerFlowResult;
  /** Present tap position (steps) of every regulated transformer. */
  taps(): Record<string, number>;
}

export function createSolver(net: Network, opts: SolverOptions = {}): PowerFlowSolver {
  const model = net.model;
  const tol = opts.tolerance ?? 1e-7;
  const maxIt = opts.maxIterations ?? 100;
  const maxCtl = opts.maxControlIterations ?? 30;
  const defaultMode = opts.controlMode ?? (model.controlMode === 'off' ? 'fixed' : 'auto');
  const tapPu = model.transformers.map((t) => t.windings.map((w) => w.tap) as [number, number]);
  const branchY = net.branches.map((b) => b.y);
  const xfTapsUsed = tapPu.map((t) => [...t]);
  const v = new Float64Array(2 * net.n);
  const rhs = new Float64Array(2 * net.n);
  const x = new Float64Array(2 * net.n);
  let cache: { sym: LuSymbolic; sys: YSystem; key: string } | undefined;
  const symCache = new Map<string, LuSymbolic>(); // orderings of recently seen switch/fault topologies
  let hasSolution = false;
  const lower = (s: string) => s.toLowerCase();
  const branchByName = new Map(net.branches.map((b, k) => [lower(b.name), k]));
  const loadByName = new Map(model.loads.map((l, k) => [lower(l.name), k]));
  const tapWinding = (xf: number) => net.regs.find((r) => r.xf === xf)?.winding ?? 1;

  function setTaps(taps: Record<string, number>): void {
    for (const [name, step] of Object.entries(taps)) {
      let xf = model.transformers.findIndex((t) => lower(t.name) === lower(name));
      if (xf < 0) xf = net.regs.find((r) => lower(model.regulators[r.reg].name) === lower(name))?.xf ?? -1;
      if (xf < 0 || !Number.isFinite(step)) throw new AppError('INVALID_ARGUMENT', `taps.${name}: no such transformer or regulator, or not a number`, { field: `taps.${name}` });
      const t = model.transformers[xf];
      tapPu[xf][tapWinding(xf)] = Math.min(t.maxTap, Math.max(t.minTap, 1 + step * t.tapIncrement));
    }
  }

  function system(input: SolveInput): YSystem {
    const closed = Uint8Array.from(net.branches, (b) => (b.closed ? 1 : 0));
    for (const [name, c] of Object.entries(input.switches ?? {})) {
      const k = branchByName.get(lower(name));
      if (k === undefined || net.branches[k].kind === 'source') throw new AppError('INVALID_ARGUMENT', `switches.${name}: no such line or switch`, { field: `switches.${name}` });
      closed[k] = c ? 1 : 0;
    }
    net.branches.forEach((b, k) => {
      if (b.xf === undefined) return;
      const t = tapPu[b.xf];
      if (t[0] !== xfTapsUsed[b.xf][0] || t[1] !== xfTapsUsed[b.xf][1] || branchY[k] === b.y) {
        branchY[k] = transformerY(model.transformers[b.xf], t);
        xfTapsUsed[b.xf] = [...t];
      }
    });
    const faults = input.faults ?? [], slackBuses = input.slackBuses ?? [];
    const key = `${closed.join('')}|${JSON.stringify(faults)}|${JSON.stringify(slackBuses.map((s) => s.bus))}|${tapPu.join(',')}`;
    if (cache && cache.key === key) return cache.sys;
    const r = assemble(net, { closed, branchY, faults, slackBuses }, cache, symCache);
    if (cache && cache.sys.topoKey !== r.sys.topoKey) hasSolution = false; // new node set: start flat
    cache = { ...r, key };
    return r.sys;
  }

  function setSlack(sys: YSystem, input: SolveInput): void {
    const pu = input.sourcePu ?? model.source.pu, ang = ((input.sourceAngleDeg ?? model.source.angleDeg) * Math.PI) / 180;
    if (!(pu > 0 && pu < 2) || !Number.isFinite(ang)) throw new AppError('INVALID_ARGUMENT', 'sourcePu must be in (0, 2) pu and sourceAngleDeg finite', { field: 'sourcePu', value: pu });
    for (let p = 0; p < 3; p++) { v[2 * p] = pu * Math.cos(ang - (p * 2 * Math.PI) / 3); v[2 * p + 1] = pu * Math.sin(ang - (p * 2 * Math.PI) / 3); }
    for (const s of input.slackBuses ?? []) {
      const a = ((s.angleDeg ?? 0) * Math.PI) / 180, m = s.pu ?? 1;
      for (let p = 1; p <= 3; p++) {
        const i = net.index.get(`${lower(s.bus)}.${p}`);
        if (i !== undefined) { v[2 * i] = m * Math.cos(a - ((p - 1) * 2 * Math.PI) / 3); v[2 * i + 1] = m * Math.sin(a - ((p - 1) * 2 * Math.PI) / 3); }
      }
    }
    for (let i = 0; i < net.n; i++) if (!sys.energized[i]) { v[2 * i] = 0; v[2 * i + 1] = 0; }
  }

  /** Per load element demand (VA) for this solve. */
  function demands(input: SolveInput): Float64Array {
    const s = new Float64Array(2 * net.loads.length);
    const scale = input.loadScale ?? 1;
    if (!Number.isFinite(scale)) throw new AppError('INVALID_ARGUMENT', 'loadScale must be a finite number', { field: 'loadScale' });
    const over = new Map<number, { p_kW: number; q_kvar: number }>();
    for (const [name, o] of Object.entries(input.loadOverrides ?? {})) {
      const k = loadByName.get(lower(name));
      if (k === undefined || !Number.isFinite(o.p_kW) || !Number.isFinite(o.q_kvar)) throw new AppError('INVALID_ARGUMENT', `loadOverrides.${name}: unknown load or non-finite power`, { field: `loadOverrides.${name}` });
      over.set(k, o);
    }
    const count = new Map<number, number>();
    for (const l of net.loads) count.set(l.load, (count.get(l.load) ?? 0) + 1);
    net.loads.forEach((l, e) => {
      const o = over.get(l.load);
      if (o) { s[2 * e] = (o.p_kW * 1e3) / (count.get(l.load) as number); s[2 * e + 1] = (o.q_kvar * 1e3) / (count.get(l.load) as number); }
      else { s[2 * e] = l.sVA[0] * scale; s[2 * e + 1] = l.sVA[1] * scale; }
    });
    return s;
  }

  function injections(input: SolveInput): { node: number; s: [number, number] }[] {
    const out: { node: number; s: [number, number] }[] = [];
    for (const inj of input.injections ?? []) {
      const ph = inj.phases ?? [1, 2, 3].filter((p) => net.index.has(`${lower(inj.bus)}.${p}`));
      const nodes = ph.map((p) => net.index.get(`${lower(inj.bus)}.${p}`));
      if (!nodes.length || nodes.some((i) => i === undefined) || !Number.isFinite(inj.p_kW) || !Number.isFinite(inj.q_kvar)) throw new AppError('INVALID_ARGUMENT', `injection at ${inj.bus}: unknown bus/phase or non-finite power`, { field: 'injections', bus: inj.bus });
      for (const i of nodes) out.push({ node: i as number, s: [(inj.p_kW * 1e3) / nodes.length, (inj.q_kvar * 1e3) / nodes.length] });
    }
    return out;
  }

  /** Fixed point V_u = Yuu^-1 (Icomp(V) - Yus V_s). Returns iterations and last max |dV|. */
  function iterate(sys: YSystem, dem: Float64Array, inj: { node: number; s: [number, number] }[], flat: boolean): { it: number; dv: number } {
    const { uOf, unknowns, yus, lu } = sys;
    const sb = net.sBase, vb = net.vBase;
    const nu = unknowns.length;
    let dv = Infinity;
    for (let it = 1; it <= maxIt + 1; it++) {
      rhs.fill(0, 0, 2 * nu);
      for (let k = 0; k < yus.u.length; k++) {
        const u = yus.u[k], s = yus.s[k], yr = yus.val[2 * k], yi = yus.val[2 * k + 1];
        rhs[2 * u] -= yr * v[2 * s] - yi * v[2 * s + 1];
        rhs[2 * u + 1] -= yr * v[2 * s + 1] + yi * v[2 * s];
      }
      if (!(flat && it === 1)) {
        net.loads.forEach((l, e) => {
          const ua = uOf[l.a], ub = l.b >= 0 ? uOf[l.b] : -1;
          if (ua < 0 && ub < 0) return;
          const er = v[2 * l.a] - (l.b >= 0 ? v[2 * l.b] : 0), ei = v[2 * l.a + 1] - (l.b >= 0 ? v[2 * l.b + 1] : 0);
          const em = Math.hypot(er, ei);
          if (em === 0) return;
          const vr = (em * vb[l.a]) / l.vNom;
          const vc = vr < l.vmin ? l.vmin : vr > l.vmax ? l.vmax : vr;
          let p = dem[2 * e] * vc ** l.np, q = dem[2 * e + 1] * vc ** l.nq;
          if (vc !== vr) { const z = (vr / vc) ** 2; p *= z; q *= z; } // constant impedance outside [vmin, vmax]
          // I = conj(S / V) in pu; compensation = Ynom V - I
          const sr = p / sb, si = q / sb, den = er * er + ei * ei;
          const ir = (sr * er + si * ei) / den, ii = (sr * ei - si * er) / den;
          const vn = l.vNom / vb[l.a], g = l.sVA[0] / sb / (vn * vn), bb = -l.sVA[1] / sb / (vn * vn);
          const cr = g * er - bb * ei - ir, ci = g * ei + bb * er - ii;
          if (ua >= 0) { rhs[2 * ua] += cr; rhs[2 * ua + 1] += ci; }
          if (ub >= 0) { rhs[2 * ub] -= cr; rhs[2 * ub + 1] -= ci; }
        });
        for (const j of inj) {
          const u = uOf[j.node];
          if (u < 0) continue;
          let er = v[2 * j.node], ei = v[2 * j.node + 1];
          const m = Math.hypot(er, ei);
          if (m < 0.5) { const f = 0.5 / Math.max(m, 1e-9); er *= f; ei *= f; } // current-limited at low voltage
          const sr = j.s[0] / sb, si = j.s[1] / sb, den = er * er + ei * ei;
          rhs[2 * u] += (sr * er + si * ei) / den;
          rhs[2 * u + 1] += (sr * ei - si * er) / den;
        }
      }
      luSolve(lu, rhs, x);
      dv = 0;
      for (let k = 0; k < nu; k++) {
        const i = unknowns[k];
        const d = Math.hypot(x[2 * k] - v[2 * i], x[2 * k + 1] - v[2 * i + 1]);
        if (d > dv) dv = d;
        v[2 * i] = x[2 * k];
        v[2 * i + 1] = x[2 * k + 1];
      }
      if (!Number.isFinite(dv)) break;
      if (dv < tol && !(flat && it === 1)) return { it, dv };
    }
    throw new AppError('NOT_CONVERGED', `power flow did not converge in ${maxIt} iterations (max |dV| ${dv.toExponential(2)} pu)`, { iterations: maxIt, mismatch: dv });
  }

  function solve(input: SolveInput = {}): PowerFlowResult {
    if (input.taps) setTaps(input.taps);
    const mode = input.controlMode ?? defaultMode;
    const dem = demands(input);
    const inj = injections(input);
    let sys = system(input);
    const warm = input.warmStart === true && hasSolution;
    hasSolution = false; // a failed solve leaves no state to warm-start from
    setSlack(sys, input);
    let { it, dv } = iterate(sys, dem, inj, !warm);
    let total = it, ctl = 0;
    if (mode === 'auto') {
      const limit = input.maxControlSteps ?? maxCtl;
      for (; ctl < limit; ctl++) {
        if (!regulatorStep(net, sys, v, tapPu, branchY)) break;
        sys = system(input);
        setSlack(sys, input);
        ({ it, dv } = iterate(sys, dem, inj, false));
        total += it;
      }
      if (input.maxControlSteps === undefined && ctl === maxCtl) throw new AppError('NOT_CONVERGED', `regulators did not settle in ${maxCtl} control iterations`, { controlIterations: ctl, iterations: total, mismatch: dv });
    }
    hasSolution = true;
    return buildResult(net, sys, v, branchY, dem, { iterations: total, controlIterations: ctl, mismatch: dv, tapPu });
  }

  function taps(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of net.regs) {
      const t = model.transformers[r.xf];
      out[t.name] = Math.round((tapPu[r.xf][r.winding] - 1) / t.tapIncrement);
    }
    return out;
  }

  return { net, solve, taps };
}
