// One event opened: its facts, its measured trajectory against the 1547 envelope of the DER's category (voltage and
// frequency), and the playback of its window over the map and the trends.
import { useState } from 'react';
import type { FeederInfo, LiveEvent } from '../../../../shared/contract/areas/grid';
import type { Category } from '../../../../shared/grid/ieee1547';
import { EnvelopeChart, type Trajectory } from './envelope-chart';
import { PlaybackBar } from './playback-bar';
import { usePlayback } from './playback-controller';
import type { WindowSeries } from './playback';
import { fmtDuration, regionText, utcMs, verdictText } from './use-events';

/** The category whose envelope applies: the event's DER, else a DER on its bus, else the feeder's first DER. */
export function categoryFor(feeder: FeederInfo, e: LiveEvent): Category {
  const bus = e.bus ? feeder.buses.indexOf(e.bus) : -1;
  const der = feeder.ders.find((d) => d.name === e.source) ?? feeder.ders.find((d) => d.bus === bus) ?? feeder.ders[0];
  const c = der?.category.replace(/^(cat(egory)?\s*)/i, '').toUpperCase();
  return c === 'I' || c === 'II' || c === 'III' ? c : 'II';
}

/** Trajectories of one quantity from the window: the event's own signals first, else the event's bus. */
export function trajectories(feeder: FeederInfo, e: LiveEvent, series: WindowSeries[], quantity: 'Vmag' | 'freq'): Trajectory[] {
  const info = new Map(feeder.signals.map((s) => [s.id, s]));
  const own = new Set(e.signals ?? []);
  const pick = series.filter((s) => info.get(s.signal)?.quantity === quantity);
  const src = e.source.toLowerCase(); // e.g. "pmu/PMU_135": its own measurements come first
  const ofSource = (id: number): boolean => { const i = info.get(id); return !!i && (i.key.toLowerCase().startsWith(`${src}/`) || i.element.toLowerCase() === src); };
  const mine = pick.filter((s) => own.has(s.signal) || ofSource(s.signal) || (e.bus !== undefined && info.get(s.signal)?.bus === e.bus));
  return (mine.length ? mine : pick.slice(0, 1)).slice(0, 4).map((s) => {
    const i = info.get(s.signal)!;
    const k = quantity === 'Vmag' && i.unit !== 'pu' && i.nominal ? 1 / i.nominal : 1;
    return { label: i.key, t: s.t, v: s.v.map((v, j) => (v === null || s.status[j] >>> 30 >= 2 ? null : v * k)) };
  });
}

export function EventDetail({ feeder, event }: { feeder: FeederInfo; event: LiveEvent }) {
  const p = usePlayback();
  const [cat, setCat] = useState<Category | null>(null);
  const category = cat ?? categoryFor(feeder, event);
  const series = p.event?.key === event.key ? p.series : [];
  const v = trajectories(feeder, event, series, 'Vmag');
  const f = trajectories(feeder, event, series, 'freq');
  return (
    <section aria-label="Event detail" data-testid="event-detail">
      <h3>{event.message || `${event.kind} ${event.source}`}</h3>
      <dl className="facts">
        <dt>Start</dt><dd>{utcMs(event.t)} UTC</dd>
        <dt>Duration</dt><dd>{fmtDuration(event.durationMs)}{event.phase === 'open' ? ' (open)' : ''}</dd>
        <dt>Verdict</dt><dd>{verdictText(event.verdict)}</dd>
        <dt>Regions</dt><dd>{regionText(event.verdict)}</dd>
      </dl>
      <label>Envelope category <select value={category} onChange={(e) => setCat(e.target.value as Category)}>{(['I', 'II', 'III'] as const).map((c) => <option key={c}>{c}</option>)}</select></label>
      <PlaybackBar />
      {series.length > 0 && (
        <>
          <EnvelopeChart quantity="V" category={category} t0={event.t} trajectories={v} title="Voltage ride-through" />
          {f.length > 0 && <EnvelopeChart quantity="f" category={category} t0={event.t} trajectories={f} title="Frequency ride-through" />}
        </>
      )}
    </section>
  );
}
