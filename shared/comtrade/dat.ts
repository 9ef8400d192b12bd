// Reads and writes COMTRADE sampled data (.dat) in all four 2013 formats: ASCII, BINARY (int16), BINARY32 and
// FLOAT32. Values cross as engineering units (a*x+b); missing values are NaN in memory and the format's marker on disk.
import { AppError } from '../errors';
import { MISSING_BINARY16, MISSING_BINARY32, MISSING_TIMESTAMP, type ComtradeConfig, type ComtradeData } from './types';

const WIDTH = { BINARY: 2, BINARY32: 4, FLOAT32: 4 } as const;

/** µs offset of each sample computed from the .cfg rates, used when a timestamp is missing. */
function rateTimes(c: ComtradeConfig, n: number): Float64Array {
  const t = new Float64Array(n).fill(Number.NaN);
  let t0 = 0;
  let first = 1;
  for (const r of c.rates) {
    if (!(r.rate > 0)) break;
    for (let s = first; s <= Math.min(r.endSample, n); s++) t[s - 1] = t0 + ((s - first) * 1e6) / r.rate;
    t0 += ((r.endSample - first + 1) * 1e6) / r.rate;
    first = r.endSample + 1;
  }
  return t;
}

function alloc(c: ComtradeConfig, n: number): ComtradeData {
  return {
    sample: new Float64Array(n), timeUs: new Float64Array(n),
    analog: c.analogs.map(() => new Float64Array(n)), digital: c.digitals.map(() => new Uint8Array(n)),
  };
}

export function parseDat(c: ComtradeConfig, content: string | Uint8Array, fileName = 'file.dat'): ComtradeData {
  const fromRates = rateTimes(c, c.totalSamples);
  if (c.format === 'ASCII') {
    const text = typeof content === 'string' ? content : asciiText(content);
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && l.trim() !== '\x1a');
    const d = alloc(c, lines.length);
    const want = 2 + c.analogs.length + c.digitals.length;
    lines.forEach((line, i) => {
      const f = line.split(',');
      const fail = (why: string): never => {
        throw new AppError('PARSE_ERROR', `${fileName}:${i + 1}: ${why}`, { file: fileName, line: i + 1 });
      };
      if (f.length < want) fail(`${f.length} fields, expected ${want}`);
      d.sample[i] = Number(f[0]);
      const ts = f[1].trim();
      d.timeUs[i] = ts === '' ? (fromRates[i] ?? Number.NaN) : Number(ts) * c.timeMult;
      if (!Number.isFinite(d.sample[i]) || Number.isNaN(d.timeUs[i])) fail('bad sample number or timestamp');
      c.analogs.forEach((a, k) => {
        const s = f[2 + k].trim();
        const x = s === '' ? Number.NaN : Number(s);
        if (s !== '' && !Number.isFinite(x)) fail(`analog channel ${k + 1} (${a.id}) value "${s}"`);
        d.analog[k][i] = a.a * x + a.b;
      });
      c.digitals.forEach((_, k) => {
        d.digital[k][i] = Number(f[2 + c.analogs.length + k]) ? 1 : 0;
      });
    });
    return d;
  }
  const bytes = typeof content === 'string' ? Uint8Array.from(content, (ch) => ch.charCodeAt(0)) : content;
  const w = WIDTH[c.format];
  const rec = 8 + c.analogs.length * w + Math.ceil(c.digitals.length / 16) * 2;
  if (bytes.byteLength % rec !== 0) {
    throw new AppError('PARSE_ERROR', `${fileName}: ${bytes.byteLength} bytes is not a whole number of ${rec}-byte records`, { file: fileName, recordBytes: rec });
  }
  const n = bytes.byteLength / rec;
  const d = alloc(c, n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0, o = 0; i < n; i++) {
    d.sample[i] = dv.getUint32(o, true);
    const ts = dv.getUint32(o + 4, true);
    d.timeUs[i] = ts === MISSING_TIMESTAMP ? (fromRates[i] ?? Number.NaN) : ts * c.timeMult;
    o += 8;
    for (let k = 0; k < c.analogs.length; k++, o += w) {
      const a = c.analogs[k];
      let x: number;
      if (c.format === 'BINARY') {
        x = dv.getInt16(o, true);
        if (x === MISSING_BINARY16) x = Number.NaN;
      } else if (c.format === 'BINARY32') {
        x = dv.getInt32(o, true);
        if (x === MISSING_BINARY32) x = Number.NaN;
      } else x = dv.getFloat32(o, true);
      d.analog[k][i] = a.a * x + a.b;
    }
    for (let k = 0; k < c.digitals.length; k += 16, o += 2) {
      const word = dv.getUint16(o, true);
      for (let j = 0; j < 16 && k + j < c.digitals.length; j++) d.digital[k + j][i] = (word >> j) & 1;
    }
  }
  return d;
}

function asciiText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

function asciiBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0x7f;
  return b;
}

/** Raw value x for an engineering value, or the format's missing marker. */
function toRaw(c: ComtradeConfig, k: number, v: number): number {
  const a = c.analogs[k];
  if (c.format === 'FLOAT32') return (v - a.b) / a.a;
  if (!Number.isFinite(v)) return c.format === 'BINARY' ? MISSING_BINARY16 : c.format === 'BINARY32' ? MISSING_BINARY32 : Number.NaN;
  return Math.max(a.min, Math.min(a.max, Math.round((v - a.b) / a.a)));
}

export function writeDat(c: ComtradeConfig, d: ComtradeData): Uint8Array {
  const n = d.sample.length;
  const stamp = (i: number): number => {
    const t = d.timeUs[i];
    if (!Number.isFinite(t)) return MISSING_TIMESTAMP;
    const ts = Math.round(t / c.timeMult);
    if (ts < 0 || ts >= MISSING_TIMESTAMP) throw new AppError('INVALID_ARGUMENT', `sample ${i + 1}: timestamp ${t} µs does not fit with timemult ${c.timeMult}`);
    return ts;
  };
  if (c.format === 'ASCII') {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const f: string[] = [String(d.sample[i])];
      const ts = stamp(i);
      f.push(ts === MISSING_TIMESTAMP ? '' : String(ts));
      for (let k = 0; k < c.analogs.length; k++) {
        const x = toRaw(c, k, d.analog[k][i]);
        f.push(Number.isNaN(x) ? '' : String(x));
      }
      for (let k = 0; k < c.digitals.length; k++) f.push(d.digital[k][i] ? '1' : '0');
      out.push(f.join(','));
    }
    return asciiBytes(out.join('\r\n') + '\r\n');
  }
  const w = WIDTH[c.format];
  const rec = 8 + c.analogs.length * w + Math.ceil(c.digitals.length / 16) * 2;
  const bytes = new Uint8Array(rec * n);
  const dv = new DataView(bytes.buffer);
  for (let i = 0, o = 0; i < n; i++) {
    dv.setUint32(o, d.sample[i], true);
    dv.setUint32(o + 4, stamp(i), true);
    o += 8;
    for (let k = 0; k < c.analogs.length; k++, o += w) {
      const x = toRaw(c, k, d.analog[k][i]);
      if (c.format === 'BINARY') dv.setInt16(o, x, true);
      else if (c.format === 'BINARY32') dv.setInt32(o, x, true);
      else dv.setFloat32(o, x, true);
    }
    for (let k = 0; k < c.digitals.length; k += 16, o += 2) {
      let word = 0;
      for (let j = 0; j < 16 && k + j < c.digitals.length; j++) word |= (d.digital[k + j][i] ? 1 : 0) << j;
      dv.setUint16(o, word, true);
    }
  }
  return bytes;
}
