// Canvas drawing of one trend series, per-pixel min/max decimated, with gaps as breaks and Bad quality apart.
// Runs every animation frame while data arrives: no allocation per sample, only index walks over typed arrays.

/** The subset of CanvasRenderingContext2D the drawing uses (so a test can count calls). */
export type Pen = Pick<CanvasRenderingContext2D, 'beginPath' | 'moveTo' | 'lineTo' | 'stroke' | 'setLineDash' | 'fillRect'> & {
  strokeStyle: CanvasRenderingContext2D['strokeStyle'];
  fillStyle: CanvasRenderingContext2D['fillStyle'];
  lineWidth: number;
};

/** A time-ordered series read through an index map (a ring buffer, or plain arrays with identity). */
export interface SeriesView {
  length: number;
  index(k: number): number;
  t: ArrayLike<number>;
  v: ArrayLike<number>;
  s?: ArrayLike<number>;
}

export interface Frame {
  from: number; // ms
  to: number;
  x0: number; // pixel left of the plot
  width: number;
  y: (v: number) => number; // value → pixel
  gapMs: number; // a jump in time larger than this is a break, not a line
  scale: number; // value multiplier (e.g. 1/nominal for p.u.)
}

/** OPC UA StatusCode severity (top two bits): 0 Good, 1 Uncertain, 2/3 Bad. */
export const isBad = (status: number): boolean => status >>> 30 >= 2;

/** First logical index whose time is ≥ t (binary search; the series is time-ordered). */
export function lowerBound(s: SeriesView, t: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s.t[s.index(mid)] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Min and max (scaled) of the samples of quality `bad` inside [from, to]; NaN when none. */
export function extentIn(s: SeriesView, from: number, to: number, scale: number, out: [number, number]): [number, number] {
  for (let k = lowerBound(s, from); k < s.length; k++) {
    const i = s.index(k);
    if (s.t[i] > to) break;
    const v = s.v[i] * scale;
    if (!Number.isFinite(v)) continue;
    if (!(v >= out[0])) out[0] = v;
    if (!(v <= out[1])) out[1] = v;
  }
  return out;
}

/**
 * Strokes the samples of one quality class (`bad` false: Good and Uncertain; true: Bad) as one path: one lineTo
 * pair (min, max) per pixel column, a moveTo after a gap, a non-finite value or a sample of the other class.
 * Returns the number of samples visited.
 */
export function strokeSeries(pen: Pen, s: SeriesView, f: Frame, bad: boolean): number {
  const kx = f.width / (f.to - f.from);
  let k = Math.max(0, lowerBound(s, f.from) - 1); // one before the window so the line enters from the edge
  let prevT = Number.NaN;
  let col = Number.NaN;
  let lo = 0;
  let hi = 0;
  let pen_down = false;
  let visited = 0;
  pen.beginPath();
  const flush = (): void => {
    if (Number.isNaN(col)) return;
    const x = f.x0 + col;
    if (!pen_down) {
      pen.moveTo(x, f.y(lo));
      pen_down = true;
    } else pen.lineTo(x, f.y(lo));
    if (hi !== lo) pen.lineTo(x, f.y(hi));
  };
  for (; k < s.length; k++) {
    const i = s.index(k);
    const t = s.t[i];
    const v = s.v[i] * f.scale;
    const cls = s.s ? isBad(s.s[i]) : false;
    visited++;
    const broken = cls !== bad || !Number.isFinite(v) || t - prevT > f.gapMs;
    if (broken) {
      flush();
      col = Number.NaN;
      pen_down = false;
      if (cls !== bad || !Number.isFinite(v)) {
        prevT = t;
        if (t > f.to) break;
        continue;
      }
    }
    prevT = t;
    const c = Math.round((t - f.from) * kx);
    if (c !== col) {
      flush();
      col = c;
      lo = hi = v;
    } else {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (t > f.to) break;
  }
  flush();
  pen.stroke();
  return visited;
}

/** Per-pixel min/max from the historian: a filled bar per bucket, nulls as gaps. */
export function fillBuckets(pen: Pen, t: number[], min: Array<number | null>, max: Array<number | null>, f: Frame): void {
  const kx = f.width / (f.to - f.from);
  for (let i = 0; i < t.length; i++) {
    const a = min[i];
    const b = max[i];
    if (a === null || b === null) continue;
    const x = f.x0 + (t[i] - f.from) * kx;
    const ya = f.y(a * f.scale);
    const yb = f.y(b * f.scale);
    pen.fillRect(x, Math.min(ya, yb), 1.5, Math.max(1.5, Math.abs(ya - yb)));
  }
}
