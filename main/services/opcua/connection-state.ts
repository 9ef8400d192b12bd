// One server connection's state machine and its typed events. Drawn:
//
//   idle ─start─▶ connecting ─ok─▶ connected ─lost (socket, keep-alive, subscription timeout)─▶ reconnecting
//                   │  ▲                                                                           │
//                   │  └──────────────────── backoff elapsed ◀─────────────────────────────────────┘
//                   └─fatal (untrusted/changed certificate, bad credentials, policy refused)─▶ failed{reason}
//   failed ─retry (after a trust decision)─▶ connecting;   any ─stop─▶ stopped
import type { AppErrorData } from '../../../shared/errors';

export type FailReason = 'untrusted-certificate' | 'certificate-changed' | 'bad-credentials' | 'security' | 'mapping' | 'config';

export type ConnectionState =
  | { kind: 'idle' }
  | { kind: 'connecting'; attempt: number }
  | { kind: 'connected'; since: number; policyUri: string; mode: string; namespaces: string[]; items: number }
  | { kind: 'reconnecting'; attempt: number; retryInMs: number; error: AppErrorData }
  | { kind: 'failed'; reason: FailReason; error: AppErrorData }
  | { kind: 'stopped' };

export interface ConnectionGap {
  from: number; // host ms when the loss was seen
  to: number | null; // host ms when values flowed again; null while still down
  cause: string;
}

export function failReasonOf(e: AppErrorData): FailReason {
  if (e.code === 'UNAUTHENTICATED') return 'bad-credentials';
  if (e.code === 'SECURITY') return e.info?.reason === 'changed' ? 'certificate-changed' : e.info?.reason === 'untrusted' ? 'untrusted-certificate' : 'security';
  if (e.code === 'PARSE_ERROR') return 'mapping';
  return 'config';
}

/** Exponential backoff with ±20% jitter so several consoles do not hammer a restarting server in step. */
export function backoffMs(attempt: number, initial: number, max: number, rnd = Math.random()): number {
  const base = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * rnd));
}
