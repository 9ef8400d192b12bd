// DER ride-through state machine against IEEE 1547-2018 numbers written out here (Tables 11-13 defaults, the
// enter-service defaults and the 2 s unintentional-island limit), and the swing island against its closed form.
import { describe, expect, it } from 'vitest';
import { DerStatus } from '../../../shared/domain/signals';
import { Der, type DerConfig } from '../../../main/services/simulator/der';
import { SwingIsland } from '../../../main/services/simulator/frequency';
import { Microgrid } from '../../../main/services/simulator/microgrid';
import { isAppError } from '../../../shared/errors';
import { stepResponse } from '../../integration/simulator/closed-form';

const pv = (abnormalCategory: DerConfig['abnormalCategory']): Der =>
  new Der({ name: 'PV', kind: 'pv', bus: '1', kVA: 100, pMaxKW: 100, pMinKW: 0, qMaxKvar: 44, normalCategory: 'B', abnormalCategory, gridForming: false, h: 0, droop: 0.05, tgS: 0.5, voltVar: true, pSetKW: 100 });
const grid = { vMinPu: 1, vMaxPu: 1, fHz: 60, energized: true, unintentionalIsland: false, availability: 1 };
const dt = 0.005;
/** Runs a DER through `seconds` at the given terminal conditions; returns the time of each status change. */
function run(d: Der, seconds: number, inp: Partial<typeof grid>, log: Array<[number, DerStatus]>, t0: number): number {
  for (let t = t0; t < t0 + seconds - 1e-9; t += dt) {
    const before = d.status;
    d.step(dt, { ...grid, ...inp });
    if (d.status !== before) log.push([Math.round((t + dt) * 1000) / 1000, d.status]);
  }
  return t0 + seconds;
}

describe('DER ride-through (IEEE 1547-2018 defaults)', () => {
  it('Category III ceases below 0.50 p.u. and restores; Categories I and II trip on UV2 after 0.16 s', () => {
    for (const [cat, trips] of [['I', 0.16], ['II', 0.16], ['III', undefined]] as const) {
      const d = pv(cat), log: Array<[number, DerStatus]> = [];
      let t = run(d, 1, {}, log, 0);
      t = run(d, 1, { vMinPu: 0.3, vMaxPu: 0.3 }, log, t);
      run(d, 1, {}, log, t);
      expect(log[0]).toEqual([1.005, DerStatus.MomentaryCessation]);
      if (trips) expect(log[1]).toEqual([Number((1 + trips).toFixed(3)), DerStatus.Tripped]);
      else expect(log).toEqual([[1.005, DerStatus.MomentaryCessation], [2.005, DerStatus.Running]]);
      expect(d.pKW).toBe(trips ? 0 : 100);
    }
  });

  it('after a trip, waits for 300 s inside 0.917-1.05 p.u. and 59.5-60.1 Hz, then ramps over 300 s', () => {
    const d = pv('II'), log: Array<[number, DerStatus]> = [];
    d.trip('test');
    let t = run(d, 100, { fHz: 60.2 }, log, 0); // frequency outside the enter-service window: keeps waiting
    expect(d.status).toBe(DerStatus.Tripped);
    t = run(d, 299, {}, log, t);
    expect(d.status).toBe(DerStatus.EnterServiceWait);
    t = run(d, 1.01, {}, log, t);
    expect(d.status).toBe(DerStatus.Running);
    t = run(d, 150, {}, log, t);
    expect(d.pKW).toBeGreaterThan(45);
    expect(d.pKW).toBeLessThan(55); // half way up the 300 s ramp
    run(d, 151, {}, log, t);
    expect(d.pKW).toBeCloseTo(100, 0);
  });

  it('an unintentional island trips within 2 s whatever the voltage', () => {
    const d = pv('III'), log: Array<[number, DerStatus]> = [];
    run(d, 3, { unintentionalIsland: true }, log, 0);
    expect(log).toEqual([[2, DerStatus.Tripped]]);
    expect(d.tripCause).toBe('island');
  });
});

describe('swing island', () => {
  it('follows the closed-form step response for H = 2, 4, 8 s', () => {
    for (const h of [2, 4, 8]) {
      const isl = new SwingIsland({ f0: 60, units: [{ name: 'g', sMVA: 1, h, droop: 0.05, tg: 1, pMinMW: -10, pMaxMW: 10 }], damping: 1, dampingBaseMW: 1 }, [0.5]);
      isl.demandMW = 0.5 + 0.2;
      const cf = stepResponse({ f0: 60, h, droop: 0.05, damping: 1, tg: 1, dP: 0.2 });
      for (let k = 1; k <= 2000; k++) {
        isl.step(0.005);
        if (k % 100 === 0) expect(Math.abs(isl.df - cf.df(k * 0.005))).toBeLessThan(1e-4);
      }
    }
  });

  it('the PCC relay refuses outside its limits and names the quantity', () => {
    const gfm = new Der({ name: 'G', kind: 'diesel', bus: '1', kVA: 500, pMaxKW: 500, pMinKW: 0, qMaxKvar: 200, normalCategory: 'B', abnormalCategory: 'III', gridForming: true, h: 3, droop: 0.05, tgS: 1, voltVar: false, pSetKW: 200 });
    gfm.pKW = 200;
    const mg = new Microgrid({ name: 'M', pccBranch: 'x', syncDelayS: 100, loadDamping: 0, syncLimits: { dfHz: 0.1, dvPct: 3, dphiDeg: 10, source: 'test' } }, new Set(['1']), [gfm]);
    mg.island(0, 0.1, 0.3, 0, 0, 1, 60, 0);
    for (let k = 0; k < 200; k++) mg.step(k * dt, dt, 0.3, 0, 60, 0, 1, 1);
    const e = (() => { try { mg.reconnect(60, 0, 1); } catch (x) { return x; } })();
    expect(isAppError(e, 'INTERLOCK')).toBe(true);
    expect((e as Error & { info: { quantity: string } }).info.quantity).toBe('frequency');
  });
});
