// The IEEE 13-node feeder against the GridLAB-D autotest reference voltages (its own assert tolerances, in volts,
// applied to the complex difference), with the published regulator taps; and its tap changer in automatic mode.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { feedersDir, loadFeeder } from '../../../main/services/feeders/load-feeder';
import { IEEE13_PUBLISHED_TAPS } from '../../../shared/grid/ieee-published';
import { buildNetwork } from '../../../shared/grid/network';
import { createSolver } from '../../../shared/grid/solver';

const ref = readFileSync(join(feedersDir(), 'ieee13', 'IEEE13_reference_voltages_gridlabd_autotest.csv'), 'utf8')
  .trim().split('\n').slice(1)
  .map((l) => { const c = l.split(','); return { label: `${c[1]}.${c[2]}`, bus: c[1], phase: 'ABC'.indexOf(c[2]) + 1, volts: Number(c[3]), deg: Number(c[4]), tol: Number(c[5]), base: Number(c[6]) }; });

/** Explained exceptions, each with the check that replaces the GridLAB-D tolerance. */
const EXCEPTIONS: Record<string, { reason: string; check: { pu: number; deg: number; tolPu: number; tolDeg: number } | { tolVolts: number } }> = {
  '652.A': {
    reason: 'The data README notes GridLAB-D gives 0.9840∠-5.21 where the published IEEE table gives 0.9825∠-5.25; we match the published figure.',
    check: { pu: 0.9825, deg: -5.25, tolPu: 0.001, tolDeg: 0.05 },
  },
  '684.C': {
    reason:
      'Phase C below 671 runs ~2.6 V above GridLAB-D at every node (671, 680, 692, 675, 611), where GridLAB-D itself widens the tolerance to 8-10 V ("V_C not exactly matching"); 684.C alone was left at 2 V. ' +
      'The gap comes from how the 632-671 distributed load is lumped: the OpenDSS file puts it all at 670, 1/3 along; lumping it at 671 instead moves 671.C by -12 V. Checked at the 8 V of its siblings.',
    check: { tolVolts: 8 },
  },
};

describe('IEEE 13-node feeder vs GridLAB-D reference voltages', () => {
  const model = loadFeeder('ieee13');
  const pf = createSolver(buildNetwork(model));
  const r = pf.solve({ taps: IEEE13_PUBLISHED_TAPS, controlMode: 'fixed' });
  const diffVolts = (row: (typeof ref)[number]) => {
    const v = r.vPu(row.bus, row.phase) * row.base, a = (r.angleDeg(row.bus, row.phase) * Math.PI) / 180, b = (row.deg * Math.PI) / 180;
    return Math.hypot(v * Math.cos(a) - row.volts * Math.cos(b), v * Math.sin(a) - row.volts * Math.sin(b));
  };

  it('the substation transformer (delta-wye, source at +30 deg) puts bus 650 at 0 deg', () => {
    expect(Math.abs(r.angleDeg('650', 1))).toBeLessThan(0.05);
    expect(Math.abs(r.angleDeg('650', 2) + 120)).toBeLessThan(0.05);
  });

  it('every reference row is within its tolerance (bar two explained exceptions)', () => {
    const failures = ref.filter((row) => !EXCEPTIONS[row.label] && !(diffVolts(row) <= row.tol)).map((row) => `${row.label} off by ${diffVolts(row).toFixed(2)} V (tol ${row.tol})`);
    expect(failures).toEqual([]);
    expect(ref.length).toBe(32);
  });

  it('the exceptions pass their replacement checks', () => {
    for (const [label, e] of Object.entries(EXCEPTIONS)) {
      const row = ref.find((x) => x.label === label) as (typeof ref)[number];
      if ('tolVolts' in e.check) expect(diffVolts(row)).toBeLessThan(e.check.tolVolts);
      else {
        expect(Math.abs(r.vPu(row.bus, row.phase) - e.check.pu)).toBeLessThan(e.check.tolPu);
        expect(Math.abs(r.angleDeg(row.bus, row.phase) - e.check.deg)).toBeLessThan(e.check.tolDeg);
      }
    }
  });

  it('the automatic tap changer (LDC R=3 X=9) lands on the published taps', () => {
    const auto = createSolver(buildNetwork(model)).solve({ controlMode: 'auto' });
    expect(auto.taps).toEqual({ Reg1: 10, Reg2: 8, Reg3: 11 });
  });

  it('the 480 V secondary of XFM1 has its own base', () => {
    expect(model.buses.find((b) => b.name === '634')?.kVBase).toBe(0.48);
    expect(r.vPu('634', 1)).toBeGreaterThan(0.98);
  });
});
