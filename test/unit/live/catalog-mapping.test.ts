// The catalogue → mapping and catalogue → alarm derivations the live path relies on: the mapping passes the
// ingestion's own schema, is namespace-URI based, skips meaningless PMU currents; alarms carry suppression groups.
import { describe, expect, it } from 'vitest';
import { deriveAlarms, voltageAlarmIds } from '../../../main/services/live/alarm-defs';
import { mappingFromCatalog } from '../../../main/services/live/catalog-mapping';
import { parseMapping } from '../../../main/services/opcua/mapping-schema';
import type { SimCatalog } from '../../../main/services/simulator/catalog';

const sig = (id: number, key: string, extra: Partial<SimCatalog['signals'][number]>) => ({ id, key, nodeId: `ns=3;s=${key}`, rateHz: 1, field: 'x', kind: 'pmu' as const, element: 'P', quantity: 'Vmag' as const, unit: 'V', ...extra });
const cat: SimCatalog = {
  namespaceUri: 'urn:exergy:simulator',
  feeder: { name: 'ieee123', sourceBus: '150', f0: 60, buses: [], branches: [] },
  pmus: [
    { name: 'PMU_13', bus: '13', branch: 'Sw2', rateHz: 60, windowS: 0.1, groupDelayS: 0.05 },
    { name: 'PMU_65', bus: '65', rateHz: 60, windowS: 0.1, groupDelayS: 0.05 },
  ],
  ders: [{ name: 'PV_49', kind: 'pv', bus: '49', kVA: 250, normalCategory: 'B', abnormalCategory: 'III', gridForming: false, microgrid: 'MG1' }],
  microgrids: [{ name: 'MG1', pccBranch: 'Sw3', buses: ['47', '49'], syncLimits: { dfHz: 0.2, dvPct: 5, dphiDeg: 15, source: 'IEEE 1547' } }],
  signals: [
    sig(1, 'pmu/PMU_13/Vmag.A', { element: 'PMU_13', phase: 'A', nominal: 2401.8, bus: '13', rateHz: 60 }),
    sig(2, 'pmu/PMU_13/Imag.A', { element: 'PMU_13', quantity: 'Imag', unit: 'A', phase: 'A', bus: '13', rateHz: 60 }),
    sig(3, 'pmu/PMU_65/Imag.A', { element: 'PMU_65', quantity: 'Imag', unit: 'A', phase: 'A', bus: '65', rateHz: 60 }),
    sig(4, 'der/PV_49/status', { kind: 'der', element: 'PV_49', quantity: 'status', unit: '', bus: '49' }),
    sig(5, 'bus/47/Vmag.A', { kind: 'bus', element: '47', unit: 'pu', nominal: 1, phase: 'A', bus: '47' }),
  ],
};

describe('mappingFromCatalog', () => {
  it('writes NodeIds with the namespace URI and rate classes, and passes the ingestion schema', () => {
    const m = parseMapping(mappingFromCatalog(cat), 'test');
    expect(m.signals.map((s) => s.key)).toEqual(['pmu/PMU_13/Vmag.A', 'pmu/PMU_13/Imag.A', 'der/PV_49/status']);
    expect(m.signals[0]).toMatchObject({ node: 'nsu=urn:exergy:simulator;s=pmu/PMU_13/Vmag.A', rate: 'pmu', nominal: 2401.8, phase: 'A' });
    expect(m.signals[2]).toMatchObject({ rate: 'scada', kind: 'der' });
  });
  it('adds the per-bus SCADA voltages only when asked', () => {
    expect(mappingFromCatalog(cat, { busVoltages: true }).signals.map((s) => s.key)).toContain('bus/47/Vmag.A');
  });
});

describe('deriveAlarms', () => {
  it('derives Range A/B voltage alarms per measured bus, frequency per PMU, DER trip and connection loss', () => {
    const { defs } = deriveAlarms(cat, ['13', '47'], ['simulator']);
    const byId = new Map(defs.map((d) => [d.id, d]));
    expect(byId.get(voltageAlarmIds('13').uvB)).toMatchObject({ kind: 'low', limit: 0.917, priority: 'high' });
    expect(byId.get(voltageAlarmIds('13').ovA)).toMatchObject({ kind: 'high', limit: 1.05 });
    expect(byId.get(voltageAlarmIds('13').uvB)?.suppressionGroup).toBeUndefined();
    expect(byId.get(voltageAlarmIds('47').uvB)?.suppressionGroup).toBe('islanded:MG1'); // inside MG1
    expect(byId.get('pmu/PMU_65/FREQ-LO')).toMatchObject({ kind: 'low' });
    expect(byId.get('der/PV_49/TRIP')).toMatchObject({ kind: 'state' });
    expect(byId.get('conn/simulator/LOST')).toMatchObject({ priority: 'critical' });
  });
});
