// Pushes engine output into the address space: every PMU report with its source timestamp, SCADA points at their
// period, and StatusCodes that go Bad or Uncertain when the device or its section is out of service.
import { DataType, StatusCodes, type StatusCode, type UAVariable } from 'node-opcua';
import { DerStatus } from '../../../shared/domain/signals';
import type { SimCatalog } from './catalog';
import type { SimNodes } from './address-space';
import type { SimEngine } from './engine';

const FIELD_INDEX: Record<string, number> = { Vmag: 0, Vang: 1, Imag: 6, Iang: 7, freq: 12, rocof: 13 };
const PH = { A: 0, B: 1, C: 2 } as const;

export interface Publisher {
  valueChanges: number;
  stop(): void;
}

export function startPublisher(engine: SimEngine, nodes: SimNodes, catalog: SimCatalog): Publisher {
  const pub: Publisher = { valueChanges: 0, stop: () => undefined };
  // Per PMU: [variable, index into the report] pairs, and its status variable, resolved once.
  const pmuVars = engine.cfg.pmus.map((p) => {
    const sigs = catalog.signals.filter((s) => s.kind === 'pmu' && s.element === p.name);
    const fields = sigs.filter((s) => s.quantity !== 'status').map((s) => [nodes.vars.get(s.key)!, FIELD_INDEX[s.quantity] + (s.phase ? 2 * PH[s.phase] : 0)] as const);
    return { fields, status: nodes.vars.get(`pmu/${p.name}/status`)! };
  });
  const set = (v: UAVariable | undefined, dataType: DataType, value: unknown, ts: Date, status: StatusCode = StatusCodes.Good): void => {
    if (!v) return;
    v.setValueFromSource({ dataType, value }, status, ts);
    pub.valueChanges++;
  };
  const dbl = (key: string, value: number, ts: Date, status?: StatusCode) => set(nodes.vars.get(key), DataType.Double, Number.isFinite(value) ? value : NaN, ts, Number.isFinite(value) ? status : StatusCodes.BadOutOfService);

  const off = engine.on({
    pmu(k, tMs, values, valid) {
      const ts = new Date(tMs);
      const st = valid ? StatusCodes.Good : StatusCodes.BadOutOfService;
      for (const [v, idx] of pmuVars[k].fields) set(v, DataType.Double, values[idx], ts, Number.isNaN(values[idx]) ? StatusCodes.BadOutOfService : st);
      // STAT-like word: bit 15 set = data invalid (C37.118 "PMU error, do not use").
      set(pmuVars[k].status, DataType.UInt32, valid ? 0 : 0x8000, ts);
    },
    der(k, tMs) {
      // Status changes go out at once (cessation can last less than a SCADA period); values follow at the scan.
      const d = engine.ders[k];
      set(nodes.vars.get(`der/${d.cfg.name}/status`), DataType.Int32, d.status, new Date(tMs));
      const cause = d.status === DerStatus.Tripped || d.status === DerStatus.EnterServiceWait ? d.tripCause : '';
      set(nodes.vars.get(`der/${d.cfg.name}/tripCause`), DataType.String, cause, new Date(tMs));
    },
    scada(tMs) {
      const ts = new Date(tMs);
      for (const d of engine.ders) {
        const r = engine.regionOf(d.cfg.bus);
        // A DER in a dead section has lost its communications power: last values, Uncertain.
        const q = r.kind === 'dead' && !r.byDers ? StatusCodes.UncertainNoCommunicationLastUsableValue : StatusCodes.Good;
        const n = d.cfg.name;
        dbl(`der/${n}/P`, d.pKW, ts, q);
        dbl(`der/${n}/Q`, d.qKvar, ts, q);
        set(nodes.vars.get(`der/${n}/status`), DataType.Int32, d.status, ts, q);
        if (d.cfg.kind === 'battery') dbl(`der/${n}/soc`, d.soc, ts, q);
        set(nodes.vars.get(`der/${n}/tripCause`), DataType.String, d.status === DerStatus.Tripped || d.status === DerStatus.EnterServiceWait ? d.tripCause : '', ts);
      }
      for (const m of engine.microgrids) {
        const n = m.cfg.name;
        const s = m.state;
        const g = engine.gridSide(m);
        const c = m.syncCheck(g.f, g.theta, g.v);
        set(nodes.vars.get(`microgrid/${n}/gridConnect`), DataType.Int32, m.gridConnect, ts);
        set(nodes.vars.get(`microgrid/${n}/breaker`), DataType.Boolean, s.kind === 'connected', ts);
        dbl(`microgrid/${n}/P`, s.kind === 'connected' ? engine.pccFlowKW(m) : 0, ts);
        dbl(`microgrid/${n}/freq`, s.kind === 'islanded' ? s.island.frequency : s.kind === 'connected' ? engine.bulk.frequency : NaN, ts);
        dbl(`microgrid/${n}/kineticEnergy`, m.ders.filter((d) => d.cfg.gridForming && d.status === DerStatus.Running).reduce((a, d) => a + (d.cfg.h * d.cfg.kVA) / 1000, 0), ts);
        const open = s.kind !== 'connected';
        dbl(`microgrid/${n}/syncDf`, open ? c.dfHz : 0, ts);
        dbl(`microgrid/${n}/syncDv`, open ? c.dvPct : 0, ts);
        dbl(`microgrid/${n}/syncDphi`, open ? c.dphiDeg : 0, ts);
      }
      const f = catalog.feeder.name;
      dbl(`feeder/${f}/P`, engine.cur.sourceKW, ts);
      dbl(`feeder/${f}/Q`, engine.cur.sourceKvar, ts);
      dbl(`feeder/${f}/freq`, engine.bulk.frequency, ts);
      dbl(`feeder/${f}/kineticEnergy`, engine.bulk.kineticEnergyMWs, ts);
      set(nodes.vars.get('feeder/lastEvent'), DataType.String, engine.lastLog, ts);
      for (const b of engine.solver.topology.buses) {
        const ph = engine.cur.v.get(b.name);
        const base = b.kvLN * 1000;
        for (const p of b.phases) if (ph) dbl(`bus/${b.name}/Vmag.${p}`, Math.hypot(ph[PH[p]], ph[PH[p] + 3]) / base, ts);
      }
      for (const [key, v] of nodes.vars) {
        if (!key.startsWith('breaker/')) continue;
        const name = key.slice(8);
        const mg = engine.microgrids.find((m) => m.cfg.pccBranch === name);
        const br = engine.graph.branch(name);
        set(v, DataType.Boolean, mg ? mg.state.kind === 'connected' : br ? engine.graph.isClosed(br, engine.switches) : false, ts);
      }
      for (const [name, tap] of Object.entries(engine.taps)) set(nodes.vars.get(`regulator/${name}/tap`), DataType.Int32, tap, ts);
    },
  });
  pub.stop = off;
  return pub;
}
