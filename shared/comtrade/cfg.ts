// Reads and writes the COMTRADE configuration file (.cfg): channel list, scaling, rates, times and data format.
// Tolerates 1991/1999 files (no rev year, no 2013 trailer lines); every refusal names the file and line.
import { AppError } from '../errors';
import type { AnalogChannel, ComtradeConfig, DatFormat, DigitalChannel } from './types';

const FORMATS: DatFormat[] = ['ASCII', 'BINARY', 'BINARY32', 'FLOAT32'];

/** Parses "dd/mm/yyyy,hh:mm:ss.ssssss" (1991 files use mm/dd/yy) into ms since the epoch of that clock. */
export function parseCfgTime(text: string, yearFirst1991 = false): number {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{2,4})\s*,\s*(\d{1,2}):(\d{1,2}):(\d{1,2}(?:\.\d*)?)\s*$/.exec(text);
  if (!m) return Number.NaN;
  let [dd, mm] = [Number(m[1]), Number(m[2])];
  if (yearFirst1991) [dd, mm] = [mm, dd];
  let yyyy = Number(m[3]);
  if (m[3].length === 2) yyyy += yyyy < 70 ? 2000 : 1900;
  const sec = Number(m[6]);
  const whole = Math.floor(sec);
  return Date.UTC(yyyy, mm - 1, dd, Number(m[4]), Number(m[5]), whole) + Math.round((sec - whole) * 1e6) / 1e3;
}

