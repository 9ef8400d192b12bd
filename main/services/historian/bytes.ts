// Growable byte writer and its reader: LEB128 varints for integers up to 2^53 and zigzag for signed ones.
// The chunk codec is built on these; they use arithmetic rather than bit ops above 2^31 to stay exact.

export class ByteWriter {
  buf: Uint8Array;
  len = 0;
  constructor(capacity = 1024) {
    this.buf = new Uint8Array(capacity);
  }
  /** Makes room for n more bytes, so a loop can write buf[len++] directly. */
  room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v;
  }
  bytes(src: Uint8Array, from: number, to: number): void {
    this.room(to - from);
    for (let i = from; i < to; i++) this.buf[this.len++] = src[i];
  }
  varu(v: number): void {
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }
  /** zigzag: 0,-1,1,-2,... → 0,1,2,3,... so small magnitudes stay short whatever their sign */
  vari(v: number): void {
    this.varu(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export class ByteReader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  u8(): number {
    if (this.pos >= this.buf.length) throw new RangeError('chunk truncated');
    return this.buf[this.pos++];
  }
  varu(): number {
    let v = 0;
    let mult = 1;
    for (;;) {
      const b = this.u8();
      v += (b & 0x7f) * mult;
      if (b < 0x80) return v;
      mult *= 0x80;
      if (mult > 2 ** 63) throw new RangeError('varint too long');
    }
  }
  vari(): number {
    const z = this.varu();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
}
