// IEEE 1547-2018 settings a simulated DER starts from, per category: trips and bands from the shared rule set
// (shared/grid/ieee1547), volt-var (Table 8) and enter-service defaults from shared/data/ieee1547-2018.md.
import { categoryRules, resolveRuleSet, syncLimitFor } from '../../../shared/grid/ieee1547';

export type NormalCategory = 'A' | 'B';
export type AbnormalCategory = 'I' | 'II' | 'III';

/** A must-trip function: magnitude threshold (p.u. or Hz) and clearing time (s). */
export interface TripSetting {
  level: number;
  clearS: number;
}

export interface RideThroughSettings {
  ov2: TripSetting;
  ov1: TripSetting;
  uv1: TripSetting;
  uv2: TripSetting;
  of2: TripSetting;
  of1: TripSetting;
  uf1: TripSetting;
  uf2: TripSetting;
  /** Below this voltage (p.u.) the DER ceases to energize (momentary cessation), without tripping. */
  mcLowPu: number;
  /** Above this voltage (p.u.) the DER ceases to energize. */
  mcHighPu: number;
  enterService: { vMinPu: number; vMaxPu: number; fMinHz: number; fMaxHz: number; delayS: number; rampS: number };
  /** Unintentional-island detection time, s (1547-2018 §8.1: cease and trip within 2 s). */
  islandTripS: number;
}

/** Default volt-var curve points (V p.u., Q as a fraction of nameplate kVA, + = injection) and response time. */
export interface VoltVar {
  v: [number, number, number, number];
  q: [number, number, number, number];
  olrtS: number;
}

export const VOLT_VAR_DEFAULTS: Record<NormalCategory, VoltVar> = {
  A: { v: [0.9, 1.0, 1.0, 1.1], q: [0.25, 0, 0, -0.25], olrtS: 10 },
  B: { v: [0.92, 0.98, 1.02, 1.08], q: [0.44, 0, 0, -0.44], olrtS: 5 },
};

const RULES = resolveRuleSet('ieee1547-2018');
const ENTER = { vMinPu: 0.917, vMaxPu: 1.05, fMinHz: 59.5, fMaxHz: 60.1, delayS: 300, rampS: 300 };

/**
 * Trip defaults come from the shared rule set (shared/grid/ieee1547, Tables 11-13 and 18). Momentary cessation:
 * below the top of a 'momentaryCessation' band where the category has one (Category III: 0.50 and 1.10 p.u.),
 * otherwise below the UV2 pickup and above the OV1 pickup (our reading of the permissive bands of Categories I/II).
 */
export function rideThroughDefaults(cat: AbnormalCategory): RideThroughSettings {
  const c = categoryRules(RULES, cat);
  const trip = (fn: string): TripSetting => {
    const t = c.trips.find((x) => x.fn === fn);
    if (!t) throw new Error(`rule set ${RULES.id} Category ${cat} has no ${fn}`);
    return { level: t.default.pickup, clearS: t.default.clearingS };
  };
  const mcLow = c.voltage.find((r) => r.mode === 'momentaryCessation' && r.lo === -Infinity);
  const mcHigh = c.voltage.find((r) => r.mode === 'momentaryCessation' && r.hi > 1);
  return {
    ov2: trip('OV2'), ov1: trip('OV1'), uv1: trip('UV1'), uv2: trip('UV2'),
    of2: trip('OF2'), of1: trip('OF1'), uf1: trip('UF1'), uf2: trip('UF2'),
    mcLowPu: mcLow ? mcLow.hi : trip('UV2').level,
    mcHighPu: mcHigh ? mcHigh.lo : trip('OV1').level,
    enterService: { ...ENTER },
    islandTripS: 2,
  };
}

/** Interpolates a volt-var curve (flat outside its end points). */
export function voltVarQ(curve: VoltVar, vPu: number): number {
  const { v, q } = curve;
  if (vPu <= v[0]) return q[0];
  if (vPu >= v[3]) return q[3];
  for (let i = 0; i < 3; i++) {
    if (vPu <= v[i + 1]) return v[i + 1] === v[i] ? q[i + 1] : q[i] + ((q[i + 1] - q[i]) * (vPu - v[i])) / (v[i + 1] - v[i]);
  }
  return q[3];
}

/**
 * Synchronization limits (1547-2018 §4.10 Table 5 as given by a weak secondary source, matching 1547-2003 Table 5;
 * see ieee1547-2018.md (d)). Configurable per PCC; the source travels with the numbers.
 */
export interface SyncLimits {
  dfHz: number;
  dvPct: number;
  dphiDeg: number;
  source: string;
}

export function syncLimitsFor(aggregateKVA: number): SyncLimits {
  const l = syncLimitFor(RULES, aggregateKVA);
  return { dfHz: l.dfHz, dvPct: l.dvPct, dphiDeg: l.dPhiDeg, source: `${RULES.title} §4.10 Table 5: ${RULES.sync.provenance}` };
}
