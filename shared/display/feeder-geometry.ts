// Schematic geometry of a feeder for the map and the one-line: bus positions and branch segments as flat arrays
// (sent once per connection; the live colours then travel as typed arrays indexed the same way).
import type { FeederModel } from '../grid/feeder-model';

export type BranchKind = 'line' | 'switch' | 'transformer' | 'regulator';

export interface FeederGeometry {
  feeder: string;
  buses: string[]; // index -> bus name
  x: number[];
  y: number[];
  placed: boolean[]; // false where the model had no coordinate and one was derived from a neighbour
  phases: number[][]; // phase nodes present at each bus
  branches: { name: string; kind: BranchKind; from: number; to: number; closed: boolean }[];
  bounds: [number, number, number, number]; // minX, minY, maxX, maxY
}

export function feederGeometry(model: FeederModel): FeederGeometry {
  const index = new Map<string, number>();
  const buses: string[] = [];
  const x: number[] = [];
  const y: number[] = [];
  const placed: boolean[] = [];
  const phases: number[][] = [];
  for (const b of model.buses) {
    index.set(b.name.toLowerCase(), buses.length);
    buses.push(b.name);
    const has = Number.isFinite(b.x) && Number.isFinite(b.y) && !(b.x === 0 && b.y === 0);
    x.push(has ? (b.x as number) : NaN);
    y.push(has ? (b.y as number) : NaN);
    placed.push(has);
    phases.push([...b.phases]);
  }
  const branches: FeederGeometry['branches'] = [];
  const idx = (bus: string): number => index.get(bus.toLowerCase()) ?? -1;
  const regulated = new Set(model.regulators.map((r) => r.transformer.toLowerCase()));
  for (const l of model.lines) {
    branches.push({ name: l.name, kind: l.isSwitch ? 'switch' : 'line', from: idx(l.from.bus), to: idx(l.to.bus), closed: l.closed });
  }
  for (const t of model.transformers) {
    if (t.windings.length < 2) continue;
    branches.push({ name: t.name, kind: regulated.has(t.name.toLowerCase()) ? 'regulator' : 'transformer', from: idx(t.windings[0].bus), to: idx(t.windings[1].bus), closed: true });
  }
  const valid = branches.filter((b) => b.from >= 0 && b.to >= 0);
  placeMissing(valid, x, y, placed);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) continue;
    minX = Math.min(minX, x[i]); maxX = Math.max(maxX, x[i]);
    minY = Math.min(minY, y[i]); maxY = Math.max(maxY, y[i]);
  }
  if (!Number.isFinite(minX)) { minX = 0; minY = 0; maxX = 1; maxY = 1; }
  return { feeder: model.name, buses, x, y, placed, phases, branches: valid, bounds: [minX, minY, maxX, maxY] };
}

/** Buses without coordinates (regulator and transformer secondaries, for instance) are put beside a placed
 * neighbour, a little offset so the branch between them stays visible. Repeats until nothing more can be placed. */
function placeMissing(branches: FeederGeometry['branches'], x: number[], y: number[], placed: boolean[]): void {
  let span = 1;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) span = Math.max(span, Math.abs(x[i]), Math.abs(y[i]));
  const step = span * 0.01;
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of branches) {
      const [a, c] = Number.isFinite(x[b.from]) ? [b.from, b.to] : [b.to, b.from];
      if (Number.isFinite(x[a]) && !Number.isFinite(x[c])) {
        x[c] = x[a] + step;
        y[c] = y[a] - step;
        changed = true;
      }
    }
  }
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) { x[i] = 0; y[i] = 0; placed[i] = false; }
}
