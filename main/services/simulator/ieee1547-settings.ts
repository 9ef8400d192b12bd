// IEEE 1547-2018 default protection and ride-through settings a simulated DER starts from, per category.
// Numbers from /work/shared/data/ieee1547-2018.md (Tables 11-13, 18, Table 8 volt-var, enter-service defaults).

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

const FREQ = { of2: { level: 62.0, clearS: 0.16 }, of1: { level: 61.2, clearS: 300 }, uf1: { level: 58.5, clearS: 300 }, uf2: { level: 56.5, clearS: 0.16 } };
const ENTER = { vMinPu: 0.917, vMaxPu: 1.05, fMinHz: 59.5, fMaxHz: 60.1, delayS: 300, rampS: 300 };

/**
 * Tables 11-13 defaults. Momentary-cessation thresholds: Category III ceases below 0.50 and above 1.10 p.u.
 * (Table 16); Categories I and II may cease in their permissive bands, and we take the permissive floor
 * (0.50 / 0.45 p.u.) and the 1.10 p.u. over-voltage band as where they do.
 */
export function rideThroughDefaults(cat: AbnormalCategory): RideThroughSettings {
  const common = { ov2: { level: 1.2, clearS: 0.16 }, ...FREQ, enterService: { ...ENTER }, islandTripS: 2 };
  switch (cat) {
    case 'I':
      return { ...common, ov1: { level: 1.1, clearS: 2 }, uv1: { level: 0.7, clearS: 2 }, uv2: { level: 0.45, clearS: 0.16 }, mcLowPu: 0.5, mcHighPu: 1.1 };
    case 'II':
      return { ...common, ov1: { level: 1.1, clearS: 2 }, uv1: { level: 0.7, clearS: 10 }, uv2: { level: 0.45, clearS: 0.16 }, mcLowPu: 0.45, mcHighPu: 1.1 };
    case 'III':
      return { ...common, ov1: { level: 1.1, clearS: 13 }, uv1: { level: 0.88, clearS: 21 }, uv2: { level: 0.5, clearS: 2 }, mcLowPu: 0.5, mcHighPu: 1.1 };
  }
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
  const source = 'IEEE 1547-2018 §4.10 Table 5 (weakly sourced; equals 1547-2003 Table 5)';
  if (aggregateKVA <= 500) return { dfHz: 0.3, dvPct: 10, dphiDeg: 20, source };
  if (aggregateKVA <= 1500) return { dfHz: 0.2, dvPct: 5, dphiDeg: 15, source };
  return { dfHz: 0.1, dvPct: 3, dphiDeg: 10, source };
}
