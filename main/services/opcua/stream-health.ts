// Stream health per signal (last update, rate, gaps, late, out-of-order, overflowed, bad quality) kept in typed
// arrays indexed by the connection's item index, so recording a sample allocates nothing; snapshots are cold path.

export interface SignalHealth {
  signal: number;
  node: string;
  lastUpdate: number | null; // host ms of the last sample
  lastSource: number | null; // source timestamp of the last sample
  samples: number;
  rate: number; // samples/s since the previous snapshot
  gaps: number; // source-time jumps > 3x the expected period, plus connection losses
  late: number; // arrived more than `lateMs` after its source time (corrected by the server clock offset)
  outOfOrder: number; // source time earlier than the previous sample's
  overflowed: number; // Overflow bit set: the server queue dropped samples before this one
  bad: number; // Bad-quality samples
  expectedPeriodMs: number;
}

export class StreamHealth {
  n = 0;
  private lastHost = new Float64Array(0);
  private lastSrc = new Float64Array(0);
  private count = new Float64Array(0);
  private countAtSnap = new Float64Array(0);
  private gaps = new Uint32Array(0);
  private late = new Uint32Array(0);
  private ooo = new Uint32Array(0);
  private overflow = new Uint32Array(0);
  private bad = new Uint32Array(0);
  expected = new Float64Array(0);
  private snapAt = Date.now();
  /** server clock minus host clock, ms (measured at connect and refreshed by the connection) */
  clockOffsetMs = 0;
  lateMs = 2000;

  constructor(n = 0) {
    this.ensure(n);
  }

  /** Grows to hold `n` slots; slots keep their counters (a signal keeps its slot across reconnects). */
  ensure(n: number): void {
    if (n <= this.n) return;
    const f = (a: Float64Array, fill = 0) => {
      const b = new Float64Array(n).fill(fill);
      b.set(a);
      return b;
    };
    const u = (a: Uint32Array) => {
      const b = new Uint32Array(n);
      b.set(a);
      return b;
    };
    this.lastHost = f(this.lastHost);
    this.lastSrc = f(this.lastSrc, NaN);
    this.count = f(this.count);
    this.countAtSnap = f(this.countAtSnap);
    this.expected = f(this.expected);
    this.gaps = u(this.gaps);
    this.late = u(this.late);
    this.ooo = u(this.ooo);
    this.overflow = u(this.overflow);
    this.bad = u(this.bad);
    this.n = n;
  }

  record(i: number, tSource: number, hostNow: number, status: number): void {
    const prev = this.lastSrc[i];
    if (prev === prev) {
      const dt = tSource - prev;
      if (dt < 0) this.ooo[i]++;
      else if (this.expected[i] > 0 && dt > 3 * this.expected[i] && dt > 250) this.gaps[i]++;
    }
    if (hostNow + this.clockOffsetMs - tSource > this.lateMs) this.late[i]++;
    if ((status & 0xc00) === 0x400 && (status & 0x80) !== 0) this.overflow[i]++;
    if (status >>> 30 === 2) this.bad[i]++;
    if (!(tSource < prev)) this.lastSrc[i] = tSource;
    this.lastHost[i] = hostNow;
    this.count[i]++;
  }

  /** A connection loss: every signal gets one gap, and the next sample is not compared with the last. */
  markGap(): void {
    for (let i = 0; i < this.n; i++) {
      this.gaps[i]++;
      this.lastSrc[i] = NaN;
    }
  }

  totals(): { samples: number; overflowed: number; gaps: number; late: number; outOfOrder: number; bad: number } {
    const sum = (a: ArrayLike<number>) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i];
      return s;
    };
    return { samples: sum(this.count), overflowed: sum(this.overflow), gaps: sum(this.gaps), late: sum(this.late), outOfOrder: sum(this.ooo), bad: sum(this.bad) };
  }

  snapshot(signals: ArrayLike<number>, nodes: readonly string[], now = Date.now()): SignalHealth[] {
    const dt = Math.max(1, now - this.snapAt) / 1000;
    this.snapAt = now;
    const out: SignalHealth[] = [];
    for (let i = 0; i < this.n; i++) {
      const c = this.count[i];
      out.push({
        signal: signals[i],
        node: nodes[i],
        lastUpdate: c ? this.lastHost[i] : null,
        lastSource: this.lastSrc[i] === this.lastSrc[i] ? this.lastSrc[i] : null,
        samples: c,
        rate: (c - this.countAtSnap[i]) / dt,
        gaps: this.gaps[i],
        late: this.late[i],
        outOfOrder: this.ooo[i],
        overflowed: this.overflow[i],
        bad: this.bad[i],
        expectedPeriodMs: this.expected[i],
      });
      this.countAtSnap[i] = c;
    }
    return out;
  }
}
