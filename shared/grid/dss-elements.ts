// Per-class interpretation of DSS properties into model elements, following OpenDSS defaults and rules
// (property order matters: `wdg=` selects a winding, `switch=yes` resets impedances, `like=` copies first).
import { parseError, type DssObject, type DssProp } from './dss-reader';
import { toNumber, toNumbers, toStrings } from './dss-tokens';
import type { Conn, LineDef, LoadDef, CapacitorDef, TransformerDef, RegulatorDef, SourceDef, Terminal } from './feeder-model';

type Props = DssProp[];
export type Lookup = (cls: string, name: string, at: DssProp['at']) => DssObject;

/** Props of `like=` targets expanded in place, so later props override them. */
export function expandLike(o: DssObject, lookup: Lookup, depth = 0): Props {
  const out: Props = [];
  for (const p of o.props) {
    if (p.name === 'like') {
      if (depth > 8) throw parseError(p.at, 'like= chain too deep');
      out.push(...expandLike(lookup(o.cls, p.value, p.at), lookup, depth + 1));
    } else out.push(p);
  }
  return out;
}

export function num(p: DssProp): number {
  const x = toNumber(p.value);
  if (!Number.isFinite(x)) throw parseError(p.at, `property ${p.name} needs a number, got "${p.value}"`);
  return x;
}

export function parseBus(spec: string, at: DssProp['at']): { bus: string; nodes: number[] } {
  const parts = spec.split('.');
  const nodes = parts.slice(1).map(Number);
  for (const n of nodes) if (!Number.isInteger(n) || n < 0 || n > 3) throw parseError(at, `bus ${spec}: node ${n} is not supported (0..3)`);
  if (!parts[0]) throw parseError(at, `empty bus name`);
  return { bus: parts[0], nodes };
}

/** Fills unspecified conductors the OpenDSS way: phases 1..n, then neutral 0. */
function terminal(spec: string, nconds: number, at: DssProp['at']): Terminal {
  const { bus, nodes } = parseBus(spec, at);
  const out = nodes.slice(0, nconds);
  for (let k = out.length; k < nconds; k++) out.push(k < 3 && nodes.length === 0 ? k + 1 : 0);
  return { bus, nodes: out };
}

const UNIT_KFT: Record<string, number> = { mi: 5.28, kft: 1, km: 3.280839895, m: 0.003280839895, ft: 0.001, in: 1 / 12000, cm: 0.0000328084, mm: 0.00000328084, none: 0 };
export function unitsOf(p: DssProp): string {
  const u = p.value.toLowerCase();
  if (!(u in UNIT_KFT)) throw parseError(p.at, `unknown length unit "${p.value}"`);
  return u;
}

export interface ZData {
  n: number;
  z: number[]; // per unit length
  yc: number[];
  units: string;
}

const KNOWN_IGNORED = new Set(['normamps', 'emergamps', 'faultrate', 'pctperm', 'repair', 'basefreq', 'enabled', 'rg', 'xg', 'rho', 'class', 'yearly', 'daily', 'duty', 'growth', 'numcust', 'spectrum', 'bank', 'sub', 'xht', 'xlt', 'normhkva', 'emerghkva', 'vlowpu', 'xfkva', 'allocationfactor', 'status', 'tapdelay', 'revvreg', 'revband', 'revr', 'revx', 'debugtrace', 'inversetime', 'ctphase', 'vlimit', 'kvbase', 'element', 'terminal', 'action', 'option', 'seasons', 'ratings']);

function symMatrices(n: number, r1: number, x1: number, r0: number, x0: number, c1: number, c0: number, freq: number): { z: number[]; yc: number[] } {
  const z = new Array(2 * n * n).fill(0), yc = new Array(2 * n * n).fill(0);
  const w = 2 * Math.PI * freq * 1e-9;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    const k = 2 * (i * n + j);
    if (i === j) {
      z[k] = (2 * r1 + r0) / 3; z[k + 1] = (2 * x1 + x0) / 3; yc[k + 1] = (w * (2 * c1 + c0)) / 3;
    } else {
      z[k] = (r0 - r1) / 3; z[k + 1] = (x0 - x1) / 3; yc[k + 1] = (w * (c0 - c1)) / 3;
    }
  }
  return { z, yc };
}