export function formatCfgTime(ms: number): string {
  const whole = Math.floor(ms / 1000) * 1000;
  const d = new Date(whole);
  const us = Math.round((ms - whole) * 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()},${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(us, 6)}`;
}

/** Offset of a 2013 time_code from UTC in ms ("-5h30" means the recorder's clock is 5.5 h behind UTC). */
export function timeCodeOffsetMs(code: string): number {
  const m = /^\s*([+-]?)(\d{1,2})(?:h(\d{1,2}))?\s*$/.exec(code);
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000;
}

export function parseCfg(text: string, fileName = 'file.cfg'): ComtradeConfig {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let ln = 0;
  const fail = (why: string): never => {
    throw new AppError('PARSE_ERROR', `${fileName}:${ln}: ${why}`, { file: fileName, line: ln });
  };
  const next = (what: string): string[] => {
    while (ln < lines.length) {
      const l = lines[ln++];
      if (l.trim() !== '') return l.split(',').map((s) => s.trim());
    }
    return fail(`missing ${what}`);
  };
  const num = (s: string | undefined, what: string, dflt?: number): number => {
    if ((s === undefined || s === '') && dflt !== undefined) return dflt;
    const v = Number(s);
    if (s === undefined || s === '' || !Number.isFinite(v)) fail(`${what} is not a number: "${s ?? ''}"`);
    return v;
  };
  const head = next('station line');
  const revYear = head[2] ? num(head[2], 'rev_year') : 1991;
  if (revYear !== 1991 && revYear !== 1999 && revYear !== 2013) fail(`unsupported rev_year ${revYear}`);
  const counts = next('channel counts');
  const total = num(counts[0], 'TT');
  const na = num(counts[1]?.replace(/A$/i, ''), 'number of analog channels (##A)');
  const nd = num(counts[2]?.replace(/D$/i, ''), 'number of digital channels (##D)');
  if (na + nd !== total) fail(`TT ${total} is not ${na}A + ${nd}D`);
  const analogs: AnalogChannel[] = [];
  for (let i = 0; i < na; i++) {
    const f = next(`analog channel ${i + 1}`);
    if (num(f[0], 'An') !== i + 1) fail(`analog channel index ${f[0]}, expected ${i + 1}`);
    const ps = (f[12] ?? 'P').toUpperCase();
    analogs.push({
      id: f[1] ?? '', phase: f[2] ?? '', circuit: f[3] ?? '', unit: f[4] ?? '',
      a: num(f[5], 'a'), b: num(f[6], 'b', 0), skew: num(f[7], 'skew', 0), min: num(f[8], 'min'), max: num(f[9], 'max'),
      primary: num(f[10], 'primary', 1), secondary: num(f[11], 'secondary', 1), ps: ps === 'S' ? 'S' : 'P',
    });
  }
  const digitals: DigitalChannel[] = [];
  for (let i = 0; i < nd; i++) {
    const f = next(`digital channel ${i + 1}`);
    if (num(f[0], 'Dn') !== i + 1) fail(`digital channel index ${f[0]}, expected ${i + 1}`);
    // 1991 digital lines have 3 fields (Dn,ch_id,y); later ones Dn,ch_id,ph,ccbm,y
    const y = num(f.length <= 3 ? f[2] : f[4], 'normal state y', 0);
    digitals.push({ id: f[1] ?? '', phase: f.length <= 3 ? '' : (f[2] ?? ''), circuit: f.length <= 3 ? '' : (f[3] ?? ''), normal: y ? 1 : 0 });
  }
  const lineFreq = num(next('line frequency')[0], 'lf');
  const nrates = num(next('nrates')[0], 'nrates');
  const rates = [];
  let totalSamples = 0;
  for (let i = 0; i < Math.max(1, nrates); i++) {
    const f = next(`sample rate ${i + 1}`);
    const rate = num(f[0], 'samp');
    const endSample = num(f[1], 'endsamp');
    if (nrates > 0) rates.push({ rate, endSample });
    totalSamples = endSample;
  }
  const startText = next('first data point time').join(',');
  const trigText = next('trigger time').join(',');
  const startMs = parseCfgTime(startText, revYear === 1991);
  const triggerMs = parseCfgTime(trigText, revYear === 1991);
  if (Number.isNaN(startMs)) fail(`bad first data point time "${startText}"`);
  if (Number.isNaN(triggerMs)) fail(`bad trigger time "${trigText}"`);
  const ft = (next('file type')[0] ?? '').toUpperCase() as DatFormat;
  if (!FORMATS.includes(ft)) fail(`unknown file type "${ft}"`);
  const rest = (what: string): string[] | undefined => (lines.slice(ln).some((l) => l.trim() !== '') ? next(what) : undefined);
  const timeMult = num(rest('timemult')?.[0], 'timemult', 1);
  const tc = rest('time_code,local_code');
  const tq = rest('tmq_code,leapsec');
  const offset = timeCodeOffsetMs(tc?.[0] ?? '0');
  return {
    station: head[0] ?? '', device: head[1] ?? '', revYear: revYear as ComtradeConfig['revYear'], analogs, digitals, lineFreq, rates, totalSamples,
    startMs: startMs - offset, triggerMs: triggerMs - offset, format: ft, timeMult: timeMult || 1,
    timeCode: tc?.[0] ?? '0', localCode: tc?.[1] ?? '0', tmqCode: tq?.[0] ?? 'F', leapSec: num(tq?.[1], 'leapsec', 0),
  };
}

const esc = (s: string): string => s.replace(/[,\r\n]/g, ' ');
const g = (v: number): string => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12))));

/** Writes a 2013 .cfg with UTC times (time_code 0), whatever revYear the config carries. */
export function writeCfg(c: ComtradeConfig): string {
  const out: string[] = [];
  out.push(`${esc(c.station)},${esc(c.device)},2013`);
  out.push(`${c.analogs.length + c.digitals.length},${c.analogs.length}A,${c.digitals.length}D`);
  c.analogs.forEach((a, i) => out.push([i + 1, esc(a.id), esc(a.phase), esc(a.circuit), esc(a.unit), g(a.a), g(a.b), g(a.skew), g(a.min), g(a.max), g(a.primary), g(a.secondary), a.ps].join(',')));
  c.digitals.forEach((d, i) => out.push([i + 1, esc(d.id), esc(d.phase), esc(d.circuit), d.normal].join(',')));
  out.push(g(c.lineFreq));
  out.push(String(c.rates.length));
  if (c.rates.length === 0) out.push(`0,${c.totalSamples}`);
  for (const r of c.rates) out.push(`${g(r.rate)},${r.endSample}`);
  out.push(formatCfgTime(c.startMs), formatCfgTime(c.triggerMs), c.format, g(c.timeMult), '0,0', `${c.tmqCode || 'F'},${c.leapSec || 0}`);
  return out.join('\r\n') + '\r\n';
}
