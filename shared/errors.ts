// One error vocabulary for every side: a code union, {code, message, info}, an assert helper and a guard.
// OPC UA StatusCodes, ethers errors and RPC faults are mapped into it at the service edge (STYLE.md §6).

export type ErrorCode =
  | 'INVALID_ARGUMENT' // a payload, a config field or a file failed its schema or a rule
  | 'UNKNOWN_CHANNEL' // a contract call to a channel that does not exist
  | 'UNAUTHENTICATED' // no session, bad cookie, bad password
  | 'FORBIDDEN' // the user's role lacks the right
  | 'NOT_FOUND'
  | 'CONFLICT' // state changed under the caller (stale state, data folder locked)
  | 'UNAVAILABLE' // a service or peer is not reachable now; may succeed later
  | 'TIMEOUT'
  | 'PARSE_ERROR' // a file (DSS, COMTRADE, mapping, scenario) could not be read: file and line in info
  | 'NOT_CONVERGED' // a numerical method gave up
  | 'SECURITY' // certificate not trusted, changed, signature forged
  | 'INTERLOCK' // a field device or a tag refuses the command (sync-check, do-not-operate)
  | 'LEDGER' // the chain refused or reverted
  | 'INTERNAL';

export interface AppErrorData {
  code: ErrorCode;
  message: string;
  info?: Record<string, unknown>;
}

export class AppError extends Error implements AppErrorData {
  readonly code: ErrorCode;
  readonly info?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, info?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (info !== undefined) this.info = info;
  }
  toData(): AppErrorData {
    return this.info === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, info: this.info };
  }
}

export function makeError(code: ErrorCode, message: string, info?: Record<string, unknown>): AppError {
  return new AppError(code, message, info);
}

export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}

/** Throws an AppError when `check` is false. */
export function assert(check: unknown, code: ErrorCode, message: string, info?: Record<string, unknown>): asserts check {
  if (!check) throw new AppError(code, message, info);
}

/** Converts anything thrown into error data that can cross a process or wire boundary. */
export function toErrorData(e: unknown): AppErrorData {
  if (e instanceof AppError) return e.toData();
  if (e instanceof Error) return { code: 'INTERNAL', message: e.message };
  return { code: 'INTERNAL', message: String(e) };
}
