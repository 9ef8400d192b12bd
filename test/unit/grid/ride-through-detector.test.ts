// The detector against the ride-through tables: just inside and just past each region's minimum time (both ends
// of the sloped lines), every trip clearing time of every category, compliance from DER status, data faults.
import { describe, expect, it } from 'vitest';
import { DerStatus } from '../../../shared/domain/signals';
import type { Category } from '../../../shared/grid/ieee1547';
import type { GridEvent } from '../../../shared/grid/events';
import { makeDetector, run } from './helpers';

const MAY = ['may-trip', 'must-trip'];
// [category, V p.u., minimum time s, requirement while inside]: one value per non-continuous region, sloped ends twice.
const HOLDS: Array<[Category, number, number, string]> = [
  ['I', 0.6, 0.16, 'may-cease'], ['I', 0.7, 0.7, 'ride-through'], ['I', 0.879, 0.7 + 4 * 0.179, 'ride-through'],
  ['I', 1.12, 1, 'may-cease'], ['I', 1.16, 0.5, 'may-cease'], ['I', 1.19, 0.2, 'may-cease'],
  ['II', 0.35, 0.16, 'may-cease'], ['II', 0.5, 0.32, 'may-cease'], ['II', 0.65, 3, 'ride-through'], ['II', 0.879, 3 + 8.7 * 0.229, 'ride-through'],
  ['II', 1.12, 1, 'may-cease'], ['II', 1.16, 0.5, 'may-cease'], ['II', 1.19, 0.2, 'may-cease'],
  ['III', 0.3, 1, 'must-cease'], ['III', 0.6, 10, 'ride-through'], ['III', 0.8, 20, 'ride-through'], ['III', 1.15, 12, 'must-cease'],
];

function one(events: GridEvent[]): GridEvent {
  expect(events).toHaveLength(1);
  return events[0];
}

describe('voltage ride-through minimum times', () => {
  it.each(HOLDS)('Category %s at %f p.u.: %f s minimum, %s inside it, trip allowed after', (cat, v, tMin, inside) => {
    const before = one(run(cat, [{ untilS: 1 }, { untilS: 1 + tMin - 0.03, v }, { untilS: 1 + tMin + 3 }], { dtMs: 10 }));
    expect(before.verdict?.requirement).toBe(inside);
    const after = one(run(cat, [{ untilS: 1 }, { untilS: 1 + tMin + 0.03, v }, { untilS: 1 + tMin + 3 }], { dtMs: 10 }));
    expect(MAY).toContain(after.verdict?.requirement);
  });
  it('beyond the curves (Cat I V < 0.50, Cat II V < 0.30, V > 1.20) trip is allowed at once', () => {
    for (const [cat, v] of [['I', 0.49], ['II', 0.29], ['III', 1.21]] as Array<[Category, number]>) {
      expect(MAY).toContain(one(run(cat, [{ untilS: 1 }, { untilS: 1.04, v }, { untilS: 3 }], { dtMs: 10 })).verdict?.requirement);
    }
  });
  it('the S3 alternative moves the Cat I line end to 1.5 s', () => {
    const r = (choices: Record<string, string>) => one(run('I', [{ untilS: 1 }, { untilS: 2.46, v: 0.879 }, { untilS: 4 }], { dtMs: 10, choices })).verdict?.requirement;
    expect(r({})).toBe('may-trip');
    expect(r({ 'catI.lvMandatory': 'S3' })).toBe('ride-through');
  });
  it('frequency: 299 s of mandatory operation in 57.0–58.8 and 61.2–61.8 Hz (ramped at 0.5 Hz/s, below every RoCoF limit)', () => {
    for (const [target, dir] of [[57.5, -1], [61.5, 1]]) {
      const requirement = (holdS: number): string | undefined => {
        const out: GridEvent[] = [];
        const d = makeDetector('II', (e) => out.push(e));
        // Trapezoid at 0.5 Hz/s: crosses the band edge 2.4 s after leaving 60 Hz, on the way out and back.
        const tEnd = 5800 + holdS * 1000;
        for (let k = 0; k * 50 < 400_000; k++) {
          const t = k * 50;
          const dev = Math.max(0, Math.min(Math.abs(target - 60), (0.5 * (t - 1000)) / 1000, (0.5 * (tEnd - t)) / 1000));
          d.push(3, t, 60 + dir * dev, 0);
        }
        d.flush();
        return out.find((e) => e.phase === 'closed')?.verdict?.requirement;
      };
      expect(requirement(298.9)).toBe('ride-through');
      expect(requirement(299.1)).toBe('may-trip');
    }
  });
});

