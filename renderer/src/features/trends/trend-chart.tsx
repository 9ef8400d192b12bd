// One trend chart: several signals of one unit on a canvas (data) under an SVG (d3 axes), live from the ring
// buffers or historical from the historian's per-pixel min/max; wheel zooms, drag pans, the cursor reads out.
import { axisBottom, axisLeft, scaleLinear, scaleUtc, select } from 'd3';
import { useEffect, useRef, useState } from 'react';
import type { FeederInfo } from '../../../../shared/contract/areas/grid';

type SignalInfo = FeederInfo['signals'][number];
import { telemetry } from '../../streams/telemetry-store';
import { extentIn, fillBuckets, lowerBound, strokeSeries, type Frame, type SeriesView } from './trend-draw';

export interface HistorySeries { t: number[]; min: Array<number | null>; max: Array<number | null> }
export interface TrendLine { info: SignalInfo; color: string; scale: number }
export interface TrendView { from: number; to: number; live: boolean } // live: `to` follows the clock

const H = 220;
const M = { l: 64, r: 12, t: 8, b: 26 };
export const STALE_MS = 3000;

export function TrendChart(props: { title: string; unit: string; lines: TrendLine[]; view: TrendView; history: Map<number, HistorySeries> | null; marker?: number; onZoom(factor: number, atT: number): void; onPan(dtMs: number): void }) {
  const { lines, view, history, marker, title, unit } = props;
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const xAxis = useRef<SVGGElement>(null);
  const yAxis = useRef<SVGGElement>(null);
  const [width, setWidth] = useState(800);
  const [cursor, setCursor] = useState<number | null>(null);
  const drag = useRef<number | null>(null);
  const axesAt = useRef(0);
  const shown = useRef({ from: 0, to: 1 });

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(200, el.clientWidth)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const cv = canvas.current;
    const ctx = cv?.getContext('2d');
    if (!cv || !ctx) return;
    const ext: [number, number] = [Number.NaN, Number.NaN];
    const draw = (): void => {
      const to = view.live ? Date.now() : view.to;
      const from = view.live ? to - (view.to - view.from) : view.from;
      shown.current = { from, to };
      ext[0] = ext[1] = Number.NaN;
      for (const l of lines) {
        const r = telemetry.ring(l.info.id);
        const h = history?.get(l.info.id);
        if (h) for (let i = 0; i < h.t.length; i++) {
          const a = h.min[i], b = h.max[i];
          if (a !== null && !(a * l.scale >= ext[0])) ext[0] = a * l.scale;
          if (b !== null && !(b * l.scale <= ext[1])) ext[1] = b * l.scale;
        }
        else if (r) extentIn(r, from, to, l.scale, ext);
      }
      let [lo, hi] = Number.isFinite(ext[0]) ? ext : [0, 1];
      if (hi - lo < 1e-6) { lo -= 0.5 * Math.max(Math.abs(lo) * 0.01, 0.001); hi += 0.5 * Math.max(Math.abs(hi) * 0.01, 0.001); }
      const pad = (hi - lo) * 0.08;
      const y = scaleLinear().domain([lo - pad, hi + pad]).range([H - M.b, M.t]);
      const w = width - M.l - M.r;
      ctx.clearRect(0, 0, width, H);
      ctx.lineWidth = 1.5;
      const f: Frame = { from, to, x0: M.l, width: w, y, gapMs: 1500, scale: 1 };
      ctx.save();
      ctx.beginPath();
      ctx.rect(M.l, M.t, w, H - M.t - M.b);
      ctx.clip();
      for (const l of lines) {
        f.scale = l.scale;
        const h = history?.get(l.info.id);
        if (h) {
          ctx.fillStyle = l.color;
          fillBuckets(ctx, h.t, h.min, h.max, f);
          continue;
        }
        const r = telemetry.ring(l.info.id);
        if (!r) continue;
        const last = r.length ? r.t[r.index(r.length - 1)] : Number.NaN;
        const stale = view.live && !(Date.now() - last < STALE_MS);
        ctx.setLineDash([]);
        ctx.strokeStyle = stale ? '#7b8288' : l.color;
        strokeSeries(ctx, r, f, false);
        ctx.setLineDash([4, 4]); // Bad quality: dashed, in the alarm colour, never mistaken for a value
        ctx.strokeStyle = '#ff7070';
        strokeSeries(ctx, r, f, true);
      }
      ctx.setLineDash([]);
      const kx = w / (to - from);
      for (const [t, c] of [[cursor, '#e8eaec'], [marker, '#ffc94d']] as const) {
        if (t == null || t < from || t > to) continue;
        ctx.strokeStyle = c;
        ctx.beginPath();
        ctx.moveTo(M.l + (t - from) * kx, M.t);
        ctx.lineTo(M.l + (t - from) * kx, H - M.b);
        ctx.stroke();
      }
      ctx.restore();
      const now = performance.now();
      if (!view.live || now - axesAt.current > 250) { // axes are DOM: a few times a second is enough
        axesAt.current = now;
        if (xAxis.current) select(xAxis.current).call(axisBottom(scaleUtc().domain([from, to]).range([M.l, M.l + w])).ticks(Math.max(2, w / 110)));
        if (yAxis.current) select(yAxis.current).call(axisLeft(y).ticks(5));
      }
    };
    draw();
    if (!view.live) return;
    const off = telemetry.subscribe(draw);
    const timer = setInterval(draw, 500); // keeps time moving (and staleness growing) when no data arrives
    return () => { off(); clearInterval(timer); };
  }, [lines, view, history, width, cursor, marker]);

  const tAt = (clientX: number): number => {
    const rect = canvas.current!.getBoundingClientRect();
    const { from, to } = shown.current;
    return from + ((clientX - rect.left - M.l) / (width - M.l - M.r)) * (to - from);
  };
  const msPerPx = (): number => (shown.current.to - shown.current.from) / (width - M.l - M.r);

  return (
    <figure className="trend" ref={wrap} data-testid="trend-chart" aria-label={`${title} trend`}>
      <figcaption>{title} ({unit})</figcaption>
      <div className="trend-plot" style={{ height: H }}>
        <canvas ref={canvas} width={width} height={H}
          onWheel={(e) => props.onZoom(e.deltaY > 0 ? 1.25 : 0.8, tAt(e.clientX))}
          onPointerDown={(e) => { drag.current = e.clientX; e.currentTarget.setPointerCapture(e.pointerId); }}
          onPointerUp={() => (drag.current = null)}
          onPointerLeave={() => setCursor(null)}
          onPointerMove={(e) => {
            if (drag.current !== null) { props.onPan(-(e.clientX - drag.current) * msPerPx()); drag.current = e.clientX; }
            setCursor(tAt(e.clientX));
          }} />
        <svg width={width} height={H} className="trend-axes" aria-hidden>
          <g ref={xAxis} transform={`translate(0,${H - M.b})`} />
          <g ref={yAxis} transform={`translate(${M.l},0)`} />
        </svg>
      </div>
      <ReadOut lines={lines} history={history} cursor={cursor} live={view.live} />
    </figure>
  );
}

