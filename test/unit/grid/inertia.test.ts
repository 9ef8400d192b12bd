// Inertia from synthetic swing-equation data with PMU noise: H in {2, 4, 8} s within 10 %, withheld when the
// microgrid is grid-connected, when ΔP is unknown and when RoCoF is below three times the PMU error.
import { describe, expect, it } from 'vitest';
import { estimateInertia, kineticEnergy } from '../../../shared/grid/inertia/estimate';
import { fitSlope } from '../../../shared/grid/inertia/fit';
import { SlidingSlope } from '../../../shared/grid/inertia/rocof';
import { InertiaMonitor, type InertiaReport } from '../../../shared/grid/inertia/monitor';
import { swing } from './swing';

const base = { sMva: 10, f0: 60, deltaPMw: 1.5, tStepMs: 2000, durationMs: 4000, fps: 60, pmus: 3, noiseHz: 0.005, swingHz: 0.01 };

describe('inertia estimate H = ΔP·f0 / (2·S·RoCoF)', () => {
  it.each([2, 4, 8])('recovers H = %i s within 10 %% with PMU noise and local swings', (hS) => {
    const pmus = swing({ ...base, hS, seed: hS });
    const r = estimateInertia({ island: 'MG1', tEventMs: 2000, f0: 60, sMva: 10, pmus, deltaP: { mw: 1.5, sigmaMw: 0.02, source: 'GEN2 trip' }, gridConnected: false });
    expect(r.status).toBe('estimate');
    if (r.status !== 'estimate') return;
    expect(Math.abs(r.hS - hS) / hS).toBeLessThan(0.1);
    expect(r.kineticEnergyMWs).toBeCloseTo(r.hS * 10, 6);
    expect(r.pmus).toHaveLength(3);
    expect(r.relSigma).toBeGreaterThan(0);
    expect(['high', 'medium']).toContain(r.confidence);
  });
  it('is withheld when grid-connected, when ΔP is unknown, and when RoCoF is below 3x the PMU error', () => {
    const pmus = swing({ ...base, hS: 4 });
    const common = { island: 'MG1', tEventMs: 2000, f0: 60, sMva: 10, pmus };
    expect(estimateInertia({ ...common, deltaP: { mw: 1.5, sigmaMw: 0.02, source: 'x' }, gridConnected: true })).toMatchObject({ status: 'withheld', reason: 'grid-connected' });
    expect(estimateInertia({ ...common, gridConnected: false })).toMatchObject({ status: 'withheld', reason: 'deltaP-unknown' });
    // A grid-connected feeder: the bulk system holds frequency; its RoCoF is noise only.
    const stiff = swing({ ...base, hS: 4, sMva: 100_000, seed: 9 });
    expect(estimateInertia({ ...common, pmus: stiff, deltaP: { mw: 1.5, sigmaMw: 0.02, source: 'x' }, gridConnected: false })).toMatchObject({ status: 'withheld', reason: 'rocof-below-noise' });
  });
  it('a poor ΔP lowers the confidence', () => {
    const pmus = swing({ ...base, hS: 4, seed: 3 });
    const r = estimateInertia({ island: 'MG1', tEventMs: 2000, f0: 60, sMva: 10, pmus, deltaP: { mw: 1.5, sigmaMw: 0.5, source: 'estimated' }, gridConnected: false });
    expect(r).toMatchObject({ status: 'estimate', confidence: 'low' });
  });
  it('kinetic energy sums H·S of online units only', () => {
    expect(kineticEnergy([{ hS: 4, sMva: 2, online: true }, { hS: 3, sMva: 5, online: false }, { hS: 0.5, sMva: 1, online: true }])).toEqual({ kineticEnergyMWs: 8.5, onlineMva: 3 });
  });
  it('fit and sliding RoCoF agree with an exact ramp', () => {
    const t = Array.from({ length: 61 }, (_, i) => i * 10);
    const f = t.map((x) => 60 - 0.7 * (x / 1000));
    expect(fitSlope(t, f, 0, 600).slope).toBeCloseTo(-0.7, 9);
    const s = new SlidingSlope(100);
    let last = Number.NaN;
    for (let i = 0; i < t.length; i++) last = s.push(t[i], f[i]);
    expect(last).toBeCloseTo(-0.7, 9);
  });
});

describe('streaming inertia monitor', () => {
  const feed = (hS: number, connected: boolean, withP: boolean) => {
    const out: InertiaReport[] = [];
    const m = new InertiaMonitor(
      { island: 'MG1', f0: 60, inputs: [{ role: 'f', pmu: 'PMU1' }, { role: 'f', pmu: 'PMU2' }, { role: 'f', pmu: 'PMU3' }, { role: 'P', unit: 'GEN2', toMw: 0.001 }, { role: 'breaker' }, { role: 'online', unit: 'GEN1' }], units: [{ unit: 'GEN1', hS, sMva: 10 }] },
      (r) => out.push(r),
    );
    const pmus = swing({ ...base, hS, seed: 7 });
    m.push(5, 0, 1, 0);
    m.push(4, 0, connected ? 1 : 0, 0);
    for (let k = 0; k < pmus[0].t.length; k++) {
      const t = pmus[0].t[k];
      for (let j = 0; j < 3; j++) m.push(j, t, pmus[j].f[k], 0);
      if (withP && k % 6 === 0) m.push(3, t, t >= 2000 ? 0 : 1500, 0); // SCADA kW at 10 Hz
    }
    m.flush();
    return out;
  };
  it('estimates H after a SCADA-reported unit trip and reports kinetic energy', () => {
    const out = feed(4, false, true);
    expect(out[0]).toMatchObject({ kind: 'kinetic-energy', kineticEnergyMWs: 40, onlineMva: 10 });
    const e = out.find((r) => r.kind === 'estimate');
    expect(e).toMatchObject({ status: 'estimate', deltaPMw: 1.5, tEventMs: 2000 });
    if (e?.kind === 'estimate' && e.status === 'estimate') expect(Math.abs(e.hS - 4) / 4).toBeLessThan(0.1);
  });
  it('withholds when connected, and when no ΔP explains the transient', () => {
    expect(feed(4, true, true).find((r) => r.kind === 'estimate')).toMatchObject({ status: 'withheld', reason: 'grid-connected' });
    expect(feed(4, false, false).find((r) => r.kind === 'estimate')).toMatchObject({ status: 'withheld', reason: 'deltaP-unknown' });
  });
});
