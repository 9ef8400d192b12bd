// Uses beyond one solve: voltage sensitivities, marginal loss factors and the state estimator, each checked against
// an independent power-flow computation on the IEEE 123-node feeder.
import { describe, expect, it } from 'vitest';
import { loadFeeder } from '../../../main/services/feeders/load-feeder';
import { estimateState } from '../../../shared/grid/estimator';
import { IEEE123_PUBLISHED_TAPS as TAPS } from '../../../shared/grid/ieee-published';
import { buildNetwork } from '../../../shared/grid/network';
import { marginalLossFactor, voltageSensitivity } from '../../../shared/grid/sensitivity';
import { createSolver } from '../../../shared/grid/solver';

const net = buildNetwork(loadFeeder('ieee123'));
const pf = createSolver(net, { controlMode: 'fixed' });
const base = { taps: TAPS };

describe('sensitivities and loss factors', () => {
  it('dV/dQ predicts the voltage change of a 100 kvar injection within 5 %', () => {
    const s = voltageSensitivity(pf, base, '65', 'Q');
    const v0 = pf.solve(base).vMag.slice();
    const v1 = pf.solve({ ...base, injections: [{ bus: '65', p_kW: 0, q_kvar: 100 }] }).vMag;
    const i = net.index.get('65.1') as number;
    expect(s.atBus[0]).toBeGreaterThan(0);
    expect(Math.abs((v1[i] - v0[i]) - 100 * s.atBus[0])).toBeLessThan(0.05 * (v1[i] - v0[i]));
    // deeper in the feeder the same kvar moves the voltage more than next to the substation
    expect(s.atBus[0]).toBeGreaterThan(s.perNode[net.index.get('149.1') as number] * 5);
  });

  it('dV/dP is positive and of the same order as dV/dQ on this R/X ~ 1 feeder', () => {
    const p = voltageSensitivity(pf, base, '65', 'P');
    const q = voltageSensitivity(pf, base, '65', 'Q');
    expect(p.atBus[0]).toBeGreaterThan(0);
    expect(p.atBus[0] / q.atBus[0]).toBeGreaterThan(0.3);
    expect(p.atBus[0] / q.atBus[0]).toBeLessThan(3);
  });

  it('marginal loss factors: injecting far out saves losses, and MLF(a,b) = MLF(a) - MLF(b)', () => {
    const far = marginalLossFactor(pf, base, '65');
    const near = marginalLossFactor(pf, base, '1');
    const ab = marginalLossFactor(pf, base, '65', '1');
    expect(far).toBeLessThan(near);
    expect(far).toBeLessThan(0);
    expect(Math.abs(ab - (far - near))).toBeLessThan(0.002);
    expect(Math.abs(marginalLossFactor(pf, base, '1', '65') + ab)).toBeLessThan(0.002);
  });
});

describe('state estimator', () => {
  it('PMUs at 18 buses and poor pseudo-loads recover every node-phase to 0.002 pu; marks measured vs estimated', () => {
    const truth = pf.solve(base);
    const pmuBuses = ['150', '149', '13', '18', '35', '52', '60', '67', '76', '97', '101', '108', '300', '450', '250', '66', '83', '114'];
    const pmu = pmuBuses.flatMap((b) => [1, 2, 3].filter((p) => net.index.has(`${b}.${p}`)).map((p) => ({ bus: b, phase: p, vPu: truth.vPu(b, p), angleDeg: truth.angleDeg(b, p) })));
    const scada = [{ bus: '47', p_kW: 105, q_kvar: 75 }, { bus: '65', p_kW: 140, q_kvar: 100 }];
    const se = estimateState(net, pmu, scada, { taps: TAPS, pseudoLoadScale: 0.7 });
    const prior = createSolver(net, { controlMode: 'fixed' }).solve({ taps: TAPS, loadScale: 0.7 });
    let worstSe = 0, worstPrior = 0;
    for (const nd of se.nodes) {
      worstSe = Math.max(worstSe, Math.abs(nd.vPu - truth.vPu(nd.bus, nd.phase)));
      worstPrior = Math.max(worstPrior, Math.abs(prior.vPu(nd.bus, nd.phase) - truth.vPu(nd.bus, nd.phase)));
      expect(nd.status).toBe(pmu.some((m) => m.bus === nd.bus && m.phase === nd.phase) ? 'measured' : 'estimated');
      if (nd.status === 'measured') expect(Math.abs(nd.residual)).toBeLessThan(0.002);
      else expect(Number.isNaN(nd.residual)).toBe(true);
      expect(nd.sigmaPu).toBeGreaterThan(0);
    }
    expect(worstSe).toBeLessThan(0.002);
    expect(worstPrior).toBeGreaterThan(5 * worstSe); // the measurements, not the prior, did the work
    expect(se.nodes.length).toBe(net.n - 3 - 0); // every energised node-phase is reported
  });

  it('a forged PMU reading stands out as the worst-fitting measurement', () => {
    const truth = pf.solve(base);
    const buses = ['150', '13', '35', '60', '67', '76', '97', '108', '66', '114'];
    const pmu = buses.flatMap((b) => [1, 2, 3].filter((p) => net.index.has(`${b}.${p}`)).map((p) => ({ bus: b, phase: p, vPu: truth.vPu(b, p), angleDeg: truth.angleDeg(b, p) })));
    const clean = estimateState(net, pmu, [], { taps: TAPS, pseudoLoadScale: 0.8 });
    const forged = pmu.map((m) => (m.bus === '76' && m.phase === 2 ? { ...m, vPu: m.vPu + 0.05 } : m));
    const bad = estimateState(net, forged, [], { taps: TAPS, pseudoLoadScale: 0.8 });
    expect(bad.worst.label).toBe('pmu 76.2');
    expect(bad.worst.weightedResidual).toBeGreaterThan(3 * clean.worst.weightedResidual);
    expect(bad.objective).toBeGreaterThan(10 * clean.objective);
  });
});
