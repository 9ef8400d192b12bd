// Accumulates samples into preallocated columns (grown by doubling, never per sample) and cuts one SampleFrame per
// tick: the only allocation on the hot path is the frame's own buffer, which is handed off to consumers.
import { allocFrame, SAMPLE_SCHEMA, type SampleFrame } from '../../../shared/contract/frame';

export class FrameBuilder {
  private signal: Uint32Array;
  private tSource: Float64Array;
  private tServer: Float64Array;
  private value: Float64Array;
  private status: Uint32Array;
  private n = 0;
  private seq = 0;

  constructor(capacity = 4096) {
    this.signal = new Uint32Array(capacity);
    this.tSource = new Float64Array(capacity);
    this.tServer = new Float64Array(capacity);
    this.value = new Float64Array(capacity);
    this.status = new Uint32Array(capacity);
  }

  get rows(): number {
    return this.n;
  }

  push(signal: number, tSource: number, tServer: number, value: number, status: number): void {
    if (this.n === this.signal.length) this.grow();
    const i = this.n++;
    this.signal[i] = signal;
    this.tSource[i] = tSource;
    this.tServer[i] = tServer;
    this.value[i] = value;
    this.status[i] = status;
  }

  /** Cuts the rows pushed since the last flush into one frame; null when there were none. */
  flush(): { bytes: Uint8Array; frame: SampleFrame } | null {
    if (this.n === 0) return null;
    const n = this.n;
    const { bytes, frame } = allocFrame(SAMPLE_SCHEMA, n, this.seq++);
    frame.columns.signal.set(this.signal.subarray(0, n));
    frame.columns.tSource.set(this.tSource.subarray(0, n));
    frame.columns.tServer.set(this.tServer.subarray(0, n));
    frame.columns.value.set(this.value.subarray(0, n));
    frame.columns.status.set(this.status.subarray(0, n));
    this.n = 0;
    return { bytes, frame };
  }

  private grow(): void {
    const cap = this.signal.length * 2;
    const g = <T extends Uint32Array | Float64Array>(a: T, C: new (n: number) => T): T => {
      const b = new C(cap);
      b.set(a);
      return b;
    };
    this.signal = g(this.signal, Uint32Array);
    this.tSource = g(this.tSource, Float64Array);
    this.tServer = g(this.tServer, Float64Array);
    this.value = g(this.value, Float64Array);
    this.status = g(this.status, Uint32Array);
  }
}
