// RoCoF as the least-squares slope of frequency over a sliding window (the ride-through limits' short window),
// updated in O(1) per sample from running sums, with an offset origin so 60 Hz values keep their precision.

export class SlidingSlope {
  private ts: number[] = [];
  private fs: number[] = [];
  private first = 0;
  private t0 = 0; // origin of the running sums (ms)
  private f0 = 0;
  private n = 0;
  private st = 0;
  private sf = 0;
  private stt = 0;
  private stf = 0;

  constructor(private readonly windowMs: number) {}

  reset(): void {
    this.ts = [];
    this.fs = [];
    this.first = 0;
    this.n = this.st = this.sf = this.stt = this.stf = 0;
  }

  /** Adds a sample; returns the slope in Hz/s over the window, or NaN until the window holds enough data. */
  push(tMs: number, f: number): number {
    if (this.n === 0) {
      this.t0 = tMs;
      this.f0 = f;
    }
    this.ts.push(tMs);
    this.fs.push(f);
    this.add(tMs, f, 1);
    const start = tMs - this.windowMs;
    while (this.first < this.ts.length && this.ts[this.first] < start - 1e-9) {
      this.add(this.ts[this.first], this.fs[this.first], -1);
      this.first++;
    }
    if (this.first > 64 && this.first * 2 > this.ts.length) this.rebase(); // keeps the arrays small (cache-resident)
    return this.slope(tMs);
  }

  private add(t: number, f: number, sign: 1 | -1): void {
    const x = (t - this.t0) / 1000;
    const y = f - this.f0;
    this.n += sign;
    this.st += sign * x;
    this.sf += sign * y;
    this.stt += sign * x * x;
    this.stf += sign * x * y;
  }

  private slope(now: number): number {
    if (this.n < 3 || now - this.ts[this.first] < this.windowMs * 0.5) return Number.NaN;
    const den = this.n * this.stt - this.st * this.st;
    if (!(den > 0)) return Number.NaN;
    return (this.n * this.stf - this.st * this.sf) / den;
  }

  // Drops consumed samples and recomputes the sums about the oldest kept one, so errors never accumulate.
  private rebase(): void {
    this.ts = this.ts.slice(this.first);
    this.fs = this.fs.slice(this.first);
    this.first = 0;
    this.t0 = this.ts[0];
    this.f0 = this.fs[0];
    this.n = this.st = this.sf = this.stt = this.stf = 0;
    for (let i = 0; i < this.ts.length; i++) this.add(this.ts[i], this.fs[i], 1);
  }
}
