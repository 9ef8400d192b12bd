// COMTRADE entry points: read a .cfg/.dat pair, or write one from engineering-unit columns with scaling chosen
// per format. Pure: strings and Uint8Arrays in and out; the caller owns the files (historian export, `exergy analyze`).
import { AppError } from '../errors';
import { parseCfg, writeCfg } from './cfg';
import { parseDat, writeDat } from './dat';
import type { AnalogChannel, ComtradeConfig, ComtradeRecord, DatFormat } from './types';

export * from './types';
export { formatCfgTime, parseCfg, parseCfgTime, writeCfg } from './cfg';
export { parseDat, writeDat } from './dat';

export function readComtrade(cfg: string, dat: string | Uint8Array, name = 'record'): ComtradeRecord {
  const config = parseCfg(cfg, `${name}.cfg`);
  return { config, data: parseDat(config, dat, `${name}.dat`) };
}

export interface ChannelInput {
  id: string;
  phase?: string;
  circuit?: string;
  unit?: string;
  values: ArrayLike<number>;
}

export interface ComtradeInput {
  station: string;
  device: string;
  lineFreq: number;
  format: DatFormat;
  timesMs: ArrayLike<number>; // absolute sample times, ms since the UTC epoch, ascending
  triggerMs?: number; // default: the first sample
  analogs: ChannelInput[];
  digitals?: ChannelInput[];
}

const RANGE: Record<DatFormat, number> = { ASCII: 2147483647, BINARY: 32767, BINARY32: 2147483647, FLOAT32: 0 };

function scaling(format: DatFormat, values: ArrayLike<number>): Pick<AnalogChannel, 'a' | 'b' | 'min' | 'max'> {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (lo === Infinity) lo = hi = 0;
  if (format === 'FLOAT32') return { a: 1, b: 0, min: Math.fround(lo), max: Math.fround(hi) };
  const r = RANGE[format];
  // b centres the range, a spreads it over ±r; a flat channel keeps a = 1 so b alone carries the value
  const a = hi > lo ? (hi - lo) / (2 * r) : 1;
  return { a, b: (hi + lo) / 2, min: -r, max: r };
}

/** Builds a config + data from columns and writes both files; returns the text/bytes and the config used. */
export function writeComtrade(input: ComtradeInput): { cfg: string; dat: Uint8Array; config: ComtradeConfig } {
  const n = input.timesMs.length;
  const digitals = input.digitals ?? [];
  for (const ch of [...input.analogs, ...digitals]) {
    if (ch.values.length !== n) throw new AppError('INVALID_ARGUMENT', `channel ${ch.id} has ${ch.values.length} values for ${n} timestamps`);
  }
  const startMs = n ? input.timesMs[0] : 0;
  const spanUs = n ? (input.timesMs[n - 1] - startMs) * 1000 : 0;
  const timeMult = spanUs < 0xfffffffe ? 1 : Math.ceil(spanUs / 0xfffffffe);
  const config: ComtradeConfig = {
    station: input.station, device: input.device, revYear: 2013, lineFreq: input.lineFreq, rates: [], totalSamples: n,
    startMs, triggerMs: input.triggerMs ?? startMs, format: input.format, timeMult, timeCode: '0', localCode: '0', tmqCode: 'F', leapSec: 0,
    analogs: input.analogs.map((ch) => ({
      id: ch.id, phase: ch.phase ?? '', circuit: ch.circuit ?? '', unit: ch.unit ?? '', skew: 0, primary: 1, secondary: 1, ps: 'P' as const,
      ...scaling(input.format, ch.values),
    })),
    digitals: digitals.map((ch) => ({ id: ch.id, phase: ch.phase ?? '', circuit: ch.circuit ?? '', normal: 0 as const })),
  };
  const sample = new Float64Array(n);
  const timeUs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    sample[i] = i + 1;
    timeUs[i] = (input.timesMs[i] - startMs) * 1000;
  }
  const data = {
    sample, timeUs,
    analog: input.analogs.map((ch) => Float64Array.from(ch.values)),
    digital: digitals.map((ch) => Uint8Array.from(ch.values, (v) => (v ? 1 : 0))),
  };
  return { cfg: writeCfg(config), dat: writeDat(config, data), config };
}
