// Turns the signal catalogue into detectors: one per DER (terminal V where present, else its bus's), one per bus
// or PMU with voltage, a grid-connect machine and an inertia monitor per microgrid, and the signal → input routes.
import { DerStatus, type SignalInfo } from '../../../shared/domain/signals';
import { RideThroughDetector, type DetectionSettings, type DetectorCounters, type DetectorInput, type GridEvent } from '../../../shared/grid/events';
import { GridConnectMachine, type GridConnectInput, type GridConnectTransition } from '../../../shared/grid/grid-connect';
import { categoryRules, derSettings, type Category, type DerSettingsInput, type RuleSet } from '../../../shared/grid/ieee1547';
import { InertiaMonitor, type InertiaInputRole, type InertiaReport } from '../../../shared/grid/inertia';

export interface IslandOptions {
  microgrid: string;
  pccBus?: string; // bus whose voltage is the PCC voltage when the microgrid publishes none of its own
  f0?: number;
  sMva?: number;
  pmus?: string[]; // PMU elements whose frequency belongs to this island (default: every PMU)
  steps?: string[]; // elements whose P drop is a known ΔP (a tripped unit, a dispatched step)
  units?: Array<{ element: string; hS: number; sMva: number }>; // synchronous / grid-forming units for Σ H·S
  fitDelayMs?: number; // df/dt fit after a step (InertiaMonitor defaults: 50 ms delay, 500 ms window); the window
  fitWindowMs?: number; // must stay shorter than the fastest unit's power loop, or the fit overstates RoCoF
}

export interface PlanOptions {
  rules: RuleSet;
  category: Category;
  der: Record<string, DerSettingsInput>;
  detection: Partial<DetectionSettings>;
  islands: IslandOptions[];
  microgridOf?: Record<string, string>; // DER element → microgrid, for its frequency when its bus has no PMU
}

interface Sink {
  push(input: number, t: number, value: number, status: number): void;
  flush(): void;
  readonly counters: DetectorCounters;
}
export interface Route {
  sink: Sink;
  input: number;
  map?: (v: number) => number;
}

export interface Plan {
  routes: Route[][]; // by signal id
  sinks: Sink[];
  issues: string[];
}

export interface Emitters {
  event(e: GridEvent): void;
  state(s: GridConnectTransition): void;
  inertia(r: InertiaReport): void;
}

const vNominal = (s: SignalInfo): number | undefined => (s.unit === 'pu' ? 1 : s.nominal && s.nominal > 0 ? s.nominal : undefined);

