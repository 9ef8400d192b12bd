// The IEEE 34-node feeder (Mod 1): it solves, and its two banks of single-phase regulators settle in automatic mode
// with every controlled voltage inside vreg +/- band/2.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { feedersDir, loadFeeder } from '../../../main/services/feeders/load-feeder';
import { IEEE34_PUBLISHED_TAPS } from '../../../shared/grid/ieee-published';
import { buildNetwork } from '../../../shared/grid/network';
import { createSolver } from '../../../shared/grid/solver';

describe('IEEE 34-node feeder', () => {
  const model = loadFeeder('ieee34');
  const net = buildNetwork(model);

  it('solves with the published taps; 4.16 kV section below XFM1 has its own base', () => {
    const r = createSolver(net).solve({ taps: IEEE34_PUBLISHED_TAPS, controlMode: 'fixed' });
    expect(r.vPu('800', 1)).toBeCloseTo(1.05, 3);
    expect(model.buses.find((b) => b.name === '890')?.kVBase).toBe(4.16);
    for (let i = 3; i < net.n; i++) expect(r.vMag[i]).toBeGreaterThan(0.9);
    expect(Math.abs(r.sourcePower.kW - r.loadPower.kW - r.losses.kW)).toBeLessThan(0.1);
  });

  it('regulators settle in automatic mode, each inside its band', () => {
    const pf = createSolver(net);
    const r = pf.solve({ controlMode: 'auto' });
    expect(r.controlIterations).toBeGreaterThan(0);
    expect(r.regulators).toHaveLength(6);
    for (const reg of r.regulators) {
      expect(reg.inBand).toBe(true);
      expect(Math.abs(reg.tap)).toBeLessThanOrEqual(16);
      expect(reg.iLine).toBeGreaterThan(10); // the LDC sees real load current
    }
    // settled: solving again in auto mode from the settled taps moves nothing
    const again = pf.solve({ controlMode: 'auto', warmStart: true });
    expect(again.controlIterations).toBe(0);
    expect(again.taps).toEqual(r.taps);
  });

  it('with maxControlSteps: 1 the regulators walk one control step per solve, as a real-time simulator needs', () => {
    const pf = createSolver(net);
    const first = pf.solve({ controlMode: 'auto', maxControlSteps: 1 });
    expect(first.controlIterations).toBe(1);
    let r = first;
    for (let k = 0; k < 40 && r.regulators.some((g) => !g.inBand); k++) r = pf.solve({ controlMode: 'auto', maxControlSteps: 1, warmStart: true });
    expect(r.regulators.every((g) => g.inBand)).toBe(true);
  });

  it("OpenDSS's own run script (two Compiles, Class.Name.prop= tap edits in RPN, Set ControlMode=OFF) reads to the published taps", () => {
    const run = loadFeeder(join(feedersDir(), 'ieee34', 'Run_IEEE34Mod1.dss'));
    expect(run.controlMode).toBe('off');
    const r = createSolver(buildNetwork(run)).solve();
    expect(r.controlIterations).toBe(0);
    expect(r.taps).toEqual(IEEE34_PUBLISHED_TAPS);
    const ref = createSolver(net).solve({ taps: IEEE34_PUBLISHED_TAPS, controlMode: 'fixed' });
    expect(Math.abs(r.vPu('890', 1) - ref.vPu('890', 1))).toBeLessThan(1e-9);
  });
});
