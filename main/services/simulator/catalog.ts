// The simulator's self-description for the console's catalogue: the feeder (buses, branches, devices) and every
// signal it publishes with its OPC UA node id, unit, nominal and rate, so ingestion maps it without code.
import { signalKey, type ElementKind, type Phase, type Quantity, type SignalInfo } from '../../../shared/domain/signals';
import type { SimConfig } from './config';
import type { FeederTopology } from './grid-solver';

export interface CatalogSignal extends SignalInfo {
  nodeId: string; // "ns=<index>;s=<key>", index of NAMESPACE_URI on the server
  rateHz: number;
  field: string; // browse name under its object
}

export interface SimCatalog {
  namespaceUri: string;
  feeder: {
    name: string;
    sourceBus: string;
    f0: number;
    buses: Array<{ name: string; phases: Phase[]; kvLN: number; x?: number; y?: number }>;
    branches: Array<{ name: string; from: string; to: string }>;
  };
  /** windowS: frequency estimator window; groupDelayS: the delay it adds (C37.118 CFG-3 declares both). */
  pmus: Array<{ name: string; bus: string; branch?: string; rateHz: number; windowS: number; groupDelayS: number }>;
  ders: Array<{ name: string; kind: string; bus: string; kVA: number; normalCategory: string; abnormalCategory: string; gridForming: boolean; microgrid?: string }>;
  microgrids: Array<{ name: string; pccBranch: string; buses: string[]; syncLimits: { dfHz: number; dvPct: number; dphiDeg: number; source: string } }>;
  signals: CatalogSignal[];
}

export const NAMESPACE_URI = 'urn:exergy:simulator';

export function buildCatalog(cfg: SimConfig, topo: FeederTopology, mgBuses: Map<string, string[]>, nsIndex = 1): SimCatalog {
  const signals: CatalogSignal[] = [];
  const add = (kind: ElementKind, element: string, quantity: Quantity, unit: string, rateHz: number, field: string, extra: Partial<SignalInfo> = {}): void => {
    const key = signalKey(kind, element, quantity, extra.phase);
    signals.push({ id: signals.length + 1, key, kind, element, quantity, unit, rateHz, field, nodeId: `ns=${nsIndex};s=${key}`, ...extra });
  };
  const busOf = new Map(topo.buses.map((b) => [b.name, b]));
  for (const p of cfg.pmus) {
    const bus = busOf.get(p.bus)!;
    for (const ph of bus.phases) {
      const nominal = bus.kvLN * 1000;
      add('pmu', p.name, 'Vmag', 'V', cfg.pmuRate, `V${ph}_mag`, { phase: ph, nominal, bus: p.bus });
      add('pmu', p.name, 'Vang', 'deg', cfg.pmuRate, `V${ph}_ang`, { phase: ph, bus: p.bus });
    }
    for (const ph of bus.phases) {
      add('pmu', p.name, 'Imag', 'A', cfg.pmuRate, `I${ph}_mag`, { phase: ph, bus: p.bus });
      add('pmu', p.name, 'Iang', 'deg', cfg.pmuRate, `I${ph}_ang`, { phase: ph, bus: p.bus });
    }
    add('pmu', p.name, 'freq', 'Hz', cfg.pmuRate, 'Frequency', { nominal: cfg.bulk.f0, bus: p.bus });
    add('pmu', p.name, 'rocof', 'Hz/s', cfg.pmuRate, 'RoCoF', { bus: p.bus });
    add('pmu', p.name, 'status', '', cfg.pmuRate, 'Status', { bus: p.bus });
  }
  const scada = 1 / cfg.scadaPeriodS;
  for (const d of cfg.ders) {
    add('der', d.name, 'P', 'kW', scada, 'P', { bus: d.bus });
    add('der', d.name, 'Q', 'kvar', scada, 'Q', { bus: d.bus });
    add('der', d.name, 'status', '', scada, 'Status', { bus: d.bus });
    if (d.kind === 'battery') add('der', d.name, 'soc', '%', scada, 'SoC', { bus: d.bus });
  }
  for (const m of cfg.microgrids) {
    add('microgrid', m.name, 'gridConnect', '', scada, 'GridConnect');
    add('microgrid', m.name, 'breaker', '', scada, 'PccBreaker');
    add('microgrid', m.name, 'P', 'kW', scada, 'PccP');
    add('microgrid', m.name, 'freq', 'Hz', scada, 'Frequency', { nominal: cfg.bulk.f0 });
    add('microgrid', m.name, 'kineticEnergy', 'MWs', scada, 'KineticEnergy');
  }
  add('feeder', topo.name, 'P', 'kW', scada, 'SourceP', { bus: topo.sourceBus });
  add('feeder', topo.name, 'Q', 'kvar', scada, 'SourceQ', { bus: topo.sourceBus });
  add('feeder', topo.name, 'freq', 'Hz', scada, 'Frequency', { nominal: cfg.bulk.f0 });
  add('feeder', topo.name, 'kineticEnergy', 'MWs', scada, 'KineticEnergy');
  for (const r of topo.regulators) add('regulator', r, 'tap', '', scada, 'Tap');
  for (const b of topo.buses) for (const ph of b.phases) add('bus', b.name, 'Vmag', 'pu', scada, `V${ph}`, { phase: ph, nominal: 1, bus: b.name });
  return {
    namespaceUri: NAMESPACE_URI,
    feeder: { name: topo.name, sourceBus: topo.sourceBus, f0: cfg.bulk.f0, buses: topo.buses.map((b) => ({ ...b })), branches: topo.branches.map((b) => ({ name: b.name, from: b.from, to: b.to })) },
    pmus: cfg.pmus.map((p) => ({ ...p, rateHz: cfg.pmuRate, windowS: cfg.pmuWindowS, groupDelayS: cfg.pmuWindowS / 2 })),
    ders: cfg.ders.map((d) => ({ name: d.name, kind: d.kind, bus: d.bus, kVA: d.kVA, normalCategory: d.normalCategory, abnormalCategory: d.abnormalCategory, gridForming: d.gridForming, microgrid: d.microgrid })),
    microgrids: cfg.microgrids.map((m) => ({ name: m.name, pccBranch: m.pccBranch, buses: mgBuses.get(m.name) ?? [], syncLimits: { ...m.syncLimits } })),
    signals,
  };
}
