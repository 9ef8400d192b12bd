// Maps ethers and JSON-RPC failures into the project's error vocabulary at the ledger's edge, keeping the
// original as `cause` (and its code and message in info, since only data crosses IPC). Reverts are decoded.
import { isError, type Interface } from 'ethers';
import { AppError, isAppError, type ErrorCode } from '../../../shared/errors';

/** Custom errors a revert may carry, decoded with the contracts' ABIs. */
export function decodeRevert(data: string | undefined, ifaces: Interface[]): { name: string; args: unknown[] } | undefined {
  if (!data || data === '0x') return undefined;
  for (const iface of ifaces) {
    try {
      const d = iface.parseError(data);
      if (d) return { name: d.name, args: [...d.args].map((a) => (typeof a === 'bigint' ? a.toString() : a)) };
    } catch {
      // not this contract's error: try the next interface
    }
  }
  return undefined;
}

function revertData(e: unknown): string | undefined {
  const x = e as { data?: unknown; info?: { error?: { data?: unknown } }; error?: { data?: unknown } };
  for (const d of [x.data, x.info?.error?.data, x.error?.data]) {
    if (typeof d === 'string' && d.startsWith('0x')) return d;
    if (d && typeof d === 'object' && typeof (d as { data?: unknown }).data === 'string') return (d as { data: string }).data;
  }
  return undefined;
}

export function mapRpcError(e: unknown, what: string, ifaces: Interface[] = [], info: Record<string, unknown> = {}): AppError {
  if (isAppError(e)) return e;
  const msg = e instanceof Error ? ((e as { shortMessage?: string }).shortMessage ?? e.message) : String(e);
  const ecode = (e as { code?: unknown }).code;
  let code: ErrorCode = 'LEDGER';
  const data = revertData(e);
  const revert = decodeRevert(data, ifaces);
  if (isError(e, 'CALL_EXCEPTION') || revert) code = 'LEDGER';
  else if (isError(e, 'NONCE_EXPIRED') || isError(e, 'REPLACEMENT_UNDERPRICED') || isError(e, 'TRANSACTION_REPLACED')) code = 'CONFLICT';
  else if (isError(e, 'TIMEOUT')) code = 'TIMEOUT';
  else if (isError(e, 'NETWORK_ERROR') || isError(e, 'SERVER_ERROR') || /ECONNREFUSED|ECONNRESET|fetch failed|socket hang up/i.test(msg)) code = 'UNAVAILABLE';
  else if (isError(e, 'INSUFFICIENT_FUNDS')) code = 'LEDGER';
  else if (isError(e, 'INVALID_ARGUMENT') || isError(e, 'BAD_DATA')) code = 'INVALID_ARGUMENT';
  const reason = revert ? `${revert.name}(${revert.args.join(', ')})` : msg;
  const err = new AppError(code, `${what}: ${reason}`, { ...info, cause: { code: typeof ecode === 'string' || typeof ecode === 'number' ? ecode : undefined, message: msg }, ...(revert ? { revert } : data ? { revertData: data } : {}) });
  (err as { cause?: unknown }).cause = e;
  return err;
}
