// Exports from the history file: CSV of any signals over a range (lossless: shortest round-trip numbers, NaN kept)
// and COMTRADE of a window, aligned on the densest signal's instants with the others sample-and-held.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeComtrade, type ChannelInput, type DatFormat } from '../../../shared/comtrade';
import type { SignalInfo } from '../../../shared/domain/signals';
import type { SampleColumns } from './chunk-codec';

export type RawSource = (signal: number, from: number, to: number) => SampleColumns;

/** Long format, one row per sample, signal by signal in arrival order. Returns the number of sample rows. */
export function exportCsv(path: string, raw: RawSource, signals: number[], from: number, to: number, catalogue: SignalInfo[] = []): number {
  const keys = new Map(catalogue.map((s) => [s.id, s]));
  const fd = openSync(path, 'w');
  let rows = 0;
  try {
    writeSync(fd, 'signal,key,unit,t_source_ms,t_source_iso,t_server_ms,value,status\n');
    for (const sig of signals) {
      const c = raw(sig, from, to);
      const info = keys.get(sig);
      const prefix = `${sig},${csvField(info?.key ?? '')},${csvField(info?.unit ?? '')},`;
      let buf = '';
      for (let i = 0; i < c.n; i++) {
        const t = c.tSource[i];
        const iso = Number.isFinite(t) ? new Date(t).toISOString() : '';
        buf += `${prefix}${t},${iso},${c.tServer[i]},${c.value[i]},${c.status[i]}\n`;
        if (buf.length > 1 << 20) {
          writeSync(fd, buf);
          buf = '';
        }
      }
      writeSync(fd, buf);
      rows += c.n;
    }
  } finally {
    closeSync(fd);
  }
  return rows;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface ComtradeExport {
  dir: string;
  name: string; // file base name (without .cfg/.dat)
  signals: number[];
  from: number;
  to: number;
  triggerMs?: number;
  format?: DatFormat; // default BINARY32
  station?: string;
  lineFreq?: number;
  catalogue?: SignalInfo[];
}

/** Writes <name>.cfg and <name>.dat; breakers become digital channels, everything else analog. */
export function exportComtrade(raw: RawSource, x: ComtradeExport): { cfgPath: string; datPath: string; samples: number } {
  const keys = new Map((x.catalogue ?? []).map((s) => [s.id, s]));
  const cols = x.signals.map((s) => ({ sig: s, c: raw(s, x.from, x.to) }));
  const ref = cols.reduce((a, b) => (b.c.n > a.c.n ? b : a), cols[0]);
  const times = ref ? Array.from(ref.c.tSource).filter(Number.isFinite).sort((a, b) => a - b) : [];
  const analogs: ChannelInput[] = [];
  const digitals: ChannelInput[] = [];
  for (const { sig, c } of cols) {
    // sample-and-hold onto the reference instants: the value in force at each instant, NaN before the first
    const order = Array.from({ length: c.n }, (_, i) => i).filter((i) => Number.isFinite(c.tSource[i])).sort((a, b) => c.tSource[a] - c.tSource[b]);
    const values = new Float64Array(times.length);
    let k = -1;
    times.forEach((t, i) => {
      while (k + 1 < order.length && c.tSource[order[k + 1]] <= t) k++;
      values[i] = k < 0 ? Number.NaN : c.value[order[k]];
    });
    const info = keys.get(sig);
    const ch: ChannelInput = { id: info?.key ?? `signal ${sig}`, phase: info?.phase ?? '', circuit: info?.element ?? '', unit: info?.unit ?? '', values };
    (info?.quantity === 'breaker' ? digitals : analogs).push(ch);
  }
  const w = writeComtrade({
    station: x.station ?? 'Exergy Console', device: 'historian', lineFreq: x.lineFreq ?? 60, format: x.format ?? 'BINARY32',
    timesMs: times, triggerMs: x.triggerMs ?? times[0], analogs, digitals,
  });
  mkdirSync(x.dir, { recursive: true });
  const cfgPath = join(x.dir, `${x.name}.cfg`);
  const datPath = join(x.dir, `${x.name}.dat`);
  writeFileSync(cfgPath, w.cfg, 'latin1');
  writeFileSync(datPath, w.dat);
  return { cfgPath, datPath, samples: times.length };
}
