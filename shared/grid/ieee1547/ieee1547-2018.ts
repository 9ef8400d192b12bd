// IEEE 1547-2018 (60 Hz) abnormal-performance rules for Categories I, II, III, transcribed from
// shared/data/ieee1547-2018.md. Source tags S1..S7 are that file's; ⚠ numbers are Disputed with their alternatives.
import type { Disputed, Maybe, MinTime, RawRuleSet, Region, TripFunction, TripRule } from './types';

const INF = Number.POSITIVE_INFINITY;

function disputed<T>(id: string, value: T, provenance: string, alternatives: Disputed<T>['alternatives']): Disputed<T> {
  return { disputed: true, id, value, provenance, alternatives };
}
function fixed(s: number): MinTime {
  return { kind: 'fixed', s };
}
/** Region helper; bounds written as in the tables: "[" closed, "(" open. */
function r(id: string, mode: Region['mode'], lo: number, loClosed: boolean, hi: number, hiClosed: boolean, minTime: Maybe<MinTime>, sources: string): Region<Maybe<number>, Maybe<MinTime>> {
  return { id, mode, lo, hi, loClosed, hiClosed, minTime, sources };
}
function trip(fn: TripFunction, pickup: number, clearingS: number, pickupRange: [Maybe<number>, Maybe<number>], clearingRange: [Maybe<number>, Maybe<number>], sources: string): TripRule<Maybe<number>> {
  const quantity = fn[1] === 'V' ? 'V' : 'f';
  const direction = fn[0] === 'O' ? 'over' : 'under';
  return { fn, quantity, direction, default: { pickup, clearingS }, pickupRange, clearingRange, sources };
}

// High-voltage side is the same table for Categories I and II (Tables 14, 15; disagreement 5 is an S2 typo).
const HV_I_II = [
  r('HV.permissive1', 'permissive', 1.1, false, 1.15, true, fixed(1), '✔✔✔ S2, S3, S4'),
  r('HV.permissive2', 'permissive', 1.15, false, 1.175, true, fixed(0.5), '✔✔✔ S2, S3, S4'),
  r('HV.permissive3', 'permissive', 1.175, false, 1.2, true, fixed(0.2), '✔✔✔ S2, S3, S4'),
  r('HV.notRequired', 'notRequired', 1.2, false, INF, false, { kind: 'infinite' }, '✔✔ S2, S3 (trip per OV2)'),
];
const CONT_V = r('continuous', 'continuous', 0.88, true, 1.1, true, { kind: 'infinite' }, '✔✔✔');

const FREQ = [
  r('LF.notRequired', 'notRequired', -INF, false, 57.0, false, { kind: 'infinite' }, '✔✔ S2, S3 (trip per UF2)'),
  r('LF.mandatory', 'mandatory', 57.0, true, 58.8, false, fixed(299), '✔✔✔ S2, S3, S6 (LFRT 299 s)'),
  r('continuous', 'continuous', 58.8, true, 61.2, true, { kind: 'infinite' }, '✔✔ S2, S3'),
  r('HF.mandatory', 'mandatory', 61.2, false, 61.8, true, fixed(299), '✔✔✔ S2, S3, S6 (HFRT 61.8 Hz / 299 s)'),
  r('HF.notRequired', 'notRequired', 61.8, false, INF, false, { kind: 'infinite' }, '✔ S2 ("not defined" above 61.8; trip per OF2)'),
];

// Table 18 (same for Categories I–III): ✔✔ defaults S1, S2; ✔✔ ranges S1, S3.
const FREQ_TRIPS = [
  trip('OF2', 62.0, 0.16, [61.8, 66.0], [0.16, 1000], '✔✔ S1, S2, S3 (Table 18)'),
  trip('OF1', 61.2, 300, [61.0, 66.0], [180, 1000], '✔✔ S1, S2, S3 (Table 18)'),
  trip('UF1', 58.5, 300, [50.0, 59.0], [180, 1000], '✔✔ S1, S2, S3 (Table 18)'),
  trip('UF2', 56.5, 0.16, [50.0, 57.0], [0.16, 1000], '✔✔ S1, S2, S3 (Table 18)'),
];

const S1_CAT3 = 'S1 Table 13 (✔ one source)';
const CAT3_UV1_S3 = 'S3 (PyDSS) Category III block, mislabelled CATEGORY_I and never reached; 1547a-2020 may differ (unverified)';

