// The feeder model: plain, serialisable data built from a DSS script (build-model) and consumed by the network
// builder. Impedances are in ohms and siemens (totals per element, not per length), voltages in kV, powers in kW/kvar.
import type { SourceRef } from './dss-reader';

export type Conn = 'wye' | 'delta';

export interface BusDef {
  name: string;
  phases: number[]; // the phase nodes (1..3) present at the bus
  kVBase: number; // line-to-line base, from the voltage bases
  x?: number; // schematic coordinates, not geographic
  y?: number;
}

/** A terminal: a bus and the node each conductor lands on (0 = ground). */
export interface Terminal {
  bus: string;
  nodes: number[];
}

export interface LineDef {
  name: string;
  from: Terminal;
  to: Terminal;
  phases: number;
  z: number[]; // series impedance, n x n complex row-major interleaved, ohms
  yc: number[]; // total shunt admittance (half at each end), n x n complex, siemens
  isSwitch: boolean;
  closed: boolean; // normal state
  lengthKft?: number;
  at: SourceRef;
}

export interface WindingDef {
  bus: string;
  nodes: number[]; // phase nodes, then the neutral node for wye (0 = grounded)
  conn: Conn;
  kV: number; // rated: line-to-line for 3-phase, coil voltage for 1-phase
  kVA: number;
  rPct: number;
  tap: number; // per unit
}

export interface TransformerDef {
  name: string;
  phases: number;
  windings: WindingDef[];
  xhlPct: number;
  ppm: number;
  tapIncrement: number; // pu per step
  minTap: number;
  maxTap: number;
  at: SourceRef;
}

export interface RegulatorDef {
  name: string; // the RegControl name
  transformer: string;
  winding: number; // 1-based winding that is sensed and tapped
  vreg: number; // volts on the PT secondary (120 V base)
  band: number; // volts
  ptRatio: number;
  ctPrim: number; // amps
  r: number; // line-drop compensator, volts at rated CT current
  x: number;
  delay: number; // s; in a static solution the shortest delay moves first
  maxTapChange: number; // per control iteration; 0 locks the tap
  ptPhase: number; // 1-based phase of the winding that is sensed
  enabled: boolean;
  at: SourceRef;
}

export interface LoadDef {
  name: string;
  bus: string;
  nodes: number[]; // wye: phases then neutral; delta: the phase nodes
  phases: number;
  conn: Conn;
  kV: number;
  kW: number;
  kvar: number;
  model: number; // OpenDSS load model 1 PQ, 2 Z, 3 P+quadratic Q, 4 exponential, 5 |I|, 6/7 P with fixed Q
  vminpu: number;
  vmaxpu: number;
  cvrWatts: number;
  cvrVars: number;
  at: SourceRef;
}

export interface CapacitorDef {
  name: string;
  bus: string;
  nodes: number[];
  phases: number;
  conn: Conn;
  kV: number;
  kvar: number;
  at: SourceRef;
}

export interface SourceDef {
  bus: string;
  basekV: number;
  pu: number;
  angleDeg: number;
  z1: { re: number; im: number }; // ohms
  z0: { re: number; im: number };
}

export interface FeederModel {
  name: string;
  frequency: number;
  source: SourceDef;
  buses: BusDef[];
  lines: LineDef[];
  transformers: TransformerDef[];
  regulators: RegulatorDef[];
  loads: LoadDef[];
  capacitors: CapacitorDef[];
  voltageBases: number[];
  controlMode: 'static' | 'off';
}
