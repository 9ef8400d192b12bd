// Turns a server's self-description (SimCatalog) into an ingestion mapping: data, not code per server. NodeIds are
// stored with their namespace URI so a server restart that reorders its namespace array cannot mis-map a signal.
import type { SimCatalog } from '../simulator/catalog';
import type { Mapping } from '../opcua/mapping-schema';

export interface CatalogMappingOptions {
  /** also ingest the per-bus SCADA voltages (every bus then counts as measured) */
  busVoltages?: boolean;
}

export function mappingFromCatalog(cat: SimCatalog, o: CatalogMappingOptions = {}): Mapping {
  const signals: Mapping['signals'] = [];
  // a PMU on a bus without a monitored branch reports no meaningful current (always Bad): not worth a monitored item
  const noCurrent = new Set(cat.pmus.filter((p) => !p.branch).map((p) => p.name));
  for (const s of cat.signals) {
    if (s.kind === 'bus' && !o.busVoltages) continue;
    if (s.kind === 'pmu' && (s.quantity === 'Imag' || s.quantity === 'Iang') && noCurrent.has(s.element)) continue;
    const key = s.nodeId.replace(/^ns=\d+;s=/, '');
    signals.push({
      key: s.key,
      kind: s.kind,
      element: s.element,
      ...(s.bus ? { bus: s.bus } : {}),
      node: `nsu=${cat.namespaceUri};s=${key}`,
      quantity: s.quantity,
      ...(s.phase ? { phase: s.phase } : {}),
      unit: s.unit,
      ...(s.nominal ? { nominal: s.nominal } : {}),
      rate: s.rateHz >= 5 ? 'pmu' : 'scada',
    });
  }
  return { namespaces: {}, defaultRate: 'scada', signals, types: [] };
}
