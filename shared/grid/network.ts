// Compiles a FeederModel into node-level primitives for the nodal solver: node numbering and voltage bases, each
// branch's primitive admittance (SI), capacitor shunts, flattened load elements and regulator bindings.
import { AppError } from '../errors';
import { cmat, cmInvert, type CMat } from './complex';
import type { FeederModel, TransformerDef } from './feeder-model';

export interface Branch {
  kind: 'source' | 'line' | 'switch' | 'transformer' | 'capacitor';
  name: string;
  nodes: Int32Array; // global node per local terminal conductor; -1 = ground
  nTerm1: number; // conductors of the first terminal (the rest belong to the second)
  y: Float64Array; // primitive admittance, local order, SI, complex interleaved m x m
  closed: boolean; // normal state (switches and lines can be opened per solve)
  xf?: number; // index into model.transformers, for tap-dependent primitives
}

export interface LoadElem {
  load: number; // index into model.loads
  a: number;
  b: number; // second node or -1 for ground
  sVA: [number, number]; // nominal complex power of this element, VA
  vNom: number; // nominal element voltage, V
  np: number; // P ~ V^np
  nq: number;
  vmin: number;
  vmax: number;
}

export interface RegBinding {
  reg: number; // index into model.regulators
  xf: number;
  winding: number; // 0-based
  coilA: number; // global node at the sensed phase (winding side)
  coilB: number; // its return (neutral, next phase or -1)
  branch: number; // the transformer's branch index
  local: number; // local conductor index of coilA in the branch
}

export interface Network {
  model: FeederModel;
  n: number; // nodes, including the three source (slack) nodes
  bus: string[]; // per node
  phase: Int8Array; // per node, 1..3
  vBase: Float64Array; // per node, line-to-neutral volts
  index: Map<string, number>; // `${lower-case bus}.${phase}` -> node
  slack: number[]; // the source's internal nodes
  branches: Branch[];
  loads: LoadElem[];
  regs: RegBinding[];
  sBase: number; // VA
}

export const nodeKey = (bus: string, phase: number) => `${bus.toLowerCase()}.${phase}`;

function zToY(z: number[], n: number): CMat {
  const m = cmat(n);
  m.d.set(z);
  try {
    return cmInvert(m);
  } catch {
    throw new AppError('INVALID_ARGUMENT', 'series impedance matrix is singular');
  }
}

/** Line primitive: pi model [[Y + Yc/2, -Y], [-Y, Y + Yc/2]]. */
function lineY(z: number[], yc: number[], n: number): Float64Array {
  const ys = zToY(z, n).d;
  const m = 2 * n;
  const y = new Float64Array(2 * m * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    const s = 2 * (i * n + j);
    for (const [r, c, sg, sh] of [[i, j, 1, 1], [i + n, j + n, 1, 1], [i, j + n, -1, 0], [i + n, j, -1, 0]]) {
      const k = 2 * (r * m + c);
      y[k] += sg * ys[s] + sh * yc[s] / 2;
      y[k + 1] += sg * ys[s + 1] + sh * yc[s + 1] / 2;
    }
  }
  return y;
}

/** Coil-pair primitive of a 2-winding transformer; delta coils run from phase i to the next phase (ANSI: a
 *  delta HV winding feeding a wye LV winding connects i to the previous phase, so the LV side lags by 30 deg). */
export function transformerY(t: TransformerDef, taps: [number, number]): Float64Array {
  const [w1, w2] = t.windings;
  const m = w1.nodes.length + w2.nodes.length;
  const y = new Float64Array(2 * m * m);
  const add = (r: number, c: number, re: number, im: number) => { y[2 * (r * m + c)] += re; y[2 * (r * m + c) + 1] += im; };
  const np = t.phases;
  const hvDeltaOverWye = t.windings.some((w, i) => w.conn === 'delta' && t.windings.some((o, j) => j !== i && o.conn === 'wye' && o.kV < w.kV));
  const dir = hvDeltaOverWye ? -1 : 1;
  const vb = t.windings.map((w) => (np === 1 ? w.kV : w.conn === 'wye' ? w.kV / Math.sqrt(3) : w.kV) * 1e3);
  const sPh = (w1.kVA * 1e3) / np;
  const zr = (w1.rPct + w2.rPct) / 100, zx = t.xhlPct / 100;
  const den = zr * zr + zx * zx;
  const ypu = [zr / den, -zx / den];
  const off = [0, w1.nodes.length];
  const ends = (w: number, p: number): [number, number] => {
    const wd = t.windings[w];
    if (wd.conn === 'wye') return [off[w] + p, off[w] + np];
    if (np === 1) return [off[w] + 0, off[w] + 1];
    return [off[w] + p, off[w] + ((p + dir + np) % np)];
  };
  for (let p = 0; p < np; p++) {
    const e = [ends(0, p), ends(1, p)];
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
      const k = (sPh / (vb[a] * taps[a] * vb[b] * taps[b])) * (a === b ? 1 : -1);
      const [ra, rb] = e[a], [ca, cb] = e[b];
      add(ra, ca, ypu[0] * k, ypu[1] * k); add(rb, cb, ypu[0] * k, ypu[1] * k);
      add(ra, cb, -ypu[0] * k, -ypu[1] * k); add(rb, ca, -ypu[0] * k, -ypu[1] * k);
    }
    for (let a = 0; a < 2; a++) { // OpenDSS anti-float: a tiny reactance to ground at each coil end
      const yppm = (-t.ppm * 1e-6) / (vb[a] * vb[a] / sPh) / 2;
      for (const r of e[a]) add(r, r, 0, yppm);
    }
  }
  return y;
}

