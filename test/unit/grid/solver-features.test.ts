// Power-flow features the simulator relies on: faults converge, switches de-energise and island, a grid-forming
// slack bus energises an island, warm starts agree with cold ones, DER injections, clear errors.
import { describe, expect, it } from 'vitest';
import { loadFeeder } from '../../../main/services/feeders/load-feeder';
import { isAppError } from '../../../shared/errors';
import { IEEE123_PUBLISHED_TAPS as TAPS } from '../../../shared/grid/ieee-published';
import { buildNetwork } from '../../../shared/grid/network';
import { createSolver } from '../../../shared/grid/solver';

const net = buildNetwork(loadFeeder('ieee123'));
const pf = createSolver(net, { controlMode: 'fixed' });
const base = pf.solve({ taps: TAPS });
const node = (b: string, p: number) => net.index.get(`${b}.${p}`) as number;

function thrown(f: () => unknown): unknown {
  try { f(); } catch (e) { return e; }
  return undefined;
}

describe('power flow features', () => {
  it('a bolted single-line-to-ground fault converges: faulted phase collapses, fault current in kA', () => {
    const r = pf.solve({ faults: [{ bus: '60', kind: 'SLG', phases: [1], ohms: 0.01 }] });
    expect(r.vPu('60', 1)).toBeLessThan(0.05);
    expect(r.vPu('60', 2)).toBeGreaterThan(0.8);
    const i = r.branch('L58')?.currents as Float64Array; // 57 -> 60, phase A at terminal 1
    expect(Math.hypot(i[0], i[1])).toBeGreaterThan(1000);
    expect(r.sourcePower.kW).toBeGreaterThan(base.sourcePower.kW);
  });

  it('LL, LLG and three-phase faults converge', () => {
    const ll = pf.solve({ faults: [{ bus: '76', kind: 'LL', phases: [1, 2], ohms: 0.05 }] });
    expect(Math.abs(ll.vPu('76', 1) - ll.vPu('76', 2))).toBeLessThan(0.2);
    const llg = pf.solve({ faults: [{ bus: '76', kind: 'LLG', phases: [2, 3], ohms: 0.05 }] });
    expect(llg.vPu('76', 2)).toBeLessThan(0.15);
    const p3 = pf.solve({ faults: [{ bus: '60', kind: '3P', ohms: 0 }] });
    for (const p of [1, 2, 3]) expect(p3.vPu('60', p)).toBeLessThan(0.01);
  });

  it('opening a switch de-energises what lies beyond it, and a grid-forming slack bus energises it as an island', () => {
    const open = pf.solve({ switches: { Sw3: false } });
    expect(open.energized[node('35', 1)]).toBe(0);
    expect(open.vPu('151', 1)).toBe(0);
    const island = pf.solve({ switches: { Sw3: false }, slackBuses: [{ bus: '135', pu: 1.0, angleDeg: 0 }] });
    expect(island.vPu('135', 1)).toBeCloseTo(1, 9);
    expect(island.vPu('151', 1)).toBeGreaterThan(0.97);
    // the main feeder carries the same as with the island simply dropped
    expect(island.sourcePower.kW).toBeCloseTo(open.sourcePower.kW, 3);
    expect(island.branch('Sw3')?.closed).toBe(false);
    // the grid-forming bus supplies exactly the island's load plus its losses
    const islandLoss = island.losses.kW - open.losses.kW;
    const islandLoad = island.loadPower.kW - open.loadPower.kW;
    expect(island.slackPower).toHaveLength(1);
    expect(Math.abs(island.slackPower[0].kW - islandLoad - islandLoss)).toBeLessThan(0.05);
  });

  it('warm-started solves agree with cold ones and take fewer iterations', () => {
    const cold = createSolver(net, { controlMode: 'fixed' }).solve({ taps: TAPS, loadScale: 1.1 });
    pf.solve({ taps: TAPS });
    const warm = pf.solve({ loadScale: 1.1, warmStart: true });
    expect(warm.iterations).toBeLessThan(cold.iterations);
    for (let i = 0; i < net.n; i++) expect(Math.abs(warm.vMag[i] - cold.vMag[i])).toBeLessThan(1e-6);
  });

  it('a DER injection lowers the feeder-head import by about its output; load overrides apply by name', () => {
    const r = pf.solve({ injections: [{ bus: '76', p_kW: 300, q_kvar: 0 }] });
    const d = base.sourcePower.kW - r.sourcePower.kW;
    expect(d).toBeGreaterThan(300);
    expect(d).toBeLessThan(330); // plus the losses it saves
    const o = pf.solve({ loadOverrides: { S76a: { p_kW: 0, q_kvar: 0 } } });
    expect(base.loadPower.kW - o.loadPower.kW).toBeGreaterThan(100); // S76a is 105 kW (delta, model 1)
  });

  it('branch currents are consistent with the feeder-head power', () => {
    const i = base.branch('L115')?.currents as Float64Array;
    const v = base.V('149', 1) as { re: number; im: number };
    const s = (v.re * i[0] + v.im * i[1]) * (4160 / Math.sqrt(3)) / 1e3; // kW on phase A into L115
    expect(Math.abs(s - base.sourcePower.perPhase[0].kW)).toBeLessThan(0.02 * base.sourcePower.perPhase[0].kW);
  });

  it('fails clearly: NOT_CONVERGED with iterations and mismatch; bad inputs name their field', () => {
    const e = thrown(() => createSolver(net, { maxIterations: 2, controlMode: 'fixed' }).solve({ taps: TAPS }));
    expect(isAppError(e, 'NOT_CONVERGED')).toBe(true);
    expect((e as { info: { iterations: number; mismatch: number } }).info).toMatchObject({ iterations: 2 });
    expect((e as { info: { mismatch: number } }).info.mismatch).toBeGreaterThan(0);
    expect(isAppError(thrown(() => pf.solve({ switches: { nope: false } })), 'INVALID_ARGUMENT')).toBe(true);
    expect(isAppError(thrown(() => pf.solve({ loadScale: Number.NaN })), 'INVALID_ARGUMENT')).toBe(true);
    expect(isAppError(thrown(() => pf.solve({ sourcePu: Number.NaN })), 'INVALID_ARGUMENT')).toBe(true);
    expect(isAppError(thrown(() => pf.solve({ injections: [{ bus: '76', p_kW: Number.POSITIVE_INFINITY, q_kvar: 0 }] })), 'INVALID_ARGUMENT')).toBe(true);
    expect(isAppError(thrown(() => pf.solve({ faults: [{ bus: '2', kind: 'SLG', phases: [1], ohms: 1 }] })), 'INVALID_ARGUMENT')).toBe(true);
  });
});

describe('power balance (property)', () => {
  it('source + DER = loads + losses for any load level and DER output', async () => {
    const fc = await import('fast-check');
    const buses = ['76', '65', '48', '35', '13', '108'];
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 1.5, noNaN: true }), fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 600, noNaN: true }), (scale, b, kw) => {
        const r = pf.solve({ loadScale: scale, injections: [{ bus: buses[b], p_kW: kw, q_kvar: kw / 4 }], warmStart: true });
        return Math.abs(r.sourcePower.kW + kw - r.loadPower.kW - r.losses.kW) < 0.05 && r.losses.kW > 0;
      }),
      { numRuns: 40 },
    );
  });
});
