// The IEEE 123-node feeder against its published (RDAP, 2004) solution: every voltage row, feeder-head power and
// losses with the published regulator taps, and the automatic tap-changer settling on its own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { feedersDir, loadFeeder } from '../../../main/services/feeders/load-feeder';
import { IEEE123_NODE_ALIASES, IEEE123_PUBLISHED_TAPS, IEEE123_PUBLISHED_TOTALS } from '../../../shared/grid/ieee-published';
import { buildNetwork } from '../../../shared/grid/network';
import { createSolver } from '../../../shared/grid/solver';
import type { PowerFlowResult } from '../../../shared/grid/pf-result';
import { IEEE123_EXCEPTIONS } from './ieee123-exceptions';

const rows = readFileSync(join(feedersDir(), 'ieee123', 'IEEE123_published_voltages.csv'), 'utf8')
  .trim().split('\n').slice(1)
  .map((l) => { const [node, phase, v, a] = l.split(','); return { node, phase: 'ABC'.indexOf(phase) + 1, label: `${node}.${phase}`, v: Number(v), a: Number(a) }; });
const exempt = new Map(IEEE123_EXCEPTIONS.flatMap((e) => e.rows.map((r) => [r, e])));
const angleDiff = (x: number, y: number) => ((x - y + 540) % 360) - 180;
const phasor = (m: number, deg: number) => [m * Math.cos((deg * Math.PI) / 180), m * Math.sin((deg * Math.PI) / 180)];

function solvePublished(file?: string): PowerFlowResult {
  const model = file ? loadFeeder(join(feedersDir(), 'ieee123', file)) : loadFeeder('ieee123');
  return createSolver(buildNetwork(model)).solve({ taps: IEEE123_PUBLISHED_TAPS, controlMode: 'fixed' });
}

describe('IEEE 123-node feeder vs published RDAP solution', () => {
  const r = solvePublished();

  it('reads all 274 published node-phase rows', () => expect(rows.length).toBe(274));

  it('matches every published voltage within 0.002 pu and 0.5 degrees (bar explained exceptions)', () => {
    const failures: string[] = [];
    for (const row of rows) {
      if (exempt.has(row.label)) continue;
      const bus = IEEE123_NODE_ALIASES[row.node] ?? row.node;
      const v = r.vPu(bus, row.phase), a = r.angleDeg(bus, row.phase);
      if (!(Math.abs(v - row.v) <= 0.002 && Math.abs(angleDiff(a, row.a)) <= 0.5)) failures.push(`${row.label}: ${v.toFixed(4)}∠${a.toFixed(2)} vs ${row.v}∠${row.a}`);
    }
    expect(failures).toEqual([]);
  });

  it('exempt rows still match in line-to-line voltage', () => {
    for (const e of IEEE123_EXCEPTIONS) {
      for (let k = 0; k < e.rows.length; k++) {
        const p = rows.find((x) => x.label === e.rows[k]) as (typeof rows)[number];
        const q = rows.find((x) => x.node === p.node && x.phase === (p.phase % 3) + 1) as (typeof rows)[number];
        const bus = IEEE123_NODE_ALIASES[p.node] ?? p.node;
        const [pr, pi] = phasor(p.v, p.a), [qr, qi] = phasor(q.v, q.a);
        const ours = [r.V(bus, p.phase), r.V(bus, q.phase)];
        const ll = Math.hypot((ours[0]?.re ?? 0) - (ours[1]?.re ?? 0), (ours[0]?.im ?? 0) - (ours[1]?.im ?? 0));
        expect(Math.abs(ll - Math.hypot(pr - qr, pi - qi))).toBeLessThan(0.002 * Math.sqrt(3));
      }
    }
  });

  it('feeder-head P, Q and losses within 0.5% of 3620.498 kW, 1324.765 kvar, 95.611 kW', () => {
    const rel = (x: number, y: number) => Math.abs(x - y) / y;
    expect(rel(r.sourcePower.kW, IEEE123_PUBLISHED_TOTALS.kW)).toBeLessThan(0.005);
    expect(rel(r.sourcePower.kvar, IEEE123_PUBLISHED_TOTALS.kvar)).toBeLessThan(0.005);
    expect(rel(r.losses.kW, IEEE123_PUBLISHED_TOTALS.lossKW)).toBeLessThan(0.005);
    // power balance: head = loads + losses (capacitors and line charging are reactive only)
    expect(Math.abs(r.sourcePower.kW - r.loadPower.kW - r.losses.kW)).toBeLessThan(0.05);
  });

  it('the master file (ties as stubs to open buses) solves to the same voltages as the switch variant', () => {
    const m = solvePublished('IEEE123Master.dss');
    for (const row of rows) {
      const bus = IEEE123_NODE_ALIASES[row.node] ?? row.node;
      expect(Math.abs(m.vPu(bus, row.phase) - r.vPu(bus, row.phase))).toBeLessThan(1e-6);
    }
  });

  it('in automatic mode the regulators settle within one step of the published taps', () => {
    const auto = createSolver(buildNetwork(loadFeeder('ieee123'))).solve({ controlMode: 'auto' });
    expect(auto.controlIterations).toBeGreaterThan(0);
    for (const [name, tap] of Object.entries(IEEE123_PUBLISHED_TAPS)) expect(Math.abs(auto.taps[name] - tap)).toBeLessThanOrEqual(1);
  });
});
