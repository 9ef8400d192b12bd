// The IEEE 1547-2018 ride-through envelope of a DER's category as bands (time on a log axis from the event's start)
// with the event's measured trajectory on top: at a glance, whether the DER had to ride through or could trip.
import { scaleLinear, scaleLog } from 'd3';
import { useMemo } from 'react';
import { categoryRules, minTimeS, resolveRuleSet, type Category, type Mode, type Region } from '../../../../shared/grid/ieee1547';

export interface Trajectory { label: string; t: number[]; v: Array<number | null> } // v in p.u. (voltage) or Hz

const W = 620;
const H = 300;
const M = { l: 58, r: 14, t: 12, b: 40 };
const T_MIN = 0.01; // s: the log axis needs a positive origin; earlier samples sit on the left edge
const FILL: Record<Mode, string> = { continuous: '#2f4a3a', mandatory: '#2e4466', permissive: '#4a3f66', momentaryCessation: '#5c4a2a', notRequired: '#5a2b2b' };
const LABEL: Record<Mode, string> = { continuous: 'continuous operation', mandatory: 'mandatory operation (ride through)', permissive: 'permissive operation', momentaryCessation: 'momentary cessation', notRequired: 'may trip' };
const LINE = ['#ffffff', '#ffc94d', '#9ecbff', '#f28bd0'];

/** Band polygon: from the left edge to the region's minimum ride-through time, which may slope with the value. */
function bandPath(g: Region, x: (s: number) => number, y: (v: number) => number, yLo: number, yHi: number, tMax: number): string | null {
  const lo = Math.max(g.lo, yLo);
  const hi = Math.min(g.hi, yHi);
  if (!(hi > lo)) return null;
  const pts: string[] = [`${x(T_MIN)},${y(lo)}`];
  for (let k = 0; k <= 16; k++) {
    const v = lo + ((hi - lo) * k) / 16;
    const s = g.mode === 'notRequired' || g.mode === 'continuous' ? tMax : Math.min(tMax, Math.max(T_MIN, minTimeS(g.minTime, v)));
    pts.push(`${x(s)},${y(v)}`);
  }
  pts.push(`${x(T_MIN)},${y(hi)}`);
  return `M${pts.join('L')}Z`;
}

export function EnvelopeChart({ quantity, category, t0, trajectories, title }: { quantity: 'V' | 'f'; category: Category; t0: number; trajectories: Trajectory[]; title: string }) {
  const rules = useMemo(() => categoryRules(resolveRuleSet('ieee1547-2018'), category), [category]);
  const regions = quantity === 'V' ? rules.voltage : rules.frequency;
  const [yLo, yHi] = quantity === 'V' ? [0, 1.3] : [56, 64];
  const last = Math.max(0, ...trajectories.map((tr) => (tr.t.length ? (tr.t[tr.t.length - 1] - t0) / 1000 : 0)));
  const tMax = Math.max(100, last * 1.5);
  const x = scaleLog().domain([T_MIN, tMax]).range([M.l, W - M.r]).clamp(true);
  const y = scaleLinear().domain([yLo, yHi]).range([H - M.b, M.t]).clamp(true);
  const decades = x.ticks().filter((s) => Math.abs(Math.log10(s) - Math.round(Math.log10(s))) < 1e-9);
  const modes = [...new Set(regions.map((g) => g.mode))];
  let points = 0;
  const paths = trajectories.map((tr) => {
    let d = '';
    let down = false;
    for (let i = 0; i < tr.t.length; i++) {
      const v = tr.v[i];
      if (v === null || !Number.isFinite(v)) { down = false; continue; }
      const s = Math.max(T_MIN, (tr.t[i] - t0) / 1000);
      d += `${down ? 'L' : 'M'}${x(s).toFixed(1)},${y(v).toFixed(1)}`;
      down = true;
      points++;
    }
    return d;
  });
  return (
    <figure className="envelope-fig" data-testid="envelope-chart" data-points={points} aria-label={title}>
      <figcaption>{title}: IEEE 1547-2018 Category {category}</figcaption>
      <svg className="envelope" width={W} height={H} role="img" aria-label={`${title} envelope with ${points} measured points`}>
        <rect x={M.l} y={M.t} width={W - M.l - M.r} height={H - M.t - M.b} fill={FILL.notRequired} />
        {regions.map((g) => {
          const d = bandPath(g, x, y, yLo, yHi, tMax);
          return d && <path key={g.id} d={d} fill={FILL[g.mode]} stroke="#8a939c" strokeWidth={0.5}><title>{`${g.id}: ${LABEL[g.mode]}`}</title></path>;
        })}
        <g className="axis">
          <line x1={M.l} x2={W - M.r} y1={H - M.b} y2={H - M.b} />
          {decades.map((s) => (
            <g key={s} transform={`translate(${x(s)},${H - M.b})`}><line y2={5} /><text y={18} textAnchor="middle">{s >= 1 ? `${s}` : s.toString()}</text></g>
          ))}
          <text x={(M.l + W) / 2} y={H - 4} textAnchor="middle">seconds from event start (log)</text>
          <line x1={M.l} x2={M.l} y1={M.t} y2={H - M.b} />
          {y.ticks(6).map((v) => (
            <g key={v} transform={`translate(${M.l},${y(v)})`}><line x2={-5} /><text x={-8} dy="0.32em" textAnchor="end">{v}</text></g>
          ))}
          <text transform={`translate(14,${(M.t + H - M.b) / 2}) rotate(-90)`} textAnchor="middle">{quantity === 'V' ? 'voltage (p.u.)' : 'frequency (Hz)'}</text>
        </g>
        {paths.map((d, i) => d && <path key={trajectories[i].label} d={d} fill="none" stroke={LINE[i % LINE.length]} strokeWidth={2} data-testid="trajectory" />)}
      </svg>
      <ul className="trend-legend">
        {modes.map((m) => <li key={m}><span className="swatch" style={{ background: FILL[m], height: '0.9rem' }} aria-hidden /> {LABEL[m]}</li>)}
        {trajectories.map((tr, i) => <li key={tr.label}><span className="swatch" style={{ background: LINE[i % LINE.length] }} aria-hidden /> {tr.label}</li>)}
      </ul>
    </figure>
  );
}
