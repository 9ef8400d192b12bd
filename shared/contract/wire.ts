// The envelopes that carry the contract over a MessagePort or a WebSocket: JSON text for calls, results and
// pushes; binary messages are telemetry frames (frame.ts) and nothing else. Both ends parse, neither trusts.
import { z } from 'zod';
import type { AppErrorData } from '../errors';

export const clientMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: z.number().int().nonnegative(), ch: z.string().max(128), body: z.unknown() }),
  z.object({ t: z.literal('sub'), id: z.number().int().nonnegative(), stream: z.string().max(128), params: z.unknown() }),
  z.object({ t: z.literal('unsub'), id: z.number().int().nonnegative() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | { t: 'result'; id: number; ok: true; body: unknown }
  | { t: 'result'; id: number; ok: false; error: AppErrorData }
  | { t: 'push'; id: number; stream: string; body: unknown }
  | { t: 'end'; id: number; error?: AppErrorData }
  | { t: 'fatal'; error: AppErrorData };

const errorDataSchema = z.object({ code: z.string(), message: z.string(), info: z.record(z.string(), z.unknown()).optional() });
// a plain union: two 'result' shapes share the discriminator value, which discriminatedUnion refuses
export const serverMessageSchema = z.union([
  z.object({ t: z.literal('result'), id: z.number(), ok: z.literal(true), body: z.unknown() }),
  z.object({ t: z.literal('result'), id: z.number(), ok: z.literal(false), error: errorDataSchema }),
  z.object({ t: z.literal('push'), id: z.number(), stream: z.string(), body: z.unknown() }),
  z.object({ t: z.literal('end'), id: z.number(), error: errorDataSchema.optional() }),
  z.object({ t: z.literal('fatal'), error: errorDataSchema }),
]);

/** Largest JSON message either side accepts; telemetry frames have their own, larger limit. */
export const MAX_TEXT_MESSAGE = 256 * 1024;
export const MAX_BINARY_MESSAGE = 8 * 1024 * 1024;