export function buildNetwork(model: FeederModel): Network {
  const bus: string[] = [], phase: number[] = [], vBase: number[] = [];
  const index = new Map<string, number>();
  const addNode = (b: string, p: number, vb: number) => { index.set(nodeKey(b, p), bus.length); bus.push(b); phase.push(p); vBase.push(vb); };
  const src = model.source;
  for (let p = 1; p <= 3; p++) addNode('__source', p, (src.basekV * 1e3) / Math.sqrt(3));
  for (const b of model.buses) for (const p of b.phases) addNode(b.name, p, (b.kVBase * 1e3) / Math.sqrt(3));
  const node = (b: string, p: number): number => (p === 0 ? -1 : (index.get(nodeKey(b, p)) as number));
  const nodesOf = (b: string, ns: number[]) => Int32Array.from(ns.map((p) => node(b, p)));
  const branches: Branch[] = [];

  // Source: ideal EMF at the internal nodes behind its 3x3 Thevenin impedance.
  const zs = { re: (2 * src.z1.re + src.z0.re) / 3, im: (2 * src.z1.im + src.z0.im) / 3 };
  const zm = { re: (src.z0.re - src.z1.re) / 3, im: (src.z0.im - src.z1.im) / 3 };
  const zsrc: number[] = [];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) zsrc.push(i === j ? zs.re : zm.re, i === j ? zs.im : zm.im);
  branches.push({ kind: 'source', name: 'source', nodes: Int32Array.from([0, 1, 2, node(src.bus, 1), node(src.bus, 2), node(src.bus, 3)]), nTerm1: 3, y: lineY(zsrc, new Array(18).fill(0), 3), closed: true });

  for (const l of model.lines) {
    branches.push({ kind: l.isSwitch ? 'switch' : 'line', name: l.name, nodes: Int32Array.from([...nodesOf(l.from.bus, l.from.nodes), ...nodesOf(l.to.bus, l.to.nodes)]), nTerm1: l.phases, y: lineY(l.z, l.yc, l.phases), closed: l.closed });
  }
  model.transformers.forEach((t, xf) => {
    const [w1, w2] = t.windings;
    branches.push({ kind: 'transformer', name: t.name, nodes: Int32Array.from([...nodesOf(w1.bus, w1.nodes), ...nodesOf(w2.bus, w2.nodes)]), nTerm1: w1.nodes.length, y: transformerY(t, [w1.tap, w2.tap]), closed: true, xf });
  });
  for (const c of model.capacitors) {
    const els = elements(c.conn, c.phases, c.nodes);
    const vEl = c.conn === 'wye' && c.phases > 1 ? c.kV / Math.sqrt(3) : c.kV;
    const bEl = (c.kvar * 1e3) / els.length / (vEl * 1e3) ** 2;
    for (const [a, b] of els) {
      const ns = b === 0 ? [a] : [a, b];
      const y = ns.length === 1 ? Float64Array.from([0, bEl]) : Float64Array.from([0, bEl, 0, -bEl, 0, -bEl, 0, bEl]);
      branches.push({ kind: 'capacitor', name: c.name, nodes: nodesOf(c.bus, ns), nTerm1: ns.length, y, closed: true });
    }
  }

  const loads: LoadElem[] = [];
  model.loads.forEach((ld, i) => {
    const els = elements(ld.conn, ld.phases, ld.nodes);
    const vNom = (ld.conn === 'wye' && ld.phases > 1 ? ld.kV / Math.sqrt(3) : ld.kV) * 1e3;
    const [np, nq] = ({ 1: [0, 0], 2: [2, 2], 3: [0, 2], 4: [ld.cvrWatts, ld.cvrVars], 5: [1, 1], 6: [0, 0], 7: [0, 2] } as Record<number, number[]>)[ld.model];
    for (const [a, b] of els) loads.push({ load: i, a: node(ld.bus, a), b: b === 0 ? -1 : node(ld.bus, b), sVA: [(ld.kW * 1e3) / els.length, (ld.kvar * 1e3) / els.length], vNom, np, nq, vmin: ld.vminpu, vmax: ld.vmaxpu });
  });

  const regs: RegBinding[] = model.regulators.map((r, reg) => {
    const xf = model.transformers.findIndex((t) => t.name === r.transformer);
    const t = model.transformers[xf];
    const w = r.winding - 1;
    const wd = t.windings[w];
    if (!wd) throw new AppError('INVALID_ARGUMENT', `RegControl.${r.name}: winding ${r.winding} does not exist`);
    const p = Math.min(r.ptPhase, t.phases) - 1;
    const local = (w === 0 ? 0 : t.windings[0].nodes.length) + p;
    const ret = wd.conn === 'wye' ? wd.nodes[t.phases] : wd.nodes[(p + 1) % t.phases];
    return { reg, xf, winding: w, coilA: node(wd.bus, wd.nodes[p]), coilB: ret === 0 ? -1 : node(wd.bus, ret), branch: branches.findIndex((b) => b.xf === xf), local };
  });

  return { model, n: bus.length, bus, phase: Int8Array.from(phase), vBase: Float64Array.from(vBase), index, slack: [0, 1, 2], branches, loads, regs, sBase: 1e6 };
}

/** Node pairs of the elements of a shunt device (0 = ground). */
function elements(conn: 'wye' | 'delta', phases: number, nodes: number[]): [number, number][] {
  if (conn === 'wye') return nodes.slice(0, phases).map((a) => [a, nodes[phases] ?? 0]);
  if (phases === 1) return [[nodes[0], nodes[1]]];
  if (phases === 2) return [[nodes[0], nodes[1]]];
  return nodes.slice(0, phases).map((a, i) => [a, nodes[(i + 1) % phases]]);
}
