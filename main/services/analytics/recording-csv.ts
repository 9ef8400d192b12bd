// Reads a recording for post-event analysis: CSV rows of (time, signal, value[, quality]) after a header of
// '#' lines declaring each signal (quantity, unit, nominal), per-DER settings and islands. Pure: no file access.
//
// Format (version 1):
//   # exergy-recording v1
//   # signal id=1 kind=pmu element=PMU1 quantity=Vmag phase=A unit=V nominal=7200 bus=650
//   # signal id=2 kind=der element=PV1 quantity=status unit= bus=650        (key defaults to kind/element/quantity[.phase])
//   # der PV1 category=III UV1.clearingS=30                                 (optional per-DER settings)
//   # island MG1 f0=60 sMva=10 pmus=PMU1,PMU2 steps=GEN2 units=GEN1:4:10    (units = element:H s:S MVA)
//   time,signal,value,quality                                              (column header line, optional)
//   0.000,1,7194.2,0
// time: seconds (decimal; epoch or relative). signal: the declared id or key. value: a number, NaN, Inf or -Inf.
// quality: optional OPC UA StatusCode (decimal or 0x hex) or good / uncertain / bad; empty means good.
import { SAMPLE_SCHEMA, type SampleFrame } from '../../../shared/contract/frame';
import { signalKey, type ElementKind, type Phase, type Quantity, type SignalInfo } from '../../../shared/domain/signals';
import { AppError } from '../../../shared/errors';
import { TRIP_FUNCTIONS, type Category, type DerSettingsInput, type TripFunction } from '../../../shared/grid/ieee1547';
import type { IslandOptions } from './plan';

export interface Recording {
  catalogue: SignalInfo[];
  der: Record<string, DerSettingsInput>;
  islands: IslandOptions[];
  rows: number;
  frames: SampleFrame[];
}

const KINDS: readonly ElementKind[] = ['feeder', 'bus', 'pmu', 'der', 'microgrid', 'breaker', 'regulator'];
const QUANTITIES: readonly Quantity[] = ['Vmag', 'Vang', 'Imag', 'Iang', 'freq', 'rocof', 'P', 'Q', 'status', 'breaker', 'tap', 'soc', 'kineticEnergy', 'gridConnect'];
const QUALITY: Record<string, number> = { '': 0, good: 0, uncertain: 0x40000000, bad: 0x80000000 };

function kv(tokens: string[], fail: (m: string) => never): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tok of tokens) {
    const i = tok.indexOf('=');
    if (i <= 0) fail(`expected key=value, got "${tok}"`);
    out[tok.slice(0, i)] = tok.slice(i + 1);
  }
  return out;
}

function num(s: string): number {
  const t = s.trim();
  if (/^[+]?inf(inity)?$/i.test(t)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/i.test(t)) return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(t)) return Number.NaN;
  return t === '' ? Number.NaN : Number(t);
}

