// Helpers that give every channel and push stream one declaration: its schemas. The types of the core's handlers
// and of the renderer's client are derived from these declarations, never written twice.
import type { z } from 'zod';

export interface ChannelDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  summary: string;
  request: Req;
  response: Res;
  /** request fields never written to the journal (passwords, passphrases) */
  redact?: readonly string[];
}

export interface StreamDef<P extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  summary: string;
  params: P;
  /** the JSON push body; binary streams carry telemetry frames (frame.ts) and declare z.never() here */
  push: B;
  binary?: boolean;
}

export function channel<Req extends z.ZodType, Res extends z.ZodType>(summary: string, request: Req, response: Res, redact?: readonly string[]): ChannelDef<Req, Res> {
  return redact ? { summary, request, response, redact } : { summary, request, response };
}

export function stream<P extends z.ZodType, B extends z.ZodType>(summary: string, params: P, push: B, binary = false): StreamDef<P, B> {
  return binary ? { summary, params, push, binary } : { summary, params, push };
}

type Intersect<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Merges areas' records; a name declared twice is a programming error caught at load, not a silent overwrite. */
export function merge<T extends Record<string, unknown>[]>(...parts: T): Intersect<T[number]> {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const k of Object.keys(part)) {
      if (k in out) throw new Error(`contract: ${k} is declared twice`);
      out[k] = part[k];
    }
  }
  return out as Intersect<T[number]>;
}