/** The legend doubles as the cursor read-out: value at the cursor (or the latest), quality, and the age when stale. */
function ReadOut({ lines, history, cursor, live }: { lines: TrendLine[]; history: Map<number, HistorySeries> | null; cursor: number | null; live: boolean }) {
  const [, tick] = useState(0);
  useEffect(() => { const i = setInterval(() => tick((n) => n + 1), 1000); return () => clearInterval(i); }, []);
  return (
    <ul className="trend-legend">
      {lines.map((l) => {
        const { text, age, bad } = valueAt(l, history, cursor);
        const stale = live && cursor === null && age > STALE_MS;
        return (
          <li key={l.info.id} className={stale ? 'stale' : undefined} data-signal={l.info.key}>
            <span className="swatch" style={{ background: stale ? '#7b8288' : l.color }} aria-hidden /> {l.info.key}: <b>{text}</b>
            {bad && <span className="cue alarm"> BAD quality</span>}
            {stale && <span className="cue warn"> stale {Number.isFinite(age) ? `${Math.round(age / 1000)} s` : '(no data)'}</span>}
          </li>
        );
      })}
    </ul>
  );
}

function valueAt(l: TrendLine, history: Map<number, HistorySeries> | null, at: number | null): { text: string; age: number; bad: boolean } {
  const h = history?.get(l.info.id);
  if (h) {
    let i = h.t.length - 1;
    if (at !== null) { i = 0; while (i + 1 < h.t.length && h.t[i + 1] <= at) i++; }
    const a = h.min[i], b = h.max[i];
    return { text: a === null || b === null ? '—' : `${(a * l.scale).toFixed(4)}…${(b * l.scale).toFixed(4)}`, age: 0, bad: false };
  }
  const r = telemetry.ring(l.info.id);
  if (!r || !r.length) return { text: '—', age: Number.POSITIVE_INFINITY, bad: false };
  const k = at === null ? r.length - 1 : Math.max(0, lowerBound(r as SeriesView, at) - 1);
  const i = r.index(k);
  return { text: (r.v[i] * l.scale).toFixed(4), age: Date.now() - r.t[i], bad: r.s[i] >>> 30 >= 2 };
}
