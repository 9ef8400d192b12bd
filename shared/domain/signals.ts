// The console's signal catalogue: every telemetry stream has a numeric id (used in binary frames) and a
// descriptor saying what it measures, where, in which unit and against which nominal (for p.u.).

export type ElementKind = 'feeder' | 'bus' | 'pmu' | 'der' | 'microgrid' | 'breaker' | 'regulator';
export type Phase = 'A' | 'B' | 'C';

export type Quantity =
  | 'Vmag' // voltage magnitude, V (or p.u. when unit is 'pu')
  | 'Vang' // voltage angle, degrees, referenced to UTC at nominal frequency
  | 'Imag' // current magnitude, A
  | 'Iang' // current angle, degrees
  | 'freq' // Hz
  | 'rocof' // Hz/s
  | 'P' // kW
  | 'Q' // kvar
  | 'status' // enumerated device status (see DerStatus / BreakerState)
  | 'breaker' // 0 open, 1 closed
  | 'tap' // regulator tap position
  | 'soc' // battery state of charge, %
  | 'kineticEnergy' // MW·s (Σ H·S) of online synchronous and grid-forming units
  | 'gridConnect'; // GridConnectState as a number

export interface SignalInfo {
  id: number;
  key: string; // stable text key, e.g. "pmu/PMU_150/VA.mag"
  kind: ElementKind;
  element: string; // element name in the feeder model or the server (bus "150", DER "PV_64", microgrid "MG1")
  quantity: Quantity;
  phase?: Phase;
  unit: string; // 'V' | 'pu' | 'deg' | 'A' | 'Hz' | 'Hz/s' | 'kW' | 'kvar' | '' | '%' | 'MWs'
  nominal?: number; // nominal value for per-unit conversion (e.g. line-to-neutral volts)
  bus?: string; // the feeder bus it belongs to, where it has one
}

/** DER operating status as SCADA reports it; cessation and trip are distinct (IEEE 1547-2018 §6.4). */
export enum DerStatus {
  Off = 0,
  Running = 1,
  MomentaryCessation = 2,
  Tripped = 3,
  EnterServiceWait = 4,
}

/** Grid-connect states from the seed (Parallel, Islanded, Ride-Through). */
export enum GridConnectState {
  Parallel = 0,
  Islanded = 1,
  RideThrough = 2,
}

export function signalKey(kind: ElementKind, element: string, quantity: Quantity, phase?: Phase): string {
  return `${kind}/${element}/${quantity}${phase ? `.${phase}` : ''}`;
}
