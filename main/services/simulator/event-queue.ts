// Scenario events on the sim clock: the scripted list, events injected by OPC UA methods, the default grey-sky
// loop, and the active disturbances they leave (faults and source sags until cleared, load ramps, bulk losses).
import { AppError } from '../../../shared/errors';
import type { Phase } from '../../../shared/domain/signals';
import type { SimEngine } from './engine';
import type { FaultKind } from './grid-solver';
import type { Rng } from './rng';
import type { Scenario, ScenarioEvent } from './scenario';

export interface ActiveFault {
  bus: string;
  kind: FaultKind;
  phases: Phase[];
  ohms: number;
  until: number;
}

const DEFAULT_PHASES: Record<FaultKind, Phase[]> = { SLG: ['A'], LL: ['B', 'C'], LLG: ['B', 'C'], '3P': ['A', 'B', 'C'] };

export class EventQueue {
  bulkLossMW = 0;
  private queue: Array<{ t: number; ev: ScenarioEvent }> = [];
  private sags: Array<{ pu: number; until: number }> = [];
  private ramp: { from: number; to: number; t0: number; t1: number } | undefined;
  private nextLoop = 60;
  scenarioName = '';

  constructor(private engine: SimEngine, private rng: Rng) {}

  /** Schedules a scenario relative to now; `repeatS` replays it (the caller's loop stays off meanwhile). */
  load(s: Scenario): void {
    const t0 = this.engine.t;
    this.scenarioName = s.name ?? 'scenario';
    this.queue = s.events.map((ev) => ({ t: t0 + ev.at, ev })).sort((a, b) => a.t - b.t);
    if (s.repeatS) for (let k = 1; k < 50; k++) for (const ev of s.events) this.queue.push({ t: t0 + k * s.repeatS + ev.at, ev });
    this.queue.sort((a, b) => a.t - b.t);
    this.engine.log(`scenario ${this.scenarioName} loaded (${s.events.length} events)`);
  }

  clear(): void {
    this.queue = [];
    this.scenarioName = '';
  }

  get pending(): number {
    return this.queue.length;
  }

