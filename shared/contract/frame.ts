// Binary telemetry frames: the hot path's only wire format (STYLE.md "a sample"). A small header, then columnar
// typed arrays, 8-byte aligned so the receiver reads them as views without copying. Checked by length, never trusted.
import { AppError } from '../errors';

export const FRAME_MAGIC = 0x46475845; // 'EXGF' little-endian
export const FRAME_VERSION = 1;

export type ColumnType = 'u8' | 'u32' | 'i32' | 'f32' | 'f64';
const TYPE_CODES: Record<ColumnType, number> = { u8: 1, u32: 2, i32: 3, f32: 4, f64: 5 };
const CODE_TYPES: Record<number, ColumnType> = { 1: 'u8', 2: 'u32', 3: 'i32', 4: 'f32', 5: 'f64' };
const WIDTH: Record<ColumnType, number> = { u8: 1, u32: 4, i32: 4, f32: 4, f64: 8 };

type ArrayFor<T extends ColumnType> = T extends 'u8' ? Uint8Array : T extends 'u32' ? Uint32Array : T extends 'i32' ? Int32Array : T extends 'f32' ? Float32Array : Float64Array;

export interface FrameSchema<C extends Record<string, ColumnType> = Record<string, ColumnType>> {
  id: number;
  name: string;
  columns: C;
}

export type FrameColumns<S extends FrameSchema> = { [K in keyof S['columns']]: ArrayFor<S['columns'][K]> };

export interface Frame<S extends FrameSchema = FrameSchema> {
  schemaId: number;
  seq: number;
  rows: number;
  columns: FrameColumns<S>;
}

/**
 * Samples: one row per (signal, time, value, quality). Times are milliseconds since the UTC epoch (fractional
 * milliseconds allowed); status is the OPC UA StatusCode (0 = Good); value may be NaN (carried, never dropped).
 */
export const SAMPLE_SCHEMA = {
  id: 1,
  name: 'samples.v1',
  columns: { signal: 'u32', tSource: 'f64', tServer: 'f64', value: 'f64', status: 'u32' },
} as const satisfies FrameSchema;
export type SampleFrame = Frame<typeof SAMPLE_SCHEMA>;

export const SCHEMAS: Record<number, FrameSchema> = { [SAMPLE_SCHEMA.id]: SAMPLE_SCHEMA };

const HEADER = 16; // magic u32, version u8, schema u8, ncols u8, reserved u8, rows u32, seq u32
const align8 = (n: number): number => (n + 7) & ~7;

function ctor(t: ColumnType): { new (buf: ArrayBufferLike, off: number, len: number): ArrayBufferView & ArrayLike<number> } & { new (len: number): ArrayLike<number> } {
  switch (t) {
    case 'u8': return Uint8Array as never;
    case 'u32': return Uint32Array as never;
    case 'i32': return Int32Array as never;
    case 'f32': return Float32Array as never;
    case 'f64': return Float64Array as never;
  }
}

export function frameByteLength(schema: FrameSchema, rows: number): number {
  const names = Object.keys(schema.columns);
  let n = align8(HEADER + names.length);
  for (const name of names) n += align8(rows * WIDTH[schema.columns[name]]);
  return n;
}

/** Allocates an empty frame whose columns are views into one buffer ready to send. */
export function allocFrame<S extends FrameSchema>(schema: S, rows: number, seq = 0): { frame: Frame<S>; bytes: Uint8Array } {
  const names = Object.keys(schema.columns);
  const bytes = new Uint8Array(frameByteLength(schema, rows));
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, FRAME_MAGIC, true);
  dv.setUint8(4, FRAME_VERSION);
  dv.setUint8(5, schema.id);
  dv.setUint8(6, names.length);
  dv.setUint32(8, rows, true);
  dv.setUint32(12, seq >>> 0, true);
  let off = HEADER;
  for (const name of names) bytes[off++] = TYPE_CODES[schema.columns[name]];
  off = align8(off);
  const columns: Record<string, ArrayLike<number>> = {};
  for (const name of names) {
    const t = schema.columns[name];
    columns[name] = new (ctor(t))(bytes.buffer, off, rows);
    off += align8(rows * WIDTH[t]);
  }
  return { frame: { schemaId: schema.id, seq, rows, columns: columns as FrameColumns<S> }, bytes };
}

/** Encodes columns (all of the schema's, each `rows` long) into one buffer. */
export function encodeFrame<S extends FrameSchema>(schema: S, columns: { [K in keyof S['columns']]: ArrayLike<number> }, rows: number, seq = 0): Uint8Array {
  const { frame, bytes } = allocFrame(schema, rows, seq);
  for (const name of Object.keys(schema.columns)) {
    const src = (columns as Record<string, ArrayLike<number>>)[name];
    if (!src || src.length < rows) throw new AppError('INVALID_ARGUMENT', `column ${name} has ${src ? src.length : 0} values, frame has ${rows} rows`);
    const dst = (frame.columns as Record<string, { set(a: ArrayLike<number>): void; subarray?: unknown }>)[name];
    dst.set(src.length === rows ? src : Array.prototype.slice.call(src, 0, rows));
  }
  return bytes;
}

/** Decodes and validates a frame; columns are views into `bytes` when it is 8-byte aligned, else into a copy. */
export function decodeFrame(input: Uint8Array, expected?: FrameSchema): Frame {
  const fail = (why: string, info?: Record<string, unknown>): never => {
    throw new AppError('INVALID_ARGUMENT', `bad telemetry frame: ${why}`, info);
  };
  if (input.byteLength < HEADER) fail('shorter than its header', { length: input.byteLength });
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== FRAME_MAGIC) fail('magic');
  const version = dv.getUint8(4);
  if (version !== FRAME_VERSION) fail(`version ${version} (expected ${FRAME_VERSION})`);
  const schemaId = dv.getUint8(5);
  const schema = SCHEMAS[schemaId];
  if (!schema) fail(`unknown schema ${schemaId}`);
  if (expected && expected.id !== schemaId) fail(`schema ${schemaId}, expected ${expected.id}`);
  const names = Object.keys(schema.columns);
  const ncols = dv.getUint8(6);
  if (ncols !== names.length) fail(`column count ${ncols} for schema ${schema.name}`);
  const rows = dv.getUint32(8, true);
  const seq = dv.getUint32(12, true);
  if (HEADER + ncols > bytes.byteLength) fail('truncated column table');
  for (let i = 0; i < ncols; i++) {
    const code = bytes[HEADER + i];
    if (CODE_TYPES[code] !== schema.columns[names[i]]) fail(`column ${names[i]} type ${code}`);
  }
  const need = frameByteLength(schema, rows);
  if (need !== bytes.byteLength) fail(`length ${bytes.byteLength}, header says ${need}`, { rows });
  let off = align8(HEADER + ncols);
  const columns: Record<string, ArrayLike<number>> = {};
  for (const name of names) {
    const t = schema.columns[name];
    columns[name] = new (ctor(t))(bytes.buffer, bytes.byteOffset + off, rows);
    off += align8(rows * WIDTH[t]);
  }
  return { schemaId, seq, rows, columns: columns as FrameColumns<FrameSchema> };
}
