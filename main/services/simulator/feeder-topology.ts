// Reduces the shared FeederModel (loaded by main/services/feeders/load-feeder.ts) to the topology the simulator
// reasons about: buses with phases, lines, switches and transformers as branches, loads and regulated transformers.
import type { Phase } from '../../../shared/domain/signals';
import type { FeederModel } from '../../../shared/grid/feeder-model';
import type { FeederTopology } from './grid-solver';

const PH: Phase[] = ['A', 'B', 'C'];
const phasesOf = (nodes: number[]): Phase[] => [...new Set(nodes.filter((n) => n >= 1 && n <= 3))].sort().map((n) => PH[n - 1]);

export function topologyOf(m: FeederModel): FeederTopology {
  const buses = m.buses.map((b) => ({ name: b.name, phases: phasesOf(b.phases), kvLN: b.kVBase / Math.sqrt(3), x: b.x, y: b.y }));
  const branches = [
    ...m.lines.map((l) => ({ name: l.name, from: l.from.bus, to: l.to.bus, phases: phasesOf(l.from.nodes.length ? l.from.nodes : [1, 2, 3]), isSwitch: l.isSwitch, normallyOpen: !l.closed })),
    ...m.transformers.filter((t) => t.windings.length >= 2).map((t) => ({ name: t.name, from: t.windings[0].bus, to: t.windings[1].bus, phases: phasesOf(t.windings[0].nodes), isSwitch: false, normallyOpen: false })),
  ];
  const loads = m.loads.map((l) => ({ name: l.name, bus: l.bus, phases: phasesOf(l.nodes), kW: l.kW, kvar: l.kvar }));
  return { name: m.name, sourceBus: m.source.bus, baseKvLL: m.source.basekV, buses, branches, loads, regulators: [...new Set(m.regulators.map((r) => r.transformer))] };
}
