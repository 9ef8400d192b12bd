// Derives analytics options from a feeder's self-description (the simulator's catalogue or a utility's model):
// each DER's abnormal category, its microgrid, each island's PMUs and PCC bus. Structural input: no simulator import.
import type { Category } from '../../../shared/grid/ieee1547';
import type { AnalyticsOptions } from './analytics-service';

export interface FeederDescription {
  ders: Array<{ name: string; bus: string; abnormalCategory: string; microgrid?: string; gridForming?: boolean; kVA?: number }>;
  microgrids: Array<{ name: string; buses: string[]; pccBus?: string }>;
  pmus: Array<{ name: string; bus: string }>;
}

export interface IslandHints {
  steps?: Record<string, string[]>; // microgrid → elements whose P drop is a known ΔP
  units?: Record<string, Array<{ element: string; hS: number; sMva: number }>>; // microgrid → Σ H·S units
}

export function analyticsOptionsFor(feeder: FeederDescription, hints: IslandHints = {}, base: AnalyticsOptions = {}): AnalyticsOptions {
  const der: NonNullable<AnalyticsOptions['der']> = { ...base.der };
  const microgridOf: Record<string, string> = { ...base.microgridOf };
  for (const d of feeder.ders) {
    if (['I', 'II', 'III'].includes(d.abnormalCategory)) der[d.name] ??= { category: d.abnormalCategory as Category };
    if (d.microgrid) microgridOf[d.name] = d.microgrid;
  }
  const islands = feeder.microgrids.map((m) => ({
    microgrid: m.name,
    pccBus: m.pccBus ?? m.buses[0],
    pmus: feeder.pmus.filter((p) => m.buses.includes(p.bus)).map((p) => p.name),
    steps: hints.steps?.[m.name] ?? [],
    units: hints.units?.[m.name] ?? [],
  }));
  return { ...base, der, microgridOf, islands: [...(base.islands ?? []), ...islands] };
}
