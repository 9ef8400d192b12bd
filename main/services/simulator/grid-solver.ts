// The simulator's only view of the network: its topology and a quasi-static solve. The real three-phase power flow
// (shared/grid, issue 3) plugs in behind this interface in real-solver.ts; nothing else here knows the solver.
import type { Phase } from '../../../shared/domain/signals';

export interface TopoBus {
  name: string;
  phases: Phase[];
  kvLN: number; // line-to-neutral base, kV
  x?: number;
  y?: number;
}

export interface TopoBranch {
  name: string; // e.g. "Sw3", "L86"
  from: string;
  to: string;
  phases: Phase[];
  isSwitch: boolean;
  normallyOpen: boolean;
}

export interface TopoLoad {
  name: string;
  bus: string;
  phases: Phase[];
  kW: number;
  kvar: number;
}

export interface FeederTopology {
  name: string;
  sourceBus: string;
  baseKvLL: number;
  buses: TopoBus[];
  branches: TopoBranch[];
  loads: TopoLoad[];
  /** Names of the transformers whose taps a regulator controls. */
  regulators: string[];
}

export type FaultKind = 'SLG' | 'LL' | 'LLG' | '3P';

export interface SolveInput {
  loadScale: number;
  /** Per-bus net injections (kW / kvar, positive = generation), split evenly over `phases`. */
  injections: Array<{ bus: string; phases: Phase[]; p_kW: number; q_kvar: number }>;
  /** Branch name -> closed. Branches not listed keep their normal state. */
  switches: Record<string, boolean>;
  /** Substation source magnitude, p.u. (balanced). */
  sourcePu: number;
  faults: Array<{ bus: string; kind: FaultKind; phases: Phase[]; ohms: number }>;
  /** Grid-forming buses of islanded microgrids: balanced voltage sources at these buses. */
  slacks: Array<{ bus: string; pu: number; angleDeg: number }>;
  /** Regulators move their taps on this solve (slow control) or hold them (fast, during disturbances). */
  regulate: boolean;
}

/** Phasors in rectangular form, index 0/1/2 = phase A/B/C; NaN where the phase does not exist or is dead. */
export interface PhasorTriple {
  re: [number, number, number];
  im: [number, number, number];
}

export interface SolveResult {
  converged: boolean;
  iterations: number;
  /** Bus voltages in p.u. of the bus's line-to-neutral base (angle in the source's frame). */
  busV: Map<string, PhasorTriple>;
  /** Branch currents in amperes, flowing from `from` to `to`. */
  branchI: Map<string, PhasorTriple>;
  /** Power drawn from the substation, kW / kvar (three phases). */
  sourceKW: number;
  sourceKvar: number;
  /** Regulator tap positions (steps) by transformer name. */
  taps: Record<string, number>;
}

export interface GridSolver {
  readonly topology: FeederTopology;
  solve(input: SolveInput): SolveResult;
}

export const PHASE_INDEX: Record<Phase, number> = { A: 0, B: 1, C: 2 };

export function magPu(v: PhasorTriple, i: number): number {
  return Math.hypot(v.re[i], v.im[i]);
}