function fillMatrix(p: DssProp, n: number, into: number[], part: 0 | 1, scale = 1): void {
  const v = toNumbers(p.value);
  const tri = (n * (n + 1)) / 2;
  if (v.some((x) => !Number.isFinite(x)) || (v.length !== tri && v.length !== n * n)) throw parseError(p.at, `${p.name} needs ${tri} (lower triangle) or ${n * n} numbers for ${n} phases, got ${v.length}`);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < (v.length === tri ? i + 1 : n); j++) {
    into[2 * (i * n + j) + part] = v[k] * scale;
    into[2 * (j * n + i) + part] = v[k++] * scale;
  }
}

/** LineCode or a Line's own impedance properties; returns true if the prop was an impedance prop. */
function impedanceProp(p: DssProp, s: { n: number; sym: number[]; z: number[]; yc: number[]; symMode: boolean; freq: number }): boolean {
  const symIdx = ['r1', 'x1', 'r0', 'x0', 'c1', 'c0'].indexOf(p.name);
  if (symIdx >= 0) {
    s.sym[symIdx] = num(p);
    s.symMode = true;
  } else if (p.name === 'b1' || p.name === 'b0') {
    s.sym[p.name === 'b1' ? 4 : 5] = (num(p) / (2 * Math.PI * s.freq)) * 1e3; // microS -> nF
    s.symMode = true;
  } else if (p.name === 'rmatrix' || p.name === 'xmatrix' || p.name === 'cmatrix') {
    if (s.symMode) Object.assign(s, symMatrices(s.n, ...(s.sym as [number, number, number, number, number, number]), s.freq), { symMode: false });
    if (p.name === 'cmatrix') fillMatrix(p, s.n, s.yc, 1, 2 * Math.PI * s.freq * 1e-9);
    else fillMatrix(p, s.n, s.z, p.name === 'rmatrix' ? 0 : 1);
  } else return false;
  return true;
}

const DEFAULT_SYM = [0.058, 0.1206, 0.1784, 0.4047, 3.4, 1.6];

export function buildLineCode(o: DssObject, props: Props, freq: number): ZData {
  const s = { n: 3, sym: [...DEFAULT_SYM], z: [] as number[], yc: [] as number[], symMode: true, freq };
  let units = 'none';
  for (const p of props) {
    if (p.name === 'nphases') {
      s.n = num(p);
      s.symMode = true;
    } else if (p.name === 'units') units = unitsOf(p);
    else if (p.name === 'basefreq') s.freq = num(p);
    else if (!impedanceProp(p, s) && !KNOWN_IGNORED.has(p.name) && p.name !== 'kron' && p.name !== 'neutral') throw parseError(p.at, `unknown LineCode property "${p.name}"`);
  }
  if (s.symMode) Object.assign(s, symMatrices(s.n, ...(s.sym as [number, number, number, number, number, number]), s.freq));
  return { n: s.n, z: s.z, yc: s.yc, units };
}

