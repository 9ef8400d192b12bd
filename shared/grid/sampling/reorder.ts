// Event-time reordering with a watermark: samples are released in (time, input) order once the newest time seen
// is more than `latenessMs` ahead, so batch boundaries and replay speed cannot change what the consumer sees.
import type { DetectorCounters } from './samples';

export type SampleSink = (input: number, t: number, value: number, status: number) => void;

/**
 * Buffers samples of several inputs and releases them in time order. The watermark W = newest − lateness advances
 * after every single sample, so the release sequence is a function of the arrival sequence only. A sample older than
 * the released bound is late: counted and dropped (it can no longer be placed without rewriting history).
 */
export class ReorderBuffer {
  private t = new Float64Array(128);
  private v = new Float64Array(128);
  private q = new Uint32Array(128);
  private inp = new Uint32Array(128);
  private head = 0;
  private tail = 0;
  private newest = Number.NEGATIVE_INFINITY;
  private released = Number.NEGATIVE_INFINITY; // every sample with t < released has been handed on
  private readonly lastArrival: number[] = [];

  constructor(
    private readonly latenessMs: number,
    private readonly sink: SampleSink,
    private readonly counters: DetectorCounters,
  ) {}

  push(input: number, t: number, value: number, status: number): void {
    const c = this.counters;
    c.samples++;
    if (!Number.isFinite(t)) {
      // A sample without a usable time cannot be placed; it counts as NaN/infinite, never throws.
      if (Number.isNaN(t)) c.nan++;
      else c.infinite++;
      return;
    }
    const prev = this.lastArrival[input];
    if (prev !== undefined && t < prev) c.outOfOrder++;
    else this.lastArrival[input] = t;
    if (t < this.released) {
      c.late++;
      return;
    }
    this.insert(input, t, value, status);
    if (t > this.newest) {
      this.newest = t;
      this.release(t - this.latenessMs);
    }
  }

  /** Releases everything (end of a recording). */
  flush(): void {
    this.release(Number.POSITIVE_INFINITY);
  }

  private release(bound: number): void {
    if (bound <= this.released) return;
    this.released = bound;
    const { t, v, q, inp } = this;
    while (this.head < this.tail && t[this.head] < bound) {
      const i = this.head++;
      this.sink(inp[i], t[i], v[i], q[i]);
    }
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  private insert(input: number, time: number, value: number, status: number): void {
    if (this.tail === this.t.length) this.makeRoom();
    const { t, v, q, inp } = this;
    let j = this.tail++;
    // Nearly sorted input: walk back from the end; ties are ordered by input index, then arrival.
    while (j > this.head && (t[j - 1] > time || (t[j - 1] === time && inp[j - 1] > input))) {
      t[j] = t[j - 1];
      v[j] = v[j - 1];
      q[j] = q[j - 1];
      inp[j] = inp[j - 1];
      j--;
    }
    t[j] = time;
    v[j] = value;
    q[j] = status;
    inp[j] = input;
  }

  private makeRoom(): void {
    const n = this.tail - this.head;
    // Compact in place while at most half full, else double; either way the live range moves to index 0.
    const cap = n * 2 > this.t.length ? this.t.length * 2 : this.t.length;
    const move = <A extends Float64Array | Uint32Array>(a: A, make: (len: number) => A): A => {
      if (cap === a.length) {
        a.copyWithin(0, this.head, this.tail);
        return a;
      }
      const b = make(cap);
      b.set(a.subarray(this.head, this.tail));
      return b;
    };
    this.t = move(this.t, (l) => new Float64Array(l));
    this.v = move(this.v, (l) => new Float64Array(l));
    this.q = move(this.q, (l) => new Uint32Array(l));
    this.inp = move(this.inp, (l) => new Uint32Array(l));
    this.head = 0;
    this.tail = n;
  }
}
