// Routes decoded sample frames into per-signal builders: raw chunks (≤10 s of data time, arrival order kept)
// and open 1 s / 1 min aggregate rows. Pure and synchronous; the worker decides when sealed rows reach disk.
import { AggRow, ROW_MS, TIER_1M, TIER_1S, TIER_RAW, type Tier } from './aggregates';
import { encodeChunk } from './chunk-codec';

export interface ChunkRow {
  tier: Tier;
  signal: number;
  t0: number; // earliest tSource (raw) or row start (aggregates), ms
  t1: number; // latest tSource (raw) or end of last bucket, ms
  n: number; // samples the row covers
  data: Uint8Array;
}

export interface SampleColumnsIn {
  signal: ArrayLike<number>;
  tSource: ArrayLike<number>;
  tServer: ArrayLike<number>;
  value: ArrayLike<number>;
  status: ArrayLike<number>;
}

const MAX_CHUNK_SAMPLES = 8192;
const RAW_SPAN_MS = ROW_MS[TIER_RAW]; // read once: imported bindings can be getters once compiled to CommonJS

class RawBuilder {
  n = 0;
  tMin = Infinity;
  tMax = -Infinity;
  cap = 256;
  tSource = new Float64Array(this.cap);
  tServer = new Float64Array(this.cap);
  value = new Float64Array(this.cap);
  status = new Uint32Array(this.cap);
  private grow(): void {
    this.cap *= 2;
    const g = <T extends Float64Array | Uint32Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(this.cap);
      b.set(a);
      return b;
    };
    this.tSource = g(this.tSource);
    this.tServer = g(this.tServer);
    this.value = g(this.value);
    this.status = g(this.status);
  }
  /** Whether adding t would stretch the chunk past its span (so it must be sealed first). */
  full(t: number): boolean {
    if (this.n >= MAX_CHUNK_SAMPLES) return true;
    if (this.n === 0 || !Number.isFinite(t)) return false;
    return (t > this.tMax ? t : this.tMax) - (t < this.tMin ? t : this.tMin) >= RAW_SPAN_MS;
  }
  add(ts: number, tv: number, v: number, s: number): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.tSource[i] = ts;
    this.tServer[i] = tv;
    this.value[i] = v;
    this.status[i] = s;
    if (ts < this.tMin) this.tMin = ts;
    if (ts > this.tMax) this.tMax = ts;
  }
  seal(signal: number): ChunkRow {
    const n = this.n;
    const data = encodeChunk({ n, tSource: this.tSource, tServer: this.tServer, value: this.value, status: this.status });
    const finite = this.tMin !== Infinity;
    const row: ChunkRow = { tier: TIER_RAW, signal, t0: finite ? this.tMin : 0, t1: finite ? this.tMax : 0, n, data };
    this.n = 0;
    this.tMin = Infinity;
    this.tMax = -Infinity;
    return row;
  }
}

interface SignalState {
  raw: RawBuilder;
  s1: AggRow | null;
  m1: AggRow | null;
  lastAddWall: number;
}

export class Ingest {
  private readonly sigs = new Map<number, SignalState>();
  constructor(private readonly emit: (row: ChunkRow) => void) {}

  add(c: SampleColumnsIn, rows: number, nowWall = Date.now()): void {
    let st: SignalState | undefined;
    let sig = -1;
    for (let i = 0; i < rows; i++) {
      if (c.signal[i] !== sig) {
        sig = c.signal[i];
        st = this.sigs.get(sig);
        if (!st) this.sigs.set(sig, (st = { raw: new RawBuilder(), s1: null, m1: null, lastAddWall: nowWall }));
      }
      const s = st as SignalState;
      s.lastAddWall = nowWall;
      const t = c.tSource[i];
      const v = c.value[i];
      if (s.raw.full(t)) this.emit(s.raw.seal(sig));
      s.raw.add(t, c.tServer[i], v, c.status[i]);
      if (!Number.isFinite(t)) continue; // kept raw, but it has no place on a time axis
      if (!s.s1 || !s.s1.covers(t)) s.s1 = this.swap(sig, s.s1, new AggRow(TIER_1S, t));
      s.s1.add(t, v);
      if (!s.m1 || !s.m1.covers(t)) s.m1 = this.swap(sig, s.m1, new AggRow(TIER_1M, t));
      s.m1.add(t, v);
    }
  }

  private swap(signal: number, old: AggRow | null, next: AggRow): AggRow {
    if (old && old.n > 0) this.emit({ tier: old.tier, signal, ...old.seal() });
    return next;
  }

  /** Seals every open builder (flush/close), or only those idle for `idleMs` of wall time. */
  seal(idleMs = 0, nowWall = Date.now()): void {
    for (const [signal, s] of this.sigs) {
      if (idleMs > 0 && nowWall - s.lastAddWall < idleMs) continue;
      if (s.raw.n > 0) this.emit(s.raw.seal(signal));
      if (s.s1 && s.s1.n > 0) s.s1 = this.swap(signal, s.s1, new AggRow(TIER_1S, s.s1.rowStart));
      if (s.m1 && s.m1.n > 0) s.m1 = this.swap(signal, s.m1, new AggRow(TIER_1M, s.m1.rowStart));
    }
  }

  /** Samples held in open raw builders (not yet sealed). */
  openSamples(): number {
    let n = 0;
    for (const s of this.sigs.values()) n += s.raw.n;
    return n;
  }
}