export function buildLine(o: DssObject, props: Props, freq: number, code: (name: string, p: DssProp) => ZData): LineDef {
  const s = { n: 3, sym: [...DEFAULT_SYM], z: [] as number[], yc: [] as number[], symMode: true, freq };
  let len = 1, units = 'none', lcUnits = 'none', isSwitch = false, bus1 = '', bus2 = '';
  let phasesSet = false, lcPhases = 0;
  for (const p of props) {
    switch (p.name) {
      case 'bus1': bus1 = p.value; break;
      case 'bus2': bus2 = p.value; break;
      case 'phases': s.n = num(p); phasesSet = true; s.symMode = s.symMode || lcPhases === 0; break;
      case 'length': len = num(p); break;
      case 'units': units = unitsOf(p); break;
      case 'linecode': {
        const c = code(p.value, p);
        Object.assign(s, { n: c.n, z: [...c.z], yc: [...c.yc], symMode: false });
        lcUnits = c.units;
        lcPhases = c.n;
        break;
      }
      case 'switch':
        if (/^[ty]/i.test(p.value)) {
          isSwitch = true;
          Object.assign(s, { sym: [1, 1, 1, 1, 1.1, 1], symMode: true });
          len = 0.001;
          units = 'none';
        }
        break;
      case 'geometry': case 'spacing': case 'wires': case 'cncables': case 'tscables':
        throw parseError(p.at, `Line ${p.name}= is not supported; use a LineCode or impedance matrices`);
      default:
        if (!impedanceProp(p, s) && !KNOWN_IGNORED.has(p.name)) throw parseError(p.at, `unknown Line property "${p.name}"`);
    }
  }
  if (phasesSet && lcPhases && s.n !== lcPhases) throw parseError(o.at, `Line.${o.name} has ${s.n} phases but its LineCode has ${lcPhases}`);
  if (s.symMode) Object.assign(s, symMatrices(s.n, ...(s.sym as [number, number, number, number, number, number]), s.freq));
  if (units === 'none' && lcUnits !== 'none') units = lcUnits; // length in the line code's unit
  const factor = units !== 'none' && lcUnits !== 'none' ? UNIT_KFT[units] / UNIT_KFT[lcUnits] : 1;
  const k = len * factor;
  if (!bus1 || !bus2) throw parseError(o.at, `Line.${o.name} needs bus1 and bus2`);
  return {
    name: o.name,
    from: terminal(bus1, s.n, o.at),
    to: terminal(bus2, s.n, o.at),
    phases: s.n,
    z: s.z.map((x) => x * k),
    yc: s.yc.map((x) => x * k),
    isSwitch,
    closed: true,
    ...(units !== 'none' ? { lengthKft: len * UNIT_KFT[units] } : {}),
    at: o.at,
  };
}

function connOf(p: DssProp): Conn {
  const v = p.value.toLowerCase();
  if (v.startsWith('w') || v === 'y' || v === 'ln') return 'wye';
  if (v.startsWith('d') || v === 'll') return 'delta';
  throw parseError(p.at, `unknown connection "${p.value}"`);
}

export function buildLoad(o: DssObject, props: Props): LoadDef {
  let bus = '', phases = 3, conn: Conn = 'wye', kV = 12.47, kW = 10, kvar = 0, pf = 0.88, usePf = true, model = 1;
  let vminpu = 0.95, vmaxpu = 1.05, cvrWatts = 1, cvrVars = 2;
  for (const p of props) {
    switch (p.name) {
      case 'bus1': bus = p.value; break;
      case 'phases': phases = num(p); break;
      case 'conn': conn = connOf(p); break;
      case 'kv': kV = num(p); break;
      case 'kw': kW = num(p); break;
      case 'kvar': kvar = num(p); usePf = false; break;
      case 'pf': pf = num(p); usePf = true; break;
      case 'model': model = num(p); if (![1, 2, 3, 4, 5, 6, 7].includes(model)) throw parseError(p.at, `load model ${model} is not supported`); break;
      case 'vminpu': vminpu = num(p); break;
      case 'vmaxpu': vmaxpu = num(p); break;
      case 'cvrwatts': cvrWatts = num(p); break;
      case 'cvrvars': cvrVars = num(p); break;
      default: if (!KNOWN_IGNORED.has(p.name)) throw parseError(p.at, `unknown Load property "${p.name}"`);
    }
  }
  if (usePf) kvar = kW * Math.tan(Math.acos(Math.min(1, Math.abs(pf)))) * Math.sign(pf || 1);
  if (!bus) throw parseError(o.at, `Load.${o.name} needs bus1`);
  const t = terminal(bus, conn === 'wye' ? phases + 1 : phases === 1 ? 2 : phases, o.at);
  return { name: o.name, bus: t.bus, nodes: t.nodes, phases, conn, kV, kW, kvar, model, vminpu, vmaxpu, cvrWatts, cvrVars, at: o.at };
}