// [fn, category, value beyond the default pickup, quantity, clearing s]
const TRIPS: Array<[string, Category, number, 'V' | 'f', number]> = [];
for (const cat of ['I', 'II', 'III'] as Category[]) {
  TRIPS.push(['OV2', cat, 1.21, 'V', 0.16], ['OV1', cat, 1.12, 'V', cat === 'III' ? 13 : 2]);
  TRIPS.push(['UV1', cat, cat === 'III' ? 0.87 : 0.69, 'V', { I: 2, II: 10, III: 21 }[cat]], ['UV2', cat, cat === 'III' ? 0.49 : 0.44, 'V', cat === 'III' ? 2 : 0.16]);
  TRIPS.push(['OF2', cat, 62.1, 'f', 0.16], ['OF1', cat, 61.5, 'f', 300], ['UF1', cat, 58.4, 'f', 300], ['UF2', cat, 56.4, 'f', 0.16]);
}

describe('trip clearing times (defaults of Tables 11, 12, 13, 18)', () => {
  it.each(TRIPS)('%s Category %s at %f (%s): must trip by %f s after pickup', (fn, cat, x, q, clearing) => {
    const dtMs = clearing > 100 ? 200 : 10;
    const hold = (s: number) => one(run(cat, [{ untilS: 1 }, { untilS: 1 + s, ...(q === 'V' ? { v: x } : { f: x }) }, { untilS: 3 + s }], { dtMs }));
    const short = hold(clearing - (2 * dtMs) / 1000);
    expect(short.verdict?.mustTrip.map((m) => m.fn)).not.toContain(fn);
    const long = hold(clearing + (2 * dtMs) / 1000);
    const m = long.verdict?.mustTrip.find((z) => z.fn === fn);
    expect(m).toMatchObject({ pickupMs: 1000, deadlineMs: 1000 + clearing * 1000, clearingS: clearing });
    expect(long.verdict?.requirement).toBe('must-trip');
    expect(long.verdict?.violations.map((z) => z.fn)).toContain(fn); // status stayed Running: failed to trip
  });
  it('an override moves the clearing time (UV1 Cat II 0.80 p.u. / 5 s)', () => {
    const e = one(run('II', [{ untilS: 1 }, { untilS: 6.1, v: 0.75 }, { untilS: 8 }], { overrides: { UV1: { pickup: 0.8, clearingS: 5 } } }));
    expect(e.verdict?.mustTrip[0]).toMatchObject({ fn: 'UV1', deadlineMs: 6000 });
  });
});

describe('compliance from DER status telemetry', () => {
  it('a trip by the clearing time is compliant; tripping inside the mandatory region is not', () => {
    const ok = one(run('III', [{ untilS: 1 }, { untilS: 22.05, v: 0.8 }, { untilS: 25, status: DerStatus.Tripped }]));
    expect(ok.verdict).toMatchObject({ compliance: 'compliant', trippedAtMs: 22060 });
    const early = one(run('III', [{ untilS: 1 }, { untilS: 6, v: 0.8 }, { untilS: 9, status: DerStatus.Tripped }, { untilS: 12, v: 1 }]));
    expect(early.verdict?.compliance).toBe('non-compliant');
    expect(early.verdict?.violations[0]).toMatchObject({ kind: 'tripped-during-ride-through', atMs: 6000 });
  });
  it('momentary cessation is allowed in a permissive region, not in a mandatory one; Cat III must cease', () => {
    const perm = one(run('II', [{ untilS: 1 }, { untilS: 1.2, v: 0.5, status: DerStatus.MomentaryCessation }, { untilS: 3, v: 1, status: DerStatus.Running }]));
    expect(perm.verdict?.compliance).toBe('compliant');
    const mand = one(run('II', [{ untilS: 1 }, { untilS: 2, v: 0.8, status: DerStatus.MomentaryCessation }, { untilS: 4, v: 1, status: DerStatus.Running }]));
    expect(mand.verdict?.violations.map((v) => v.kind)).toEqual(['ceased-during-mandatory']);
    const mc = one(run('III', [{ untilS: 1 }, { untilS: 1.8, v: 0.3 }, { untilS: 4, v: 1 }]));
    expect(mc.verdict?.violations.map((v) => v.kind)).toEqual(['did-not-cease']);
  });
  it('no status stream gives compliance unknown; a DER already off is not applicable', () => {
    const out: GridEvent[] = [];
    const d = makeDetector('II', (e) => out.push(e));
    for (let k = 0; k < 200; k++) for (const i of [0, 1, 2]) d.push(i, k * 20, k > 50 && k < 100 ? 0.8 : 1, 0);
    d.flush();
    expect(out.filter((e) => e.phase === 'closed')[0].verdict?.compliance).toBe('unknown');
    expect(one(run('II', [{ untilS: 1, status: DerStatus.Off }, { untilS: 2, v: 0.8 }, { untilS: 4, v: 1 }])).verdict?.compliance).toBe('not-applicable');
  });
});

