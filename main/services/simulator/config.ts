// Simulator configuration: the bulk-system equivalent, PMU set, DERs and microgrids, with a zod schema so a config
// or override from the CLI, a file or a parent process is checked and its errors name the field.
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { DerConfig } from './der';
import { syncLimitsFor, type SyncLimits } from './ieee1547-settings';

export interface BulkParams {
  f0: number;
  sMVA: number; // online synchronous rating of the bulk system equivalent
  h: number; // its aggregate inertia constant, s
  droop: number; // aggregate governor droop, p.u.
  damping: number; // load damping D, p.u./p.u.
  tgS: number; // aggregate governor time constant, s
  agcTauS: number; // secondary control (AGC) time constant, s; 0 = off (primary response only)
}

export interface PmuConfig {
  name: string;
  bus: string;
  branch?: string; // the branch whose current it measures
}

export interface MicrogridConfig {
  name: string;
  pccBranch: string;
  syncLimits: SyncLimits;
  /** Seconds after islanding before its controller starts matching frequency, voltage and angle to the grid. */
  syncDelayS: number;
  /** Load damping D of the island (p.u. load change per p.u. frequency change, on the island's demand). */
  loadDamping: number;
}

export interface SimConfig {
  feeder: string;
  bulk: BulkParams;
  pmuRate: 30 | 60;
  pmus: PmuConfig[];
  pmuNoise: { magPct: number; angDeg: number; freqHz: number };
  /** Frequency estimator window, s: the PMU reports the mean over this window, so it lags by half of it. */
  pmuWindowS: number;
  pfRateHz: number;
  scadaPeriodS: number;
  ders: DerConfig[];
  microgrids: MicrogridConfig[];
  ambient: boolean; // blue-sky load and irradiance noise
  defaultLoop: { enabled: boolean; everyS: number };
}

const trip = z.object({ level: z.number().positive(), clearS: z.number().positive().max(1000) }).strict();
const rideThrough = z
  .object({
    ov2: trip, ov1: trip, uv1: trip, uv2: trip, of2: trip, of1: trip, uf1: trip, uf2: trip,
    mcLowPu: z.number().min(0).max(1),
    mcHighPu: z.number().min(1).max(2),
    // 1547-2018 §8.1.2: an unintentional island must be detected and the DER tripped within 2 s.
    islandTripS: z.number().min(0).max(2),
    enterService: z.object({ vMinPu: z.number(), vMaxPu: z.number(), fMinHz: z.number(), fMaxHz: z.number(), delayS: z.number().min(0), rampS: z.number().min(0) }).partial().strict(),
  })
  .partial()
  .strict();

const derOverride = z
  .object({
    h: z.number().min(0).max(30),
    kVA: z.number().positive(),
    pMaxKW: z.number().min(0),
    pSetKW: z.number(),
    droop: z.number().positive().max(1),
    tgS: z.number().positive().max(60),
    gridForming: z.boolean(),
    abnormalCategory: z.enum(['I', 'II', 'III']),
    normalCategory: z.enum(['A', 'B']),
    voltVar: z.boolean(),
    settings: rideThrough,
  })
  .partial()
  .strict();

export const simOverridesSchema = z
  .object({
    bulk: z.object({ f0: z.number().positive(), sMVA: z.number().positive(), h: z.number().positive(), droop: z.number().positive(), damping: z.number().min(0), tgS: z.number().positive(), agcTauS: z.number().min(0) }).partial().strict(),
    pmuRate: z.union([z.literal(30), z.literal(60)]),
    pmuNoise: z.object({ magPct: z.number().min(0), angDeg: z.number().min(0), freqHz: z.number().min(0) }).strict(),
    pmuWindowS: z.number().min(0).max(1),
    pfRateHz: z.number().min(10).max(100),
    scadaPeriodS: z.number().min(0.1).max(10),
    ambient: z.boolean(),
    defaultLoop: z.object({ enabled: z.boolean(), everyS: z.number().positive() }).strict(),
    ders: z.record(z.string(), derOverride),
    microgrids: z.record(z.string(), z.object({ syncDelayS: z.number().min(0), loadDamping: z.number().min(0).max(10), syncLimits: z.object({ dfHz: z.number().positive(), dvPct: z.number().positive(), dphiDeg: z.number().positive(), source: z.string() }).partial() }).partial().strict()),
  })
  .partial()
  .strict();
