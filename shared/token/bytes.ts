// Byte helpers for the token codec: a bounds-checked big-endian writer/reader and hex conversion.
// The reader throws PARSE_ERROR naming the field and offset, so a forged payload is reported, never crashes.
import { AppError } from '../errors';

export class ByteWriter {
  private buf = new Uint8Array(128);
  private len = 0;
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  u8(v: number): this {
    this.ensure(1);
    this.buf[this.len++] = v;
    return this;
  }
  u16(v: number): this {
    this.ensure(2);
    new DataView(this.buf.buffer).setUint16(this.len, v);
    this.len += 2;
    return this;
  }
  u32(v: number): this {
    this.ensure(4);
    new DataView(this.buf.buffer).setUint32(this.len, v);
    this.len += 4;
    return this;
  }
  i64(v: bigint): this {
    this.ensure(8);
    new DataView(this.buf.buffer).setBigInt64(this.len, v);
    this.len += 8;
    return this;
  }
  u64(v: bigint): this {
    this.ensure(8);
    new DataView(this.buf.buffer).setBigUint64(this.len, v);
    this.len += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export class ByteReader {
  private off = 0;
  private readonly view: DataView;
  constructor(private readonly b: Uint8Array) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  get offset(): number {
    return this.off;
  }
  private need(n: number, field: string): void {
    if (this.off + n > this.b.length) throw new AppError('PARSE_ERROR', `token payload truncated at ${field}`, { field, offset: this.off, length: this.b.length });
  }
  u8(field: string): number {
    this.need(1, field);
    return this.b[this.off++];
  }
  u16(field: string): number {
    this.need(2, field);
    const v = this.view.getUint16(this.off);
    this.off += 2;
    return v;
  }
  u32(field: string): number {
    this.need(4, field);
    const v = this.view.getUint32(this.off);
    this.off += 4;
    return v;
  }
  i64(field: string): bigint {
    this.need(8, field);
    const v = this.view.getBigInt64(this.off);
    this.off += 8;
    return v;
  }
  u64(field: string): bigint {
    this.need(8, field);
    const v = this.view.getBigUint64(this.off);
    this.off += 8;
    return v;
  }
  bytes(n: number, field: string): Uint8Array {
    this.need(n, field);
    const v = this.b.slice(this.off, this.off + n);
    this.off += n;
    return v;
  }
  /** Trailing bytes make a second encoding of the same payload: refused. */
  end(): void {
    if (this.off !== this.b.length) throw new AppError('PARSE_ERROR', `token payload has ${this.b.length - this.off} trailing bytes`, { field: 'end', offset: this.off });
  }
}

export function toHex(b: Uint8Array): string {
  let s = '0x';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(h: string, field: string, length?: number): Uint8Array {
  const s = h.startsWith('0x') || h.startsWith('0X') ? h.slice(2) : h;
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new AppError('INVALID_ARGUMENT', `${field} is not hex`, { field });
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  if (length !== undefined && out.length !== length) throw new AppError('INVALID_ARGUMENT', `${field} must be ${length} bytes, got ${out.length}`, { field });
  return out;
}

/** Left-pads a hex id (an address or a bytes32) to 32 bytes so both spellings of one id bind the same way. */
export function id32(h: string, field: string): Uint8Array {
  const b = fromHex(h, field);
  if (b.length > 32 || b.length === 0) throw new AppError('INVALID_ARGUMENT', `${field} must be 1..32 bytes`, { field });
  const out = new Uint8Array(32);
  out.set(b, 32 - b.length);
  return out;
}

export function u256(v: bigint, field: string): Uint8Array {
  if (v < 0n || v >= 1n << 256n) throw new AppError('INVALID_ARGUMENT', `${field} out of uint256 range`, { field });
  const out = new Uint8Array(32);
  let x = v;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}