describe('phases, hysteresis, merging and data faults', () => {
  it('judges low voltage on the lowest phase and high voltage on the highest', () => {
    const out: GridEvent[] = [];
    const d = makeDetector('II', (e) => out.push(e));
    for (let k = 0; k < 300; k++) {
      const t = k * 20;
      const dip = k >= 50 && k < 100;
      d.push(0, t, dip ? 0.6 : 1, 0);
      d.push(1, t, dip ? 1.16 : 1, 0);
      d.push(2, t, 1, 0);
      d.push(3, t, 60, 0);
    }
    d.flush();
    const e = out.find((x) => x.phase === 'closed')!;
    expect(e.vMinPu).toBe(0.6);
    expect(e.vMaxPu).toBe(1.16);
    expect(e.verdict?.regions.map((r) => r.region)).toEqual(expect.arrayContaining(['LV.permissive2', 'HV.permissive2']));
  });
  it('merges excursions closer than mergeMs into one event and splits those further apart', () => {
    const steps = (gapS: number) => [{ untilS: 1 }, { untilS: 1.2, v: 0.8 }, { untilS: 1.2 + gapS, v: 1 }, { untilS: 1.4 + gapS, v: 0.8 }, { untilS: 4 + gapS, v: 1 }];
    expect(run('II', steps(0.5))).toHaveLength(1);
    expect(run('II', steps(1.5))).toHaveLength(2);
    // Chatter around the band edge within the hysteresis stays one excursion.
    const chatter = run('II', [{ untilS: 1 }, { untilS: 1.1, v: 0.87 }, { untilS: 1.2, v: 0.885 }, { untilS: 1.3, v: 0.87 }, { untilS: 3, v: 1 }]);
    expect(chatter).toHaveLength(1);
    expect(chatter[0].endMs).toBe(1300);
  });
  it('bad quality and gaps suspend judgement and never make an event on their own', () => {
    const out: GridEvent[] = [];
    const d = makeDetector('II', (e) => out.push(e));
    for (let k = 0; k < 200; k++) for (const i of [0, 1, 2, 3]) d.push(i, k * 20, i < 3 ? 0.5 : 60, i < 3 ? 0x80000000 : 0);
    d.flush();
    expect(out).toHaveLength(0);
    expect(d.counters.badQuality).toBe(600);
    // A dip with a 2 s hole in the middle: time in the hole is suspended, not counted as mandatory operation.
    const ev: GridEvent[] = [];
    const g = makeDetector('II', (e) => ev.push(e));
    for (let k = 0; k < 400; k++) {
      if (k > 100 && k < 200) continue;
      for (const i of [0, 1, 2, 3]) g.push(i, k * 20, i < 3 ? (k >= 50 && k < 250 ? 0.8 : 1) : 60, 0);
    }
    g.flush();
    const e = ev.find((x) => x.phase === 'closed')!;
    expect(e.suspendedMs).toBeCloseTo(2000, -1);
    expect(e.verdict?.regions.find((r) => r.region === 'LV.mandatory')?.ms).toBeCloseTo(2000, -1);
    expect(e.verdict?.judgedFraction).toBeCloseTo(0.5, 1);
  });
  it('counts NaN, infinities, duplicates, out-of-order and late samples without throwing', () => {
    const d = makeDetector('II', () => undefined, { settings: { latenessMs: 100 } });
    d.push(0, 0, 1, 0);
    d.push(0, 20, Number.NaN, 0);
    d.push(0, 40, Number.POSITIVE_INFINITY, 0);
    d.push(0, 60, 1, 0);
    d.push(0, 60, 1, 0); // duplicate
    d.push(0, 50, 1, 0); // out of order, within lateness: reordered
    d.push(0, 500, 1, 0);
    d.push(0, 100, 1, 0); // out of order and older than the watermark: late
    d.push(0, Number.NaN, 1, 0); // no usable time
    d.flush();
    expect(d.counters).toMatchObject({ samples: 9, nan: 2, infinite: 1, duplicate: 1, outOfOrder: 2, late: 1 });
  });
});
