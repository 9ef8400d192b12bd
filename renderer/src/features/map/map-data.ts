// Typed-array attributes for the feeder map, rebuilt only when their inputs change (a version number drives the
// layers' updateTriggers). Pure: no deck.gl and no DOM here, so it is unit-tested and measured on its own.
import type { FeederInfo, GridState } from '../../../../shared/contract/areas/grid';
import { VoltageClass, classifyVoltage } from '../../../../shared/display/voltage-class';

/** At most this many bus labels on the map (the worst deviations first). */
export const MAX_LABELS = 12;

export type Rgba = [number, number, number, number];

/** ISA-101: grey when normal, colour only for abnormal; each class also has a size and a label (second cues). */
export const CLASS_COLOR: Record<VoltageClass, Rgba> = {
  [VoltageClass.Normal]: [150, 156, 162, 255],
  [VoltageClass.LowA]: [255, 201, 77, 255], // amber
  [VoltageClass.HighA]: [255, 201, 77, 255],
  [VoltageClass.LowB]: [255, 96, 96, 255], // red
  [VoltageClass.HighB]: [255, 96, 96, 255],
  [VoltageClass.NoData]: [90, 96, 102, 255],
};
export const CLASS_RADIUS: Record<VoltageClass, number> = { 0: 4, 1: 7, 2: 7, 3: 9, 4: 9, 5: 3 };
export const CLASS_SHORT: Record<VoltageClass, string> = { 0: '', 1: 'LO', 2: 'HI', 3: 'LO!', 4: 'HI!', 5: '' };

/** Measured, estimated and unknown buses are drawn three ways: solid with a white ring, hollow ring, small dot. */
export const SOURCE_STYLE = {
  measured: { fillAlpha: 255, ring: [240, 242, 244, 255] as Rgba, ringWidth: 2 },
  estimated: { fillAlpha: 70, ring: null, ringWidth: 2 },
  unknown: { fillAlpha: 0, ring: [110, 116, 122, 255] as Rgba, ringWidth: 1 },
} as const;

export interface StaticMapData {
  n: number;
  positions: Float32Array; // x, y per bus
  branchCount: number;
  sources: Float32Array; // x, y per branch start
  targets: Float32Array;
  branchColors: Uint8Array; // open branches dimmer
}

export interface LiveMapData {
  fill: Uint8Array; // rgba per bus
  line: Uint8Array; // rgba per bus (the ring)
  lineWidth: Float32Array;
  radius: Float32Array;
  classes: Uint8Array;
  labels: { index: number; text: string }[]; // the worst abnormal buses only: the value and class as text
  abnormalCount: number;
}

export function staticMapData(feeder: FeederInfo): StaticMapData {
  const n = feeder.buses.length;
  const positions = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    positions[2 * i] = feeder.x[i];
    positions[2 * i + 1] = feeder.y[i];
  }
  const m = feeder.branches.length;
  const sources = new Float32Array(m * 2);
  const targets = new Float32Array(m * 2);
  const branchColors = new Uint8Array(m * 4);
  feeder.branches.forEach((b, k) => {
    sources.set([feeder.x[b.from], feeder.y[b.from]], 2 * k);
    targets.set([feeder.x[b.to], feeder.y[b.to]], 2 * k);
    branchColors.set(b.closed ? [120, 126, 132, 255] : [80, 86, 92, 255], 4 * k);
  });
  return { n, positions, branchCount: m, sources, targets, branchColors };
}

/** Fills (or refills, reusing `into`) the per-bus attributes from a snapshot. */
export function liveMapData(feeder: FeederInfo, state: GridState | null, into?: LiveMapData): LiveMapData {
  const n = feeder.buses.length;
  const out: LiveMapData = into && into.classes.length === n ? into : { fill: new Uint8Array(n * 4), line: new Uint8Array(n * 4), lineWidth: new Float32Array(n), radius: new Float32Array(n), classes: new Uint8Array(n), labels: [], abnormalCount: 0 };
  out.labels = [];
  const abnormal: Array<{ i: number; worst: number; dev: number }> = [];
  for (let i = 0; i < n; i++) {
    const lo = state?.vMin[i] ?? Number.NaN;
    const hi = state?.vMax[i] ?? Number.NaN;
    const source = state?.source[i] ?? 'unknown';
    const cls = classifyVoltage(lo, hi, feeder.limits);
    const color = CLASS_COLOR[cls];
    const style = SOURCE_STYLE[source];
    out.classes[i] = cls;
    // element writes, not .set([...]): no array per bus per update (10,000 buses at 10 Hz)
    const ring = style.ring ?? color;
    const j = 4 * i;
    out.fill[j] = color[0];
    out.fill[j + 1] = color[1];
    out.fill[j + 2] = color[2];
    out.fill[j + 3] = cls === VoltageClass.NoData ? 0 : style.fillAlpha;
    out.line[j] = ring[0];
    out.line[j + 1] = ring[1];
    out.line[j + 2] = ring[2];
    out.line[j + 3] = ring[3];
    out.lineWidth[i] = style.ringWidth;
    out.radius[i] = CLASS_RADIUS[cls];
    if (cls !== VoltageClass.Normal && cls !== VoltageClass.NoData) {
      const worst = cls === VoltageClass.LowA || cls === VoltageClass.LowB ? lo : hi;
      abnormal.push({ i, worst, dev: Math.abs(worst - 1) });
    }
  }
  // Label only the worst few: during a feeder-wide sag every bus is abnormal and a hundred labels hide the map.
  // Colour and size still mark every abnormal bus; the pane says how many there are.
  abnormal.sort((a, b) => b.dev - a.dev);
  out.abnormalCount = abnormal.length;
  for (const a of abnormal.slice(0, MAX_LABELS)) {
    const cls = out.classes[a.i] as VoltageClass;
    out.labels.push({ index: a.i, text: `${feeder.buses[a.i]} ${CLASS_SHORT[cls]} ${a.worst.toFixed(3)}` });
  }
  return out;
}

/** Convex hull (monotone chain) of a microgrid's buses, for its boundary polygon. */
export function hull(points: Array<[number, number]>): Array<[number, number]> {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const cross = (o: number[], a: number[], b: number[]): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Array<[number, number]> = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Array<[number, number]> = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], q) <= 0) upper.pop();
    upper.push(q);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** Pads a hull outward from its centroid so the boundary does not run through the bus symbols. */
export function padPolygon(poly: Array<[number, number]>, pad: number): Array<[number, number]> {
  if (!poly.length) return poly;
  const cx = poly.reduce((s, q) => s + q[0], 0) / poly.length;
  const cy = poly.reduce((s, q) => s + q[1], 0) / poly.length;
  return poly.map(([x, y]) => {
    const d = Math.hypot(x - cx, y - cy) || 1;
    return [x + ((x - cx) / d) * pad, y + ((y - cy) / d) * pad];
  });
}
