import { Interface, makeError } from 'ethers';
import { describe, expect, it } from 'vitest';
import { mapRpcError } from '../../../main/services/ledger/rpc-errors';

const iface = new Interface(['error BadSeq(uint64 expected, uint64 got)']);

describe('RPC error mapping', () => {
  it('decodes a custom revert into LEDGER with its name and arguments, keeping the cause', () => {
    const data = iface.encodeErrorResult('BadSeq', [3, 5]);
    const e = makeError('execution reverted', 'CALL_EXCEPTION', { action: 'estimateGas', data, reason: null, transaction: { to: null, data: '0x' }, invocation: null, revert: null });
    const m = mapRpcError(e, 'settle x:5', [iface], { key: 'x:5' });
    expect(m.code).toBe('LEDGER');
    expect(m.message).toBe('settle x:5: BadSeq(3, 5)');
    expect(m.info).toMatchObject({ key: 'x:5', revert: { name: 'BadSeq', args: ['3', '5'] }, cause: { code: 'CALL_EXCEPTION' } });
    expect((m as { cause?: unknown }).cause).toBe(e);
  });

  it('maps an unreachable node to UNAVAILABLE and a nonce clash to CONFLICT', () => {
    expect(mapRpcError(new TypeError('fetch failed'), 'send').code).toBe('UNAVAILABLE');
    expect(mapRpcError(makeError('nonce too low', 'NONCE_EXPIRED', { transaction: {} }), 'send').code).toBe('CONFLICT');
    expect(mapRpcError(makeError('timeout', 'TIMEOUT', { operation: 'x' } as never), 'wait').code).toBe('TIMEOUT');
  });
});