export function buildPlan(catalogue: readonly SignalInfo[], o: PlanOptions, emit: Emitters): Plan {
  const routes: Route[][] = [];
  const sinks: Sink[] = [];
  const issues: string[] = [];
  const route = (s: SignalInfo, r: Route): void => {
    (routes[s.id] ??= []).push({ sink: r.sink, input: r.input, map: r.map }); // one object shape: the ingest loop stays monomorphic
  };
  const of = (kind: string, element: string, q: string) => catalogue.filter((s) => s.kind === kind && s.element === element && s.quantity === q);
  const usableV = (list: SignalInfo[]) =>
    list.filter((s) => {
      if (vNominal(s) !== undefined) return true;
      issues.push(`${s.key}: voltage without a nominal (or unit "pu") cannot be judged in p.u.; ignored`);
      return false;
    });
  const atBus = (bus: string | undefined, q: string) => (bus === undefined ? [] : catalogue.filter((s) => (s.kind === 'bus' || s.kind === 'pmu') && (s.bus === bus || (s.kind === 'bus' && s.element === bus)) && s.quantity === q));
  const elements = (kind: string) => [...new Set(catalogue.filter((s) => s.kind === kind).map((s) => s.element))];

  const addDetector = (subject: string, kind: string, category: Category, settings: DerSettingsInput, v: SignalInfo[], f: SignalInfo | undefined, status: SignalInfo | undefined, voltageSource: 'der-terminal' | 'bus' | 'none') => {
    const inputs: DetectorInput[] = [];
    const sigs: SignalInfo[] = [];
    for (const s of v) {
      inputs.push({ role: 'V', signal: s.id, nominal: vNominal(s) });
      sigs.push(s);
    }
    if (f) {
      inputs.push({ role: 'f', signal: f.id });
      sigs.push(f);
    }
    if (status) {
      inputs.push({ role: 'status', signal: status.id });
      sigs.push(status);
    }
    if (!v.length && !f) return;
    const d = new RideThroughDetector(
      { subject, kind, inputs, voltageSource, rules: categoryRules(o.rules, category), trips: derSettings(o.rules, settings).trips, rocofWindowS: o.rules.rocofWindowS, settings: o.detection },
      emit.event,
    );
    sinks.push(d);
    sigs.forEach((s, i) => route(s, { sink: d, input: i }));
  };

  for (const der of elements('der')) {
    const settings = o.der[der] ?? { category: o.category };
    const own = usableV(of('der', der, 'Vmag'));
    const bus = catalogue.find((s) => s.kind === 'der' && s.element === der && s.bus)?.bus;
    const v = own.length ? own : usableV(atBus(bus, 'Vmag'));
    // Frequency: the DER's own, a PMU at its bus, its microgrid's, else the feeder's (one frequency while connected).
    const mg = o.microgridOf?.[der];
    const f = of('der', der, 'freq')[0] ?? atBus(bus, 'freq')[0] ?? (mg ? of('microgrid', mg, 'freq')[0] : undefined) ?? catalogue.find((s) => s.kind === 'feeder' && s.quantity === 'freq');
    addDetector(`der/${der}`, 'der', settings.category, settings, v, f, of('der', der, 'status')[0], own.length ? 'der-terminal' : v.length ? 'bus' : 'none');
  }
  for (const kind of ['bus', 'pmu'] as const) {
    for (const el of elements(kind)) addDetector(`${kind}/${el}`, kind, o.category, { category: o.category }, usableV(of(kind, el, 'Vmag')), of(kind, el, 'freq')[0], undefined, 'bus');
  }
  for (const mg of elements('microgrid')) {
    const breaker = of('microgrid', mg, 'breaker')[0] ?? catalogue.find((s) => s.kind === 'breaker' && s.element === mg && s.quantity === 'breaker');
    if (!breaker) {
      issues.push(`microgrid ${mg}: no PCC breaker signal; no grid-connect state`);
      continue;
    }
    const gi: GridConnectInput[] = [{ role: 'breaker', signal: breaker.id }];
    const gs: SignalInfo[] = [breaker];
    const pcc = o.islands.find((x) => x.microgrid === mg)?.pccBus;
    const ownV = usableV(of('microgrid', mg, 'Vmag'));
    for (const s of ownV.length ? ownV : usableV(atBus(pcc, 'Vmag'))) {
      gi.push({ role: 'V', signal: s.id, nominal: vNominal(s) });
      gs.push(s);
    }
    const mf = of('microgrid', mg, 'freq')[0];
    if (mf) {
      gi.push({ role: 'f', signal: mf.id });
      gs.push(mf);
    }
    const m = new GridConnectMachine(mg, gi, categoryRules(o.rules, o.category), emit.state, o.detection);
    sinks.push(m);
    gs.forEach((s, i) => route(s, { sink: m, input: i }));
    addIsland(mg, breaker);
  }

  function addIsland(mg: string, breaker: SignalInfo): void {
    const isl = o.islands.find((x) => x.microgrid === mg) ?? { microgrid: mg };
    const inputs: InertiaInputRole[] = [{ role: 'breaker' }];
    const sigs: Array<[SignalInfo, ((v: number) => number) | undefined]> = [[breaker, undefined]];
    const pmuF = catalogue.filter((s) => s.kind === 'pmu' && s.quantity === 'freq' && (!isl.pmus || isl.pmus.includes(s.element)));
    for (const s of pmuF) {
      inputs.push({ role: 'f', pmu: s.element });
      sigs.push([s, undefined]);
    }
    for (const el of isl.steps ?? []) {
      const p = catalogue.find((s) => s.element === el && s.quantity === 'P');
      if (!p) issues.push(`island ${mg}: step source ${el} has no P signal`);
      else {
      inputs.push({ role: 'P', unit: el, toMw: p.unit === 'MW' ? 1 : 0.001 });
      sigs.push([p, undefined]);
    }
    }
    for (const u of isl.units ?? []) {
      const st = catalogue.find((s) => s.element === u.element && s.quantity === 'status');
      if (st) {
      inputs.push({ role: 'online', unit: u.element });
      sigs.push([st, (v) => (v === DerStatus.Running || v === DerStatus.MomentaryCessation ? 1 : 0)]);
    }
    }
    if (pmuF.length === 0) return;
    const units = (isl.units ?? []).map((u) => ({ unit: u.element, hS: u.hS, sMva: u.sMva }));
    const mon = new InertiaMonitor({ island: mg, f0: isl.f0 ?? o.rules.f0, sMva: isl.sMva, inputs, units, latenessMs: o.detection.latenessMs, fitDelayMs: isl.fitDelayMs, fitWindowMs: isl.fitWindowMs }, emit.inertia);
    sinks.push(mon);
    sigs.forEach(([s, map], i) => route(s, map ? { sink: mon, input: i, map } : { sink: mon, input: i }));
  }

  return { routes, sinks, issues };
}
