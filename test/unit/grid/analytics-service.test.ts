// The analytics service on SampleFrames with a catalogue: DER judged on its bus's voltage when it has no terminal
// telemetry (and says so), grid-connect states and events as typed events, NaN-valued frames counted.
import { describe, expect, it } from 'vitest';
import { SAMPLE_SCHEMA, decodeFrame, encodeFrame, type SampleFrame } from '../../../shared/contract/frame';
import type { SignalInfo } from '../../../shared/domain/signals';
import type { GridEvent } from '../../../shared/grid/events';
import type { GridConnectTransition } from '../../../shared/grid/grid-connect';
import { AnalyticsService } from '../../../main/services/analytics/analytics-service';
import { analyticsOptionsFor } from '../../../main/services/analytics/feeder-options';

const catalogue: SignalInfo[] = [
  { id: 1, key: 'bus/650/Vmag.A', kind: 'bus', element: '650', quantity: 'Vmag', phase: 'A', unit: 'V', nominal: 2400 },
  { id: 2, key: 'pmu/P1/freq', kind: 'pmu', element: 'P1', quantity: 'freq', unit: 'Hz', bus: '650' },
  { id: 3, key: 'der/PV9/status', kind: 'der', element: 'PV9', quantity: 'status', unit: '', bus: '650' },
  { id: 4, key: 'microgrid/MG1/breaker', kind: 'microgrid', element: 'MG1', quantity: 'breaker', unit: '' },
  { id: 5, key: 'microgrid/MG1/Vmag', kind: 'microgrid', element: 'MG1', quantity: 'Vmag', unit: 'pu' },
  { id: 6, key: 'bus/651/Vmag.A', kind: 'bus', element: '651', quantity: 'Vmag', unit: 'V' }, // no nominal: an issue, ignored
];

function frame(k: number, sag?: boolean): SampleFrame {
  const t = 1_700_000_000_000 + k * 20; // epoch ms: tSource 0 would mean 'no source time' and fall back to tServer
  const v = (sag ?? (k >= 50 && k < 100)) ? 0.6 : 1;
  const rows = [
    [1, t, v * 2400, 0],
    [2, t, k === 70 ? Number.NaN : 60, 0],
    [4, t, 1, 0],
    [5, t, v, 0],
    [6, t, 230, 0],
    ...(k === 0 ? [[3, t, 1, 0]] : []),
  ];
  const cols = { signal: rows.map((r) => r[0]), tSource: rows.map((r) => r[1]), tServer: rows.map((r) => r[1] + 5), value: rows.map((r) => r[2]), status: rows.map((r) => r[3]) };
  return decodeFrame(encodeFrame(SAMPLE_SCHEMA, cols, rows.length, k), SAMPLE_SCHEMA) as SampleFrame;
}

describe('AnalyticsService', () => {
  it('runs detectors and grid-connect on frames and emits typed events', () => {
    const svc = new AnalyticsService({ category: 'I' });
    const events: GridEvent[] = [];
    const states: GridConnectTransition[] = [];
    const issues: string[] = [];
    svc.on('event', (e) => events.push(e));
    svc.on('state', (s) => states.push(s));
    svc.on('issue', (m) => issues.push(m));
    for (let k = 0; k < 300; k++) svc.ingest(frame(k), catalogue);
    svc.flush();
    const der = events.filter((e) => e.subject === 'der/PV9');
    expect(der.map((e) => e.phase)).toEqual(['open', 'closed']);
    expect(der[1].verdict).toMatchObject({ voltageSource: 'bus', requirement: 'may-trip', compliance: 'compliant' }); // 1 s at 0.6 p.u. > 0.16 s permissive
    expect(der[1].startMs).toBe(1_700_000_001_000);
    expect(events.some((e) => e.subject === 'bus/650' && e.phase === 'closed')).toBe(true);
    expect(states.map((s) => [s.state, s.tMs - 1_700_000_000_000])).toEqual([['Parallel', 0], ['RideThrough', 1000], ['Parallel', 2000]]);
    expect(issues).toEqual([expect.stringMatching(/bus\/651\/Vmag.A: voltage without a nominal/)]);
    expect(svc.counters().nan).toBe(3); // P1's NaN reaches the DER and PMU detectors and MG1's inertia monitor
  });
  it('judges a RoCoF above the category limit as trip allowed (Cat II 2 Hz/s) but not below it (Cat III 3 Hz/s)', () => {
    for (const [category, expected] of [['II', 'may-trip'], ['III', 'ride-through']] as const) {
      const svc = new AnalyticsService({ category });
      const out: GridEvent[] = [];
      svc.on('event', (e) => e.phase === 'closed' && e.subject === 'pmu/P1' && out.push(e));
      const cat = catalogue.slice(1, 2);
      for (let k = 0; k < 400; k++) {
        const t = k * 10;
        const f = 60 - 2.5 * Math.max(0, Math.min(0.6, (t - 1000) / 1000, (2200 - t) / 1000)); // 2.5 Hz/s to 58.5 Hz and back
        svc.ingest(decodeFrame(encodeFrame(SAMPLE_SCHEMA, { signal: [2], tSource: [t], tServer: [t], value: [f], status: [0] }, 1), SAMPLE_SCHEMA) as SampleFrame, cat);
      }
      svc.flush();
      expect(out[0].verdict?.requirement).toBe(expected);
      expect(out[0].rocofMaxHzPerS).toBeCloseTo(2.5, 1);
    }
  });
});