export const IEEE1547_2018: RawRuleSet = {
  id: 'ieee1547-2018',
  title: 'IEEE Std 1547-2018, abnormal operating performance (60 Hz)',
  f0: 60,
  rocofWindowS: disputed('rocofWindow', 0.1, '⚠ averaging window of at least 0.1 s (1547-2018 §6.5.2.5 as recalled; not in shared/data)', [
    { key: 'GB', value: 0.5, provenance: 'GB G59 LoM RoCoF measured over 500 ms (synchrophasor-and-inertia.md)' },
  ]),
  categories: {
    I: {
      voltage: [
        r('LV.notRequired', 'notRequired', -INF, false, 0.5, false, { kind: 'infinite' }, '✔✔ S2, S3 (trip per UV2)'),
        r('LV.permissive', 'permissive', 0.5, true, 0.7, false, fixed(0.16), '✔✔ S2, S3'),
        r('LV.mandatory', 'mandatory', 0.7, true, 0.88, false,
          disputed<MinTime>('catI.lvMandatory', { kind: 'sloped', v0: 0.7, t0: 0.7, slope: 4 }, 'S2 formula 0.7 s + 4 s/p.u.·(V − 0.7): 1.42 s at 0.88', [
            { key: 'S3', value: { kind: 'sloped', v0: 0.7, t0: 0.7, slope: 0.8 / 0.18 }, provenance: 'S3 (NREL PyDSS) 0.7 s … 1.5 s at 0.88 p.u.' },
          ]), '✔ S2 ⚠ S3'),
        CONT_V,
        ...HV_I_II,
      ],
      frequency: FREQ,
      trips: [
        trip('OV2', 1.2, 0.16, [1.2, 1.2], [0.16, 0.16], '✔✔ S1, S2 (Table 11)'),
        trip('OV1', 1.1, 2.0, [1.1, 1.2], [1.0, 13.0], '✔✔ S1, S3 (Table 11)'),
        trip('UV1', 0.7, 2.0, [0.0, 0.88], [2.0, 21.0], '✔✔ S1, S3 (Table 11)'),
        trip('UV2', 0.45, 0.16, [0.0, 0.5], [0.16, 2.0], '✔✔ S1, S3 (Table 11)'),
        ...FREQ_TRIPS,
      ],
      rocofLimitHzPerS: 0.5,
    },
    II: {
      voltage: [
        r('LV.notRequired', 'notRequired', -INF, false, 0.3, false, { kind: 'infinite' }, '✔✔ S2, S4'),
        r('LV.permissive1', 'permissive', 0.3, true, 0.45, false, fixed(0.16), '✔✔✔ S2, S3, S4'),
        r('LV.permissive2', 'permissive', 0.45, true, 0.65, false, fixed(0.32), '✔✔✔ S2, S3, S4'),
        r('LV.mandatory', 'mandatory', 0.65, true, 0.88, false, { kind: 'sloped', v0: 0.65, t0: 3, slope: 8.7 }, '✔✔✔ S2 (formula), S3, S4'),
        CONT_V,
        ...HV_I_II,
      ],
      frequency: FREQ,
      trips: [
        trip('OV2', 1.2, 0.16, [1.2, 1.2], [0.16, 0.16], '✔✔ S1, S2 (Table 12)'),
        trip('OV1', 1.1, 2.0, [1.1, 1.2], [1.0, 13.0], '✔ S1 (Table 12)'),
        trip('UV1', 0.7, 10.0, [0.0, 0.88], [2.0, 21.0], '✔ S1 (Table 12)'),
        trip('UV2', 0.45, 0.16,
          [0.0, disputed('catII.UV2.pickupRange', 0.5, 'S1 Table 12: 0–0.50 p.u.', [{ key: 'S3', value: 0.45, provenance: 'S3: 0–0.45 p.u. (upper bound equals the default: probably a typo)' }])],
          [0.16, 2.0], '✔ S1 (Table 12) ⚠ S3'),
        ...FREQ_TRIPS,
      ],
      rocofLimitHzPerS: 2.0,
    },
    III: {
      voltage: [
        r('LV.momentaryCessation', 'momentaryCessation', -INF, false, 0.5, false, fixed(1), '✔✔✔ S2, S5, S6'),
        r('LV.mandatory1', 'mandatory', 0.5, true, 0.7, false, fixed(10), '✔✔✔ S2, S5, S6'),
        r('LV.mandatory2', 'mandatory', 0.7, true, 0.88, false,
          disputed<MinTime>('catIII.lvMandatory2', fixed(20), 'S2, S5: 20 s', [{ key: 'S3', value: fixed(21), provenance: 'S3 (PyDSS): 21 s (equals the Cat III UV1 default clearing time)' }]),
          '✔✔ S2, S5 ⚠ S3'),
        CONT_V,
        r('HV.momentaryCessation', 'momentaryCessation', 1.1, false, 1.2, true, fixed(12), '✔✔✔ S2, S5, S6'),
        r('HV.notRequired', 'notRequired', 1.2, false, INF, false, { kind: 'infinite' }, '✔✔ S2, S5 (trip per OV2)'),
      ],
      frequency: FREQ,
      trips: [
        trip('OV2', 1.2, 0.16, [1.2, 1.2], [0.16, 0.16], S1_CAT3),
        trip('OV1', 1.1, 13.0, [1.1, 1.2], [1.0, 13.0], S1_CAT3),
        trip('UV1', 0.88, 21.0, [0.0, 0.88], [
          disputed('catIII.UV1.clearingRange', 21.0, 'S1 Table 13: 21–50 s', [{ key: 'S3', value: 2.0, provenance: CAT3_UV1_S3 }]),
          disputed('catIII.UV1.clearingRange', 50.0, 'S1 Table 13: 21–50 s', [{ key: 'S3', value: 21.0, provenance: CAT3_UV1_S3 }]),
        ], S1_CAT3),
        trip('UV2', 0.5, 2.0, [0.0, 0.5], [2.0, 21.0], S1_CAT3),
        ...FREQ_TRIPS,
      ],
      rocofLimitHzPerS: 3.0,
    },
  },
  sync: {
    limits: [
      { maxKva: 500, dfHz: 0.3, dvPct: 10, dPhiDeg: 20 },
      { maxKva: 1500, dfHz: 0.2, dvPct: 5, dPhiDeg: 15 },
      { maxKva: INF, dfHz: 0.1, dvPct: 3, dPhiDeg: 10 },
    ],
    provenance: '⚠ weakly sourced: one secondary note citing 1547-2018 §4.10 Table 5; matches 1547-2003 Table 5 as commonly reproduced. Check before enforcing as an interlock.',
  },
  notes: [
    'Voltages in p.u. of nominal; LV judged on the lowest phase, HV on the highest (S2 v_low_pu/v_high_pu).',
    'Trip times are clearing times; ride-through times are minimum times.',
    'IEEE 1547a-2020 changed some Category III provisions; its table changes were not retrievable (⚠).',
  ],
};
