// Static tap-changer control for RegControls: the sensed winding voltage on the PT secondary, less the line-drop
// compensator (R + jX volts at rated CT current), is brought into vreg +/- band/2. Like OpenDSS in snapshot mode,
// only the regulators with the shortest delay act in one control iteration, so the head regulator moves first.
import type { Network } from './network';
import type { YSystem } from './ybus';

export interface RegulatorReading {
  name: string;
  vControl: number; // volts on the 120 V base after line-drop compensation
  iLine: number; // amps through the sensed winding
}

/** Control voltage (120 V base) and line current of one regulator binding. */
export function readRegulator(net: Network, v: Float64Array, branchY: Float64Array[], r: Network['regs'][number]): RegulatorReading {
  const reg = net.model.regulators[r.reg];
  const vb = net.vBase;
  const va = [v[2 * r.coilA] * vb[r.coilA], v[2 * r.coilA + 1] * vb[r.coilA]];
  if (r.coilB >= 0) { va[0] -= v[2 * r.coilB] * vb[r.coilB]; va[1] -= v[2 * r.coilB + 1] * vb[r.coilB]; }
  const b = net.branches[r.branch], y = branchY[r.branch], m = b.nodes.length;
  let ir = 0, ii = 0;
  for (let c = 0; c < m; c++) {
    const nd = b.nodes[c];
    if (nd < 0) continue;
    const yr = y[2 * (r.local * m + c)], yi = y[2 * (r.local * m + c) + 1];
    const vr = v[2 * nd] * vb[nd], vi = v[2 * nd + 1] * vb[nd];
    ir -= yr * vr - yi * vi; // current leaving the regulator toward the load
    ii -= yr * vi + yi * vr;
  }
  const ctr = ir / reg.ctPrim, cti = ii / reg.ctPrim;
  const cr = va[0] / reg.ptRatio - (reg.r * ctr - reg.x * cti);
  const ci = va[1] / reg.ptRatio - (reg.r * cti + reg.x * ctr);
  return { name: reg.name, vControl: Math.hypot(cr, ci), iLine: Math.hypot(ir, ii) };
}

/** Moves the taps of out-of-band regulators; returns true when any tap moved. */
export function regulatorStep(net: Network, sys: YSystem, v: Float64Array, tapPu: [number, number][], branchY: Float64Array[]): boolean {
  const want: { xf: number; w: number; tap: number; delay: number }[] = [];
  for (const r of net.regs) {
    const reg = net.model.regulators[r.reg];
    if (!reg.enabled || reg.maxTapChange <= 0 || !sys.energized[r.coilA]) continue;
    const { vControl } = readRegulator(net, v, branchY, r);
    if (Math.abs(vControl - reg.vreg) <= reg.band / 2) continue;
    const t = net.model.transformers[r.xf];
    let steps = Math.round((reg.vreg - vControl) / (t.tapIncrement * vControl));
    if (steps === 0) steps = Math.sign(reg.vreg - vControl);
    steps = Math.max(-reg.maxTapChange, Math.min(reg.maxTapChange, steps));
    const cur = tapPu[r.xf][r.winding];
    const tap = Math.min(t.maxTap, Math.max(t.minTap, cur + steps * t.tapIncrement));
    if (Math.abs(tap - cur) > 1e-12) want.push({ xf: r.xf, w: r.winding, tap, delay: reg.delay });
  }
  if (!want.length) return false;
  const first = Math.min(...want.map((x) => x.delay));
  for (const x of want) if (x.delay === first) tapPu[x.xf][x.w] = x.tap;
  return true;
}
