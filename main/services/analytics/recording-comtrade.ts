// Reads a COMTRADE record (.cfg + .dat, IEEE C37.111) as a recording for post-event analysis: each channel is one
// signal of the catalogue, named by the convention below (the one the historian's COMTRADE export writes).
//
// Convention (analog and digital channels alike):
//   ch_id  the signal key kind/element/quantity[.phase], e.g. "pmu/PMU_65/Vmag.A", "der/PV1/status"
//   ph     the phase (A, B or C; empty for none); the key's own ".A" suffix wins when both are given
//   ccbm   the element name, optionally followed by key=value tokens: "PMU_65 nominal=2401.8 bus=65"
//   uu     the unit: V, kV (converted to V), pu, Hz, Hz/s, kW, MW, ... ; a voltage needs uu=pu or a nominal token
// Values are taken as primary quantities (a secondary-valued channel is scaled by primary/secondary); a missing value
// stays NaN and is counted by the detectors, never thrown. Times are the file's start time plus each sample's offset.
import { readComtrade } from '../../../shared/comtrade';
import { SAMPLE_SCHEMA, type SampleFrame } from '../../../shared/contract/frame';
import type { ElementKind, Phase, Quantity, SignalInfo } from '../../../shared/domain/signals';
import { AppError } from '../../../shared/errors';
import type { Recording } from './recording-csv';

const KINDS: readonly ElementKind[] = ['feeder', 'bus', 'pmu', 'der', 'microgrid', 'breaker', 'regulator'];
const QUANTITIES: readonly Quantity[] = ['Vmag', 'Vang', 'Imag', 'Iang', 'freq', 'rocof', 'P', 'Q', 'status', 'breaker', 'tap', 'soc', 'kineticEnergy', 'gridConnect'];

interface Channel {
  info: SignalInfo;
  scale: number;
}

function channelInfo(id: number, chId: string, phase: string, circuit: string, unit: string, file: string, n: number): Channel {
  const fail = (m: string): never => {
    throw new AppError('PARSE_ERROR', `${file}: channel ${n} "${chId}": ${m}`, { file, channel: n });
  };
  const parts = chId.split('/');
  if (parts.length !== 3) fail('ch_id must be a signal key kind/element/quantity[.phase]');
  const [kind, element, qp] = parts;
  const [quantity, keyPhase] = qp.split('.');
  if (!KINDS.includes(kind as ElementKind)) fail(`kind "${kind}" is not one of ${KINDS.join(', ')}`);
  if (!QUANTITIES.includes(quantity as Quantity)) fail(`quantity "${quantity}" is not one of ${QUANTITIES.join(', ')}`);
  const ph = keyPhase ?? (phase.trim() || undefined);
  if (ph !== undefined && !['A', 'B', 'C'].includes(ph)) fail(`phase "${ph}" is not A, B or C`);
  const tokens: Record<string, string> = {};
  for (const t of circuit.trim().split(/\s+/).slice(1)) {
    const i = t.indexOf('=');
    if (i <= 0) fail(`ccbm token "${t}" is not key=value`);
    tokens[t.slice(0, i)] = t.slice(i + 1);
  }
  let u = unit.trim();
  let scale = 1;
  let nominal = tokens.nominal === undefined ? undefined : Number(tokens.nominal);
  if (nominal !== undefined && !(nominal > 0)) fail(`nominal "${tokens.nominal}" is not a positive number`);
  if (u === 'kV') {
    u = 'V';
    scale = 1000;
    if (nominal !== undefined) nominal *= 1000; // a kV channel states its nominal in kV too
  }
  if (u === 'MW') {
    u = 'kW';
    scale = 1000;
  }
  const info: SignalInfo = { id, key: chId, kind: kind as ElementKind, element, quantity: quantity as Quantity, unit: u };
  if (ph) info.phase = ph as Phase;
  if (nominal !== undefined) info.nominal = nominal;
  if (tokens.bus) info.bus = tokens.bus;
  return { info, scale };
}

/** Parses a .cfg text and its .dat bytes into the catalogue and frames `exergy analyze` runs on. */
export function parseComtradeRecording(cfg: string, dat: string | Uint8Array, file = 'record'): Recording {
  const { config, data } = readComtrade(cfg, dat, file.replace(/\.cfg$/i, ''));
  const channels: Channel[] = [];
  const seen = new Set<string>();
  config.analogs.forEach((a, i) => {
    const c = channelInfo(channels.length + 1, a.id, a.phase, a.circuit, a.unit, `${file}`, i + 1);
    if (a.ps === 'S' && a.secondary > 0) c.scale *= a.primary / a.secondary;
    channels.push(c);
  });
  config.digitals.forEach((d, i) => channels.push(channelInfo(channels.length + 1, d.id, d.phase, d.circuit, '', file, config.analogs.length + i + 1)));
  for (const c of channels) {
    if (seen.has(c.info.key)) throw new AppError('PARSE_ERROR', `${file}: signal ${c.info.key} appears in two channels`, { file });
    seen.add(c.info.key);
  }
  const n = data.timeUs.length;
  const columns = [...data.analog, ...data.digital];
  const rows = n * channels.length;
  const frame: SampleFrame = {
    schemaId: SAMPLE_SCHEMA.id,
    seq: 0,
    rows,
    columns: { signal: new Uint32Array(rows), tSource: new Float64Array(rows), tServer: new Float64Array(rows), value: new Float64Array(rows), status: new Uint32Array(rows) },
  };
  const col = frame.columns;
  let r = 0;
  for (let s = 0; s < n; s++) {
    const t = config.startMs + data.timeUs[s] / 1000; // a missing timestamp stays NaN: counted, never thrown
    for (let k = 0; k < channels.length; k++, r++) {
      col.signal[r] = channels[k].info.id;
      col.tSource[r] = col.tServer[r] = t;
      col.value[r] = columns[k][s] * channels[k].scale;
    }
  }
  return { catalogue: channels.map((c) => c.info), der: {}, islands: [], rows, frames: [frame] };
}