export function buildCapacitor(o: DssObject, props: Props): CapacitorDef {
  let bus = '', phases = 3, conn: Conn = 'wye', kV = 12.47, kvar = 1200;
  for (const p of props) {
    switch (p.name) {
      case 'bus1': bus = p.value; break;
      case 'bus2': if (!/^[^.]*(\.0)*$/.test(p.value)) throw parseError(p.at, 'Capacitor bus2 other than ground is not supported'); break;
      case 'phases': phases = num(p); break;
      case 'conn': conn = connOf(p); break;
      case 'kv': kV = num(p); break;
      case 'kvar': kvar = toNumbers(p.value).reduce((a, b) => a + b, 0); break;
      default: if (!KNOWN_IGNORED.has(p.name) && p.name !== 'states') throw parseError(p.at, `unknown Capacitor property "${p.name}"`);
    }
  }
  if (!bus) throw parseError(o.at, `Capacitor.${o.name} needs bus1`);
  const t = terminal(bus, conn === 'wye' ? phases + 1 : phases === 1 ? 2 : phases, o.at);
  return { name: o.name, bus: t.bus, nodes: t.nodes, phases, conn, kV, kvar, at: o.at };
}

export function buildSource(props: Props): SourceDef {
  let bus = 'sourcebus', basekV = 115, pu = 1, angleDeg = 0, mvasc3 = 2000, mvasc1 = 2100, x1r1 = 4, x0r0 = 3;
  let ohms: number[] | undefined;
  for (const p of props) {
    switch (p.name) {
      case 'bus1': bus = parseBus(p.value, p.at).bus; break;
      case 'basekv': basekV = num(p); break;
      case 'pu': pu = num(p); break;
      case 'angle': angleDeg = num(p); break;
      case 'mvasc3': mvasc3 = num(p); ohms = undefined; break;
      case 'mvasc1': mvasc1 = num(p); ohms = undefined; break;
      case 'x1r1': x1r1 = num(p); break;
      case 'x0r0': x0r0 = num(p); break;
      case 'r1': case 'x1': case 'r0': case 'x0': {
        ohms ??= [0, 0, 0, 0];
        ohms[['r1', 'x1', 'r0', 'x0'].indexOf(p.name)] = num(p);
        break;
      }
      case 'phases': if (num(p) !== 3) throw parseError(p.at, 'only 3-phase sources are supported'); break;
      case 'frequency': case 'basefreq': case 'basemva': case 'model': break;
      default: throw parseError(p.at, `unknown Circuit/Vsource property "${p.name}"`);
    }
  }
  if (ohms) return { bus, basekV, pu, angleDeg, z1: { re: ohms[0], im: ohms[1] }, z0: { re: ohms[2], im: ohms[3] } };
  // OpenDSS Vsource: |Z1| from MVAsc3, then R0 from |2 Z1 + Z0| = 3 kV^2 / MVAsc1 (a quadratic in R0)
  const f = basekV * basekV;
  const r1 = f / mvasc3 / Math.sqrt(1 + x1r1 * x1r1), x1 = r1 * x1r1;
  const a = 1 + x0r0 * x0r0, b = 4 * (r1 + x1 * x0r0), c = 4 * (r1 * r1 + x1 * x1) - (3 * f / mvasc1) ** 2;
  const r0 = (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
  return { bus, basekV, pu, angleDeg, z1: { re: r1, im: x1 }, z0: { re: r0, im: r0 * x0r0 } };
}

export function buildTransformer(o: DssObject, props: Props): TransformerDef {
  let phases = 3, active = 0, xhl = 7, ppm = 1;
  const mk = () => ({ bus: '', conn: 'wye' as Conn, kV: 12.47, kVA: 1000, rPct: 0.2, tap: 1 });
  let w = [mk(), mk()];
  let maxTap = 1.1, minTap = 0.9, numTaps = 32;
  const arr = (p: DssProp, f: (i: number, s: string) => void) => toStrings(p.value).forEach((s, i) => { if (i < w.length) f(i, s); });
  const n = (p: DssProp, s: string) => { const x = toNumber(s); if (!Number.isFinite(x)) throw parseError(p.at, `bad number "${s}" in ${p.name}`); return x; };
  for (const p of props) {
    switch (p.name) {
      case 'phases': phases = num(p); break;
      case 'windings': w = Array.from({ length: num(p) }, (_, i) => w[i] ?? mk()); break;
      case 'wdg': active = num(p) - 1; if (!w[active]) throw parseError(p.at, `winding ${active + 1} does not exist`); break;
      case 'bus': w[active].bus = p.value; break;
      case 'conn': w[active].conn = connOf(p); break;
      case 'kv': w[active].kV = num(p); break;
      case 'kva': w[active].kVA = num(p); break;
      case '%r': w[active].rPct = num(p); break;
      case 'tap': w[active].tap = num(p); break;
      case 'buses': arr(p, (i, s) => (w[i].bus = s)); break;
      case 'conns': arr(p, (i, s) => (w[i].conn = connOf({ ...p, value: s }))); break;
      case 'kvs': arr(p, (i, s) => (w[i].kV = n(p, s))); break;
      case 'kvas': arr(p, (i, s) => (w[i].kVA = n(p, s))); break;
      case 'taps': arr(p, (i, s) => (w[i].tap = n(p, s))); break;
      case '%rs': arr(p, (i, s) => (w[i].rPct = n(p, s))); break;
      case 'xhl': case 'x12': xhl = num(p); break;
      case '%loadloss': { const r = num(p) / 2; w.forEach((x) => (x.rPct = r)); break; }
      case 'ppm': ppm = num(p); break;
      case 'maxtap': maxTap = num(p); break;
      case 'mintap': minTap = num(p); break;
      case 'numtaps': numTaps = num(p); break;
      case '%noloadloss': case '%imag': case 'rneut': case 'xneut': case 'x13': case 'x23': case 'thermal': case 'n': case 'm': case 'flrise': case 'hsrise': break;
      case 'xfmrcode': throw parseError(p.at, 'XfmrCode is not supported');
      default: if (!KNOWN_IGNORED.has(p.name)) throw parseError(p.at, `unknown Transformer property "${p.name}"`);
    }
  }
  if (w.length !== 2) throw parseError(o.at, `Transformer.${o.name}: only 2-winding transformers are supported`);
  const windings = w.map((x, i) => {
    if (!x.bus) throw parseError(o.at, `Transformer.${o.name}: winding ${i + 1} has no bus`);
    const t = terminal(x.bus, phases + 1, o.at);
    return { ...x, bus: t.bus, nodes: x.conn === 'wye' ? t.nodes : t.nodes.slice(0, phases) };
  });
  return { name: o.name, phases, windings, xhlPct: xhl, ppm, tapIncrement: (maxTap - minTap) / numTaps, minTap, maxTap, at: o.at };
}

export function buildRegControl(o: DssObject, props: Props): RegulatorDef {
  const r: RegulatorDef = { name: o.name, transformer: '', winding: 1, vreg: 120, band: 3, ptRatio: 60, ctPrim: 300, r: 0, x: 0, delay: 15, maxTapChange: 16, ptPhase: 1, enabled: true, at: o.at };
  for (const p of props) {
    switch (p.name) {
      case 'transformer': r.transformer = p.value; break;
      case 'winding': case 'tapwinding': r.winding = num(p); break;
      case 'vreg': r.vreg = num(p); break;
      case 'band': r.band = num(p); break;
      case 'ptratio': r.ptRatio = num(p); break;
      case 'ctprim': r.ctPrim = num(p); break;
      case 'r': r.r = num(p); break;
      case 'x': r.x = num(p); break;
      case 'delay': r.delay = num(p); break;
      case 'maxtapchange': r.maxTapChange = num(p); break;
      case 'ptphase': r.ptPhase = num(p); break;
      case 'enabled': r.enabled = /^[ty]/i.test(p.value); break;
      default: if (!KNOWN_IGNORED.has(p.name)) throw parseError(p.at, `unknown RegControl property "${p.name}"`);
    }
  }
  if (!r.transformer) throw parseError(o.at, `RegControl.${o.name} needs transformer=`);
  return r;
}