export type SimOverrides = z.infer<typeof simOverridesSchema>;

/** Turns zod issues into one AppError naming each offending field by its path. */
export function zodToAppError(err: z.ZodError, what: string, file?: string): AppError {
  const fields = err.issues.map((i) => i.path.join('.') || '(root)');
  const detail = err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  return new AppError('INVALID_ARGUMENT', `${what}${file ? ` ${file}` : ''}: ${detail}`, { fields, file });
}

/** Applies checked overrides to a base config; unknown DER or microgrid names are refused by name. */
export function applyOverrides(base: SimConfig, raw: unknown): SimConfig {
  const parsed = simOverridesSchema.safeParse(raw ?? {});
  if (!parsed.success) throw zodToAppError(parsed.error, 'simulator options');
  const o = parsed.data;
  const cfg: SimConfig = { ...base, bulk: { ...base.bulk, ...o.bulk }, ders: base.ders.map((d) => ({ ...d })), microgrids: base.microgrids.map((m) => ({ ...m, syncLimits: { ...m.syncLimits } })) };
  for (const k of ['pmuRate', 'pmuNoise', 'pmuWindowS', 'pfRateHz', 'scadaPeriodS', 'ambient', 'defaultLoop'] as const) if (o[k] !== undefined) (cfg as unknown as Record<string, unknown>)[k] = o[k];
  for (const [name, d] of Object.entries(o.ders ?? {})) {
    const der = cfg.ders.find((x) => x.name === name);
    if (!der) throw new AppError('INVALID_ARGUMENT', `ders.${name}: no such DER`, { fields: [`ders.${name}`] });
    const { settings, ...rest } = d;
    Object.assign(der, rest);
    if (settings) der.settings = { ...der.settings, ...settings, enterService: { ...der.settings?.enterService, ...settings.enterService } } as DerConfig['settings'];
  }
  for (const [name, m] of Object.entries(o.microgrids ?? {})) {
    const mg = cfg.microgrids.find((x) => x.name === name);
    if (!mg) throw new AppError('INVALID_ARGUMENT', `microgrids.${name}: no such microgrid`, { fields: [`microgrids.${name}`] });
    if (m.syncDelayS !== undefined) mg.syncDelayS = m.syncDelayS;
    if (m.loadDamping !== undefined) mg.loadDamping = m.loadDamping;
    Object.assign(mg.syncLimits, m.syncLimits);
  }
  return cfg;
}

export function defaultSyncLimits(kVA: number): SyncLimits {
  return syncLimitsFor(kVA);
}

/** Checks the launch options that do not need the server (so a parent can refuse them before forking). */
export function checkLaunch(o: { feeder?: string; speed?: number; seed?: number; overrides?: unknown }, base: () => SimConfig): SimConfig {
  const feeder = o.feeder ?? 'ieee123';
  if (feeder !== 'ieee123') throw new AppError('INVALID_ARGUMENT', `feeder: device placement exists for ieee123 only, not "${feeder}"`, { field: 'feeder' });
  const speed = o.speed ?? 1;
  if (!(Number.isFinite(speed) && speed > 0 && speed <= 1000)) throw new AppError('INVALID_ARGUMENT', `speed: ${speed} must be in (0, 1000]`, { field: 'speed' });
  if (o.seed !== undefined && !Number.isInteger(o.seed)) throw new AppError('INVALID_ARGUMENT', `seed: ${o.seed} must be an integer`, { field: 'seed' });
  return applyOverrides(base(), o.overrides);
}
