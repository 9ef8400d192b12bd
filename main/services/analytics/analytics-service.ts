// The analytics service inside the core: runs the ride-through detectors, grid-connect machines and inertia
// monitors on every SampleFrame, and reports events, states and inertia estimates as typed events.
import type { SampleFrame } from '../../../shared/contract/frame';
import type { SignalInfo } from '../../../shared/domain/signals';
import type { DetectionSettings, DetectorCounters, GridEvent } from '../../../shared/grid/events';
import type { GridConnectTransition } from '../../../shared/grid/grid-connect';
import { resolveRuleSet, type Category, type DerSettingsInput, type RuleSet } from '../../../shared/grid/ieee1547';
import type { InertiaReport } from '../../../shared/grid/inertia';
import { buildPlan, type IslandOptions, type Plan } from './plan';

export interface AnalyticsOptions {
  rules?: string; // rule-set id, default "ieee1547-2018"
  disputes?: Record<string, string>; // dispute id → alternative key
  category?: Category; // default category for DERs without their own settings, buses and microgrids
  der?: Record<string, DerSettingsInput>; // per-DER category and overrides, by element name
  detection?: Partial<DetectionSettings>;
  islands?: IslandOptions[];
  microgridOf?: Record<string, string>; // DER element → microgrid
}

export interface AnalyticsEvents {
  event: GridEvent;
  state: GridConnectTransition;
  inertia: InertiaReport;
  issue: string;
}

type Listener<K extends keyof AnalyticsEvents> = (payload: AnalyticsEvents[K]) => void;

/*
 * State: idle (no catalogue yet) → planned (detectors built for a catalogue). A new catalogue object rebuilds the
 * plan after flushing the old one, so a catalogue change closes open events as truncated rather than mixing signals.
 */
export class AnalyticsService {
  readonly rules: RuleSet;
  private readonly opts: AnalyticsOptions;
  private plan: Plan | undefined;
  private planFor: readonly SignalInfo[] | undefined;
  private readonly listeners: { [K in keyof AnalyticsEvents]: Array<Listener<K>> } = { event: [], state: [], inertia: [], issue: [] };

  constructor(opts: AnalyticsOptions = {}) {
    this.opts = opts;
    this.rules = resolveRuleSet(opts.rules ?? 'ieee1547-2018', opts.disputes ?? {});
  }

  on<K extends keyof AnalyticsEvents>(name: K, fn: Listener<K>): () => void {
    this.listeners[name].push(fn);
    return () => {
      const list = this.listeners[name];
      const i = list.indexOf(fn);
      if (i >= 0) list.splice(i, 1);
    };
  }

  private emit<K extends keyof AnalyticsEvents>(name: K, payload: AnalyticsEvents[K]): void {
    for (const fn of this.listeners[name]) fn(payload);
  }

  /** Feeds one frame. Signals not in the catalogue are ignored; time is the source timestamp, else the server's. */
  ingest(frame: SampleFrame, catalogue: readonly SignalInfo[]): void {
    const plan = this.planOf(catalogue);
    const { signal, tSource, tServer, value, status } = frame.columns;
    const routes = plan.routes;
    for (let r = 0; r < frame.rows; r++) {
      const list = routes[signal[r]];
      if (list === undefined) continue;
      const ts = tSource[r];
      const t = ts > 0 ? ts : tServer[r];
      const v = value[r];
      const q = status[r];
      for (let k = 0; k < list.length; k++) {
        const rt = list[k];
        rt.sink.push(rt.input, t, rt.map ? rt.map(v) : v, q);
      }
    }
  }

  /** End of data (a recording): releases buffered samples and closes open events as truncated. */
  flush(): void {
    for (const s of this.plan?.sinks ?? []) s.flush();
  }

  /** Sums of every detector's data-fault counters. */
  counters(): DetectorCounters {
    const out: DetectorCounters = { samples: 0, nan: 0, infinite: 0, badQuality: 0, outOfOrder: 0, duplicate: 0, late: 0 };
    for (const s of this.plan?.sinks ?? []) {
      const c = s.counters;
      for (const k of Object.keys(out) as Array<keyof DetectorCounters>) out[k] += c[k];
    }
    return out;
  }

  private planOf(catalogue: readonly SignalInfo[]): Plan {
    if (this.plan && this.planFor === catalogue) return this.plan;
    // Callers may hand a fresh array with the same signals each frame (opcua's signals()): rebuild only on change.
    if (this.plan && this.planFor && sameCatalogue(this.planFor, catalogue)) {
      this.planFor = catalogue;
      return this.plan;
    }
    this.flush();
    this.planFor = catalogue;
    this.plan = buildPlan(
      catalogue,
      { rules: this.rules, category: this.opts.category ?? 'II', der: this.opts.der ?? {}, detection: this.opts.detection ?? {}, islands: this.opts.islands ?? [], microgridOf: this.opts.microgridOf ?? {} },
      { event: (e) => this.emit('event', e), state: (s) => this.emit('state', s), inertia: (r) => this.emit('inertia', r) },
    );
    for (const i of this.plan.issues) this.emit('issue', i);
    return this.plan;
  }
}

const FIELDS = ['id', 'key', 'kind', 'element', 'quantity', 'phase', 'unit', 'nominal', 'bus'] as const;
function sameCatalogue(a: readonly SignalInfo[], b: readonly SignalInfo[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    for (const f of FIELDS) if (a[i][f] !== b[i][f]) return false;
  }
  return true;
}
