// A fixed-capacity ring of (time, value, status) per signal in typed arrays: telemetry lands here, never in Redux.
// Writers overwrite the oldest rows; readers copy a time-ordered window out for a trend or a map attribute.

export class RingBuffer {
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly s: Uint32Array;
  private head = 0; // next write index
  private count = 0;

  constructor(readonly capacity: number) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
    this.s = new Uint32Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(t: number, v: number, s: number): void {
    this.t[this.head] = t;
    this.v[this.head] = v;
    this.s[this.head] = s;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** Physical index of the k-th oldest row (0 ≤ k < length): lets a reader walk the ring without copying it. */
  index(k: number): number {
    return (this.head - this.count + k + 2 * this.capacity) % this.capacity;
  }

  /** The newest row, or undefined when empty. */
  last(): { t: number; v: number; s: number } | undefined {
    if (!this.count) return undefined;
    const i = (this.head - 1 + this.capacity) % this.capacity;
    return { t: this.t[i], v: this.v[i], s: this.s[i] };
  }

  /** Copies the rows in time order (oldest first) into fresh arrays. */
  snapshot(): { t: Float64Array; v: Float64Array; s: Uint32Array } {
    const n = this.count;
    const out = { t: new Float64Array(n), v: new Float64Array(n), s: new Uint32Array(n) };
    const start = (this.head - n + this.capacity) % this.capacity;
    for (let k = 0; k < n; k++) {
      const i = (start + k) % this.capacity;
      out.t[k] = this.t[i];
      out.v[k] = this.v[i];
      out.s[k] = this.s[i];
    }
    return out;
  }
}
