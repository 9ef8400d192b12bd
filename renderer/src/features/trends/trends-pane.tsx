// The Trends pane: frequency, RoCoF and per-phase voltage per PMU from the catalogue, one chart per unit; live
// (the last 10 minutes from the ring buffers) or historical (any range from the historian at per-pixel min/max).
import { useEffect, useMemo, useState } from 'react';
import type { FeederInfo } from '../../../../shared/contract/areas/grid';

type SignalInfo = FeederInfo['signals'][number];
import { bridge } from '../../bridge';
import { useGrid } from '../map/grid-store';
import { TrendChart, type HistorySeries, type TrendLine, type TrendView } from './trend-chart';
import { trendFocus, useTrendFocus } from './trend-focus';
import './trends.css';

const PALETTE = ['#9ecbff', '#ffb86b', '#a5e07a', '#f28bd0', '#7fe0d8', '#d0b3ff', '#ffe08a', '#c8d0d8'];
const TRENDED = new Set(['freq', 'rocof', 'Vmag']);
const LIVE_MAX = 10 * 60_000;

/** The chart a signal belongs to: voltages share one in p.u., so every PMU's phases compare at a glance. */
function groupOf(s: SignalInfo): { key: string; unit: string; scale: number } {
  if (s.quantity === 'Vmag') return { key: 'V', unit: 'p.u.', scale: s.unit !== 'pu' && s.nominal ? 1 / s.nominal : 1 };
  return { key: s.quantity, unit: s.unit, scale: 1 };
}
const TITLE: Record<string, string> = { V: 'Voltage', freq: 'Frequency', rocof: 'RoCoF' };

export function TrendsPane() {
  const grid = useGrid();
  const focus = useTrendFocus();
  const catalogue = useMemo(() => (grid.feeder?.signals ?? []).filter((s) => TRENDED.has(s.quantity) && (s.kind === 'pmu' || s.quantity !== 'Vmag')), [grid.feeder]);
  const [picked, setPicked] = useState<number[] | null>(null);
  const [view, setView] = useState<TrendView>(() => ({ from: Date.now() - LIVE_MAX, to: Date.now(), live: true }));
  const [history, setHistory] = useState<Map<number, HistorySeries> | null>(null);
  const [error, setError] = useState<string | null>(null);

  // default pick: every frequency, and the first PMU's three phases
  const chosen = picked ?? catalogue.filter((s, _, all) => s.quantity === 'freq' || (s.quantity === 'Vmag' && s.element === all.find((x) => x.quantity === 'Vmag')?.element)).map((s) => s.id);

  const focusKey = focus ? `${focus.from}/${focus.to}/${focus.signals.join(',')}` : '';
  const [seenFocus, setSeenFocus] = useState('');
  if (focusKey !== seenFocus) { // an event's playback takes the pane to its window (state adjusted while rendering)
    setSeenFocus(focusKey);
    if (focus) {
      setPicked(focus.signals.length ? focus.signals : null);
      setView({ from: focus.from, to: focus.to, live: false });
    }
  }
  const chosenKey = chosen.join(',');

  useEffect(() => { // historical view: ask the historian for min/max per pixel column (debounced while panning)
    if (view.live || !chosenKey) return;
    const timer = setTimeout(async () => {
      const r = await bridge().call('history.query', { signals: chosenKey.split(',').map(Number).slice(0, 32), from: view.from, to: view.to, pixels: Math.min(4000, Math.round(window.innerWidth)) });
      if (!r.ok) { setError(`${r.error.code}: ${r.error.message}`); return; }
      setError(null);
      setHistory(new Map(r.value.series.map((s) => [s.signal, s])));
    }, 200);
    return () => clearTimeout(timer);
  }, [view, chosenKey]);

  const togglePause = (): void => setView((v) => (v.live ? { from: Date.now() - (v.to - v.from), to: Date.now(), live: false } : { from: Date.now() - Math.min(v.to - v.from, LIVE_MAX), to: Date.now(), live: true }));
  const goLive = (): void => { trendFocus.set(null); setView({ from: Date.now() - LIVE_MAX, to: Date.now(), live: true }); };
  const zoom = (factor: number, at: number): void => setView((v) => {
    const span = Math.max(2000, (v.to - v.from) * factor);
    if (v.live) return { from: v.to - Math.min(span, LIVE_MAX), to: v.to, live: true };
    const k = (at - v.from) / (v.to - v.from);
    return { from: at - k * span, to: at + (1 - k) * span, live: false };
  });
  const pan = (dt: number): void => setView((v) => ({ from: v.from + dt, to: v.to + dt, live: false }));

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.target instanceof HTMLInputElement || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'p' || e.key === ' ') { e.preventDefault(); togglePause(); }
      if (e.key === 'l') goLive();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const charts = useMemo(() => {
    const by = new Map<string, { unit: string; lines: TrendLine[] }>();
    const ids = new Set(chosenKey.split(',').map(Number));
    catalogue.filter((s) => ids.has(s.id)).forEach((s, i) => {
      const g = groupOf(s);
      if (!by.has(g.key)) by.set(g.key, { unit: g.unit, lines: [] });
      by.get(g.key)!.lines.push({ info: s, color: PALETTE[i % PALETTE.length], scale: g.scale });
    });
    return [...by.entries()];
  }, [catalogue, chosenKey]);

  if (!grid.feeder) return <p className="muted">{grid.error ?? 'Loading the signal catalogue…'}</p>;
  return (
    <div className="trends-layout">
      <div className="trend-main">
        <div className="toolbar" role="toolbar" aria-label="Trend controls">
          <button type="button" aria-pressed={!view.live} aria-keyshortcuts="P" onClick={togglePause}>{view.live ? 'Pause' : 'Paused'} <kbd>P</kbd></button>
          <button type="button" aria-keyshortcuts="L" onClick={goLive} disabled={view.live}>Live (10 min) <kbd>L</kbd></button>
          <button type="button" onClick={() => setView({ from: Date.now() - 3_600_000, to: Date.now(), live: false })}>Last hour</button>
          <button type="button" onClick={() => setView({ from: Date.now() - 86_400_000, to: Date.now(), live: false })}>Last day</button>
          <span className="muted" data-testid="trend-mode">{view.live ? 'LIVE' : history ? 'HISTORY' : 'PAUSED'} · {new Date(view.from).toISOString().slice(11, 19)}–{view.live ? 'now' : new Date(view.to).toISOString().slice(11, 19)} UTC · wheel zooms, drag pans</span>
        </div>
        {error && <p className="cue alarm" role="alert">{error}</p>}
        {charts.length === 0 && <p className="muted">Pick signals on the right.</p>}
        {charts.map(([key, c]) => (
          <TrendChart key={key} title={TITLE[key] ?? key} unit={c.unit} lines={c.lines} view={view} history={view.live ? null : history} marker={focus?.at ?? undefined} onZoom={zoom} onPan={pan} />
        ))}
      </div>
      <fieldset className="signal-picker">
        <legend>Signals</legend>
        {catalogue.map((s) => (
          <label key={s.id}>
            <input type="checkbox" checked={chosen.includes(s.id)} onChange={(e) => setPicked(e.target.checked ? [...chosen, s.id] : chosen.filter((x) => x !== s.id))} /> {s.key}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