export function parseRecording(text: string, file = 'recording'): Recording {
  const catalogue: SignalInfo[] = [];
  const byName = new Map<string, SignalInfo>();
  const der: Record<string, DerSettingsInput> = {};
  const islands: IslandOptions[] = [];
  const cols = { signal: [] as number[], tSource: [] as number[], value: [] as number[], status: [] as number[] };
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    const fail = (m: string): never => {
      throw new AppError('PARSE_ERROR', `${file}:${n + 1}: ${m}`, { file, line: n + 1 });
    };
    if (line === '' || /^#\s*exergy-recording/.test(line) || /^time\s*,/i.test(line)) continue;
    if (line.startsWith('#')) {
      const [word, ...rest] = line.slice(1).trim().split(/\s+/);
      if (word === 'signal') {
        const a = kv(rest, fail);
        const id = Number(a.id);
        if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) fail(`signal id "${a.id}" is not a u32`);
        if (!KINDS.includes(a.kind as ElementKind)) fail(`signal ${id}: kind "${a.kind}" is not one of ${KINDS.join(', ')}`);
        if (!QUANTITIES.includes(a.quantity as Quantity)) fail(`signal ${id}: quantity "${a.quantity}" is not one of ${QUANTITIES.join(', ')}`);
        if (!a.element) fail(`signal ${id}: element is missing`);
        if (a.phase !== undefined && !['A', 'B', 'C'].includes(a.phase)) fail(`signal ${id}: phase "${a.phase}" is not A, B or C`);
        const nominal = a.nominal === undefined ? undefined : Number(a.nominal);
        if (nominal !== undefined && !(nominal > 0)) fail(`signal ${id}: nominal "${a.nominal}" is not a positive number`);
        if (a.quantity === 'Vmag' && a.unit !== 'pu' && nominal === undefined) fail(`signal ${id}: a voltage needs nominal=<volts> or unit=pu`);
        const info: SignalInfo = { id, key: a.key ?? signalKey(a.kind as ElementKind, a.element, a.quantity as Quantity, a.phase as Phase | undefined), kind: a.kind as ElementKind, element: a.element, quantity: a.quantity as Quantity, unit: a.unit ?? '' };
        if (a.phase) info.phase = a.phase as Phase;
        if (nominal !== undefined) info.nominal = nominal;
        if (a.bus) info.bus = a.bus;
        if (byName.has(String(id)) || byName.has(info.key)) fail(`signal ${id} (${info.key}) is declared twice`);
        catalogue.push(info);
        byName.set(String(id), info);
        byName.set(info.key, info);
      } else if (word === 'der') {
        const [element, ...opts] = rest;
        if (!element) fail('der line needs an element name');
        const a = kv(opts, fail);
        if (!['I', 'II', 'III'].includes(a.category)) fail(`der ${element}: category "${a.category}" is not I, II or III`);
        const overrides: NonNullable<DerSettingsInput['overrides']> = {};
        for (const [k, v] of Object.entries(a)) {
          if (k === 'category') continue;
          const [fn, field] = k.split('.');
          if (!TRIP_FUNCTIONS.includes(fn as TripFunction) || (field !== 'pickup' && field !== 'clearingS')) fail(`der ${element}: unknown setting "${k}" (use e.g. UV1.clearingS=5)`);
          (overrides[fn as TripFunction] ??= {})[field as 'pickup' | 'clearingS'] = Number(v);
        }
        der[element] = { category: a.category as Category, overrides };
      } else if (word === 'island') {
        const [microgrid, ...opts] = rest;
        if (!microgrid) fail('island line needs a microgrid name');
        const a = kv(opts, fail);
        const isl: IslandOptions = { microgrid };
        if (a.f0) isl.f0 = Number(a.f0);
        if (a.sMva) isl.sMva = Number(a.sMva);
        if (a.pmus) isl.pmus = a.pmus.split(',');
        if (a.steps) isl.steps = a.steps.split(',');
        if (a.units) {
          isl.units = a.units.split(',').map((u) => {
            const [element, h, s] = u.split(':');
            if (!element || !(Number(h) >= 0) || !(Number(s) > 0)) fail(`island ${microgrid}: unit "${u}" is not element:H:S`);
            return { element, hS: Number(h), sMva: Number(s) };
          });
        }
        islands.push(isl);
      }
      continue; // other comments are free text
    }
    const parts = line.split(',');
    if (parts.length < 3 || parts.length > 4) fail(`expected time,signal,value[,quality], got ${parts.length} fields`);
    const info = byName.get(parts[1].trim());
    if (!info) fail(`signal "${parts[1].trim()}" is not declared in the header`);
    const value = num(parts[2]);
    if (Number.isNaN(value) && !/^\s*nan\s*$/i.test(parts[2])) fail(`value "${parts[2]}" is not a number`);
    const qs = (parts[3] ?? '').trim().toLowerCase();
    const q = qs in QUALITY ? QUALITY[qs] : Number(qs);
    if (!Number.isInteger(q) || q < 0 || q > 0xffffffff) fail(`quality "${parts[3]}" is not a StatusCode`);
    cols.signal.push(info!.id);
    cols.tSource.push(num(parts[0]) * 1000); // a bad time becomes NaN: counted by the detectors, never thrown
    cols.value.push(value);
    cols.status.push(q);
  }
  if (catalogue.length === 0) throw new AppError('PARSE_ERROR', `${file}: no "# signal" header lines`, { file });
  const frames: SampleFrame[] = [];
  const CH = 65536;
  for (let i = 0; i < cols.signal.length; i += CH) {
    const end = Math.min(cols.signal.length, i + CH);
    const tS = Float64Array.from(cols.tSource.slice(i, end));
    frames.push({
      schemaId: SAMPLE_SCHEMA.id,
      seq: frames.length,
      rows: end - i,
      columns: { signal: Uint32Array.from(cols.signal.slice(i, end)), tSource: tS, tServer: tS, value: Float64Array.from(cols.value.slice(i, end)), status: Uint32Array.from(cols.status.slice(i, end)) },
    });
  }
  return { catalogue, der, islands, rows: cols.signal.length, frames };
}
