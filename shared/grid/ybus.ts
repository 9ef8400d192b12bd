// Per-unit nodal admittance for one switching/fault/tap configuration: energised nodes, slack split, the unknown
// block Yuu factorised (sparse LU) and the Yus coupling. Loads are stamped at their nominal admittance so the
// fixed-point iteration only has to correct their deviation from constant impedance.
import { AppError } from '../errors';
import { analyze, csrFromTriplets, factor, type LuNumeric, type LuSymbolic } from './sparse-lu';
import type { Network } from './network';

export interface FaultSpec {
  bus: string;
  kind: 'SLG' | 'LL' | 'LLG' | '3P';
  phases?: number[];
  ohms: number;
}

export interface SlackSpec {
  bus: string;
  pu?: number;
  angleDeg?: number;
}

export interface YConfig {
  closed: Uint8Array; // per branch
  branchY: Float64Array[]; // per branch primitive (SI), taps applied
  faults: FaultSpec[];
  slackBuses: SlackSpec[];
}

export interface YSystem {
  energized: Uint8Array; // per node
  isSlack: Uint8Array;
  slackNodes: number[];
  uOf: Int32Array; // node -> unknown index or -1
  unknowns: Int32Array; // unknown index -> node
  lu: LuNumeric;
  yus: { u: Int32Array; s: Int32Array; val: Float64Array }; // coupling triplets (pu)
  topoKey: string;
  closed: Uint8Array; // per branch, as solved
}

function faultPairs(net: Network, f: FaultSpec): [number, number][] {
  const ph = f.phases ?? { SLG: [1], LL: [1, 2], LLG: [1, 2], '3P': [1, 2, 3] }[f.kind];
  const nodes = ph.map((p) => {
    const i = net.index.get(`${f.bus.toLowerCase()}.${p}`);
    if (i === undefined) throw new AppError('INVALID_ARGUMENT', `fault at ${f.bus}.${p}: no such node`, { field: 'faults', bus: f.bus, phase: p });
    return i;
  });
  if (f.kind === 'LL') return [[nodes[0], nodes[1]]];
  if (f.kind === 'LLG') return [[nodes[0], nodes[1]], [nodes[0], -1], [nodes[1], -1]];
  return nodes.map((a) => [a, -1]);
}

/** Builds (or refactors, when only values changed) the system for a configuration. */
export function assemble(net: Network, cfg: YConfig, prev?: { sym: LuSymbolic; sys: YSystem }, symCache?: Map<string, LuSymbolic>): { sym: LuSymbolic; sys: YSystem } {
  const n = net.n;
  // energised = connected to a slack through closed branches (union-find over element nodes)
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const root = (i: number): number => { while (parent[i] !== i) i = parent[i] = parent[parent[i]]; return i; };
  net.branches.forEach((b, k) => {
    if (!cfg.closed[k]) return;
    let first = -1;
    for (const x of b.nodes) if (x >= 0) { if (first < 0) first = x; else parent[root(x)] = root(first); }
  });
  const isSlack = new Uint8Array(n);
  for (const s of net.slack) isSlack[s] = 1;
  for (const s of cfg.slackBuses) {
    let any = false;
    for (let p = 1; p <= 3; p++) { const i = net.index.get(`${s.bus.toLowerCase()}.${p}`); if (i !== undefined) { isSlack[i] = 1; any = true; } }
    if (!any) throw new AppError('INVALID_ARGUMENT', `slack bus ${s.bus} does not exist`, { field: 'slackBuses', bus: s.bus });
  }
  const live = new Set<number>();
  for (let i = 0; i < n; i++) if (isSlack[i]) live.add(root(i));
  const energized = new Uint8Array(n);
  const uOf = new Int32Array(n).fill(-1);
  const unknowns: number[] = [], slackNodes: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!live.has(root(i))) continue;
    energized[i] = 1;
    if (isSlack[i]) slackNodes.push(i);
    else { uOf[i] = unknowns.length; unknowns.push(i); }
  }

  const rows: number[] = [], cols: number[] = [], vals: number[] = [];
  const cu: number[] = [], cs: number[] = [], cv: number[] = [];
  const vb = net.vBase, sb = net.sBase;
  const stamp = (i: number, j: number, re: number, im: number) => {
    if (i < 0 || j < 0 || !energized[i] || !energized[j] || isSlack[i]) return;
    const k = (vb[i] * vb[j]) / sb;
    if (isSlack[j]) { cu.push(uOf[i]); cs.push(j); cv.push(re * k, im * k); return; }
    rows.push(uOf[i]); cols.push(uOf[j]); vals.push(re * k, im * k);
  };
  net.branches.forEach((b, k) => {
    if (!cfg.closed[k]) return;
    const y = cfg.branchY[k], m = b.nodes.length;
    for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) stamp(b.nodes[r], b.nodes[c], y[2 * (r * m + c)], y[2 * (r * m + c) + 1]);
  });
  for (const l of net.loads) { // nominal admittance conj(S)/V^2
    const g = l.sVA[0] / (l.vNom * l.vNom), bb = -l.sVA[1] / (l.vNom * l.vNom);
    stamp(l.a, l.a, g, bb);
    if (l.b >= 0) { stamp(l.b, l.b, g, bb); stamp(l.a, l.b, -g, -bb); stamp(l.b, l.a, -g, -bb); }
  }
  for (const f of cfg.faults) {
    if (!(f.ohms >= 0)) throw new AppError('INVALID_ARGUMENT', 'fault ohms must be >= 0', { field: 'faults', bus: f.bus });
    const g = 1 / Math.max(f.ohms, 1e-4);
    for (const [a, b] of faultPairs(net, f)) {
      stamp(a, a, g, 0);
      if (b >= 0) { stamp(b, b, g, 0); stamp(a, b, -g, 0); stamp(b, a, -g, 0); }
    }
  }
  const nu = unknowns.length;
  for (let i = 0; i < nu; i++) { rows.push(i); cols.push(i); vals.push(0, 0); } // keep the diagonal in the pattern
  const a = csrFromTriplets(nu, rows, cols, vals);
  const topoKey = `${Array.from(cfg.closed).join('')}|${cfg.faults.map((f) => `${f.bus}:${f.kind}:${f.phases ?? ''}`).join(',')}|${cfg.slackBuses.map((s) => s.bus).join(',')}`;
  const sym = prev && prev.sys.topoKey === topoKey ? prev.sym : (symCache?.get(topoKey) ?? analyze(a));
  if (symCache && !symCache.has(topoKey)) {
    if (symCache.size >= 16) symCache.delete(symCache.keys().next().value as string); // keep the few recent topologies
    symCache.set(topoKey, sym);
  }
  let lu: LuNumeric;
  try {
    lu = factor(sym, a, prev && prev.sym === sym ? prev.sys.lu : undefined);
  } catch (e) {
    throw new AppError('NOT_CONVERGED', 'the admittance matrix is singular: a part of the network floats', { cause: String(e) });
  }
  return { sym, sys: { energized, isSlack, slackNodes, uOf, unknowns: Int32Array.from(unknowns), lu, yus: { u: Int32Array.from(cu), s: Int32Array.from(cs), val: Float64Array.from(cv) }, topoKey, closed: cfg.closed } };
}