  runDue(t: number): void {
    const e = this.engine;
    while (this.queue.length && this.queue[0].t <= t + 1e-9) {
      const { ev } = this.queue.shift()!;
      try {
        this.apply(ev);
      } catch (err) {
        // A scripted event that the field refuses (a sync-check, an unknown name) is logged, never fatal.
        e.log(`event ${ev.type} at ${ev.at}s refused: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const before = e.faults.length + this.sags.length;
    e.faults = e.faults.filter((f) => f.until > t + 1e-9);
    this.sags = this.sags.filter((s) => s.until > t + 1e-9);
    if (e.faults.length + this.sags.length !== before) {
      e.log('disturbance cleared');
      this.updateSource();
      e.markDirty();
    }
    if (this.ramp) {
      const r = this.ramp;
      const w = r.t1 > r.t0 ? Math.min(1, (t - r.t0) / (r.t1 - r.t0)) : 1;
      e.loadScale = r.from + (r.to - r.from) * w;
      if (w >= 1) this.ramp = undefined;
    }
    if (e.cfg.defaultLoop.enabled && !this.queue.length && t >= this.nextLoop) {
      this.nextLoop = t + e.cfg.defaultLoop.everyS * (0.7 + 0.6 * this.rng.next());
      this.greySky();
    }
  }

  private updateSource(): void {
    // The latest sag or swell still active sets the source (they do not compound).
    this.engine.sourcePu = this.sags.length ? this.sags[this.sags.length - 1].pu : 1;
  }

  /** Applies one event now. Throws AppError (naming the field) for names the feeder does not have. */
  apply(ev: ScenarioEvent): void {
    const e = this.engine;
    const t = e.t;
    switch (ev.type) {
      case 'fault': {
        if (!e.graph.hasBus(ev.bus)) throw new AppError('INVALID_ARGUMENT', `bus: no bus "${ev.bus}" in feeder`, { field: 'bus' });
        const phases = ev.phases ?? DEFAULT_PHASES[ev.kind];
        e.faults.push({ bus: ev.bus, kind: ev.kind, phases, ohms: ev.ohms, until: t + ev.durationS });
        e.log(`fault ${ev.kind} ${phases.join('')} at bus ${ev.bus}, ${ev.ohms} ohm, ${ev.durationS} s`);
        break;
      }
      case 'sourceSag': {
        this.sags.push({ pu: ev.pu, until: t + ev.durationS });
        this.updateSource();
        e.log(`source ${ev.pu < 1 ? 'sag' : 'swell'} to ${ev.pu} p.u. for ${ev.durationS} s`);
        break;
      }
      case 'bulkLoss':
        this.bulkLossMW += ev.mw;
        e.log(`bulk system lost ${ev.mw} MW of generation`);
        break;
      case 'derTrip': {
        const d = e.ders.find((x) => x.cfg.name === ev.der);
        if (!d) throw new AppError('INVALID_ARGUMENT', `der: no DER "${ev.der}"`, { field: 'der' });
        d.trip('commanded');
        e.log(`DER ${ev.der} tripped by command`);
        break;
      }
      case 'switch': {
        const br = e.graph.branch(ev.branch);
        if (!br) throw new AppError('INVALID_ARGUMENT', `branch: no branch "${ev.branch}"`, { field: 'branch' });
        const mg = e.microgrids.find((m) => m.cfg.pccBranch === br.name);
        if (mg) {
          if (ev.closed) this.reconnect(mg.cfg.name);
          else this.island(mg.cfg.name);
          return;
        }
        e.switches[br.name] = ev.closed;
        e.log(`switch ${br.name} ${ev.closed ? 'closed' : 'opened'}`);
        e.recomputeRegions();
        break;
      }
      case 'loadRamp':
        this.ramp = { from: e.loadScale, to: ev.to, t0: t, t1: t + ev.overS };
        e.log(`load ramp to ${ev.to}x over ${ev.overS} s`);
        break;
      case 'island':
        this.island(ev.microgrid);
        break;
      case 'reconnect':
        this.reconnect(ev.microgrid);
        break;
    }
    e.markDirty();
  }

  private mg(name: string) {
    const m = this.engine.microgrids.find((x) => x.cfg.name === name);
    if (!m) throw new AppError('INVALID_ARGUMENT', `microgrid: no microgrid "${name}"`, { field: 'microgrid' });
    return m;
  }

  island(name: string): void {
    const e = this.engine;
    const m = this.mg(name);
    const g = e.gridSide(m);
    const pcc = e.graph.branch(m.cfg.pccBranch)!;
    const far = m.buses.has(pcc.to) ? pcc.to : pcc.from;
    m.island(e.t, e.pccFlowKW(m) / 1000, e.loadKW(m.buses) / 1000, e.gflKW(m) / 1000, g.theta, e.cur.vPu.get(far)?.[0] ?? 1, e.f0, e.bulk.df);
    e.log(`microgrid ${name} islanded (PCC ${m.cfg.pccBranch} open)${m.state.kind === 'collapsed' ? ': no grid-forming unit, island collapsed' : ''}`);
    e.recomputeRegions();
  }

  reconnect(name: string): void {
    const e = this.engine;
    const m = this.mg(name);
    const g = e.gridSide(m);
    m.reconnect(g.f, g.theta, g.v);
    e.log(`microgrid ${name} reconnected (PCC ${m.cfg.pccBranch} closed)`);
    e.recomputeRegions();
  }

  /** The default loop's grey-sky event: one of the disturbances an operator rehearses, seeded. */
  private greySky(): void {
    const e = this.engine;
    const buses = e.solver.topology.buses.filter((b) => b.phases.length === 3 && e.regionOf(b.name).kind === 'grid');
    const bus = buses[this.rng.int(0, buses.length - 1)]?.name ?? e.solver.topology.sourceBus;
    const pick = this.rng.int(0, 4);
    const at = 0;
    const evs: ScenarioEvent[] = [
      { type: 'fault', at, bus, kind: 'SLG', ohms: 0.5 + 5 * this.rng.next(), durationS: 0.1 + 0.1 * this.rng.next() },
      { type: 'bulkLoss', at, mw: Math.round(100 + 500 * this.rng.next()) },
      { type: 'sourceSag', at, pu: 0.8 + 0.1 * this.rng.next(), durationS: 0.3 + this.rng.next() },
      { type: 'fault', at, bus, kind: '3P', ohms: 1 + 5 * this.rng.next(), durationS: 0.15 },
      { type: 'loadRamp', at, to: 0.8 + 0.4 * this.rng.next(), overS: 60 },
    ];
    this.apply(evs[pick]);
  }
}