describe('analyticsOptionsFor (wiring from a feeder description)', () => {
  it('takes categories, microgrid membership, island PMUs and the PCC bus', () => {
    const o = analyticsOptionsFor(
      { ders: [{ name: 'PV1', bus: '60', abnormalCategory: 'III', microgrid: 'MG1' }, { name: 'PV2', bus: '70', abnormalCategory: 'X' }], microgrids: [{ name: 'MG1', buses: ['60', '61'] }], pmus: [{ name: 'P61', bus: '61' }, { name: 'P99', bus: '99' }] },
      { steps: { MG1: ['GEN2'] } },
    );
    expect(o.der).toEqual({ PV1: { category: 'III' } });
    expect(o.microgridOf).toEqual({ PV1: 'MG1' });
    expect(o.islands).toEqual([{ microgrid: 'MG1', pccBus: '60', pmus: ['P61'], steps: ['GEN2'], units: [] }]);
  });
  it('a DER without terminal V or a PMU at its bus is judged on bus V and its microgrid frequency', () => {
    const cat: SignalInfo[] = [
      { id: 1, key: 'bus/60/Vmag.A', kind: 'bus', element: '60', quantity: 'Vmag', phase: 'A', unit: 'pu', nominal: 1, bus: '60' },
      { id: 2, key: 'der/PV1/status', kind: 'der', element: 'PV1', quantity: 'status', unit: '', bus: '60' },
      { id: 3, key: 'microgrid/MG1/freq', kind: 'microgrid', element: 'MG1', quantity: 'freq', unit: 'Hz' },
      { id: 4, key: 'microgrid/MG1/breaker', kind: 'microgrid', element: 'MG1', quantity: 'breaker', unit: '' },
    ];
    const svc = new AnalyticsService(analyticsOptionsFor({ ders: [{ name: 'PV1', bus: '60', abnormalCategory: 'III', microgrid: 'MG1' }], microgrids: [{ name: 'MG1', buses: ['60'] }], pmus: [] }));
    const out: GridEvent[] = [];
    const st: GridConnectTransition[] = [];
    svc.on('event', (e) => e.phase === 'closed' && out.push(e));
    svc.on('state', (s) => st.push(s));
    for (let k = 0; k < 200; k++) {
      const t = 1e12 + k * 20;
      const f = k > 50 && k < 100 ? 61.5 : 60;
      const v = k > 50 && k < 100 ? 0.8 : 1;
      const fr = encodeFrame(SAMPLE_SCHEMA, { signal: [1, 3, 4, ...(k ? [] : [2])], tSource: [t, t, t, t], tServer: [t, t, t, t], value: [v, f, 1, 1], status: [0, 0, 0, 0] }, k ? 3 : 4);
      svc.ingest(decodeFrame(fr, SAMPLE_SCHEMA) as SampleFrame, cat);
    }
    svc.flush();
    const pv1 = out.find((e) => e.subject === 'der/PV1')!;
    expect(pv1.verdict?.voltageSource).toBe('bus');
    expect(pv1.fMaxHz).toBe(61.5);
    expect(st.map((s) => [s.state, s.vPu])).toEqual([['Parallel', 1], ['RideThrough', 0.8], ['Parallel', 1]]); // PCC V from bus 60
  });
});

describe('catalogue changes', () => {
  it('a fresh array with the same signals keeps the open event; a changed catalogue closes it as truncated', () => {
    const svc = new AnalyticsService({ category: 'II' });
    const out: GridEvent[] = [];
    svc.on('event', (e) => e.subject === 'bus/650' && out.push(e));
    for (let k = 0; k < 180; k++) svc.ingest(frame(k), catalogue.map((s) => ({ ...s })));
    expect(out.map((e) => e.phase)).toEqual(['open', 'closed']);
    for (let k = 180; k < 200; k++) svc.ingest(frame(k, k >= 185), catalogue.map((s) => ({ ...s }))); // a new sag opens
    svc.ingest(frame(200, true), catalogue.slice(0, 2));
    expect(out.map((e) => e.phase)).toEqual(['open', 'closed', 'open', 'closed']);
    expect(out[3].truncated).toBe(true);
  });
});
