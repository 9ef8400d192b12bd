// The hot path's pieces: the frame builder (grows by doubling, frames decode to what was pushed, NaN and status
// kept), stream health counters, the password rule on token policies, and the reconnect backoff.
import { EndpointDescription, MessageSecurityMode, UserTokenPolicy, UserTokenType } from 'node-opcua';
import { describe, expect, it } from 'vitest';
import { decodeFrame, SAMPLE_SCHEMA } from '../../../shared/contract/frame';
import { backoffMs } from '../../../main/services/opcua/connection-state';
import { FrameBuilder } from '../../../main/services/opcua/frame-builder';
import { checkUserToken } from '../../../main/services/opcua/security';
import { StreamHealth } from '../../../main/services/opcua/stream-health';

describe('FrameBuilder', () => {
  it('grows past its capacity and cuts frames that decode to exactly what was pushed', () => {
    const fb = new FrameBuilder(4);
    for (let i = 0; i < 37; i++) fb.push(i, 1000 + i, 2000 + i, i === 5 ? NaN : i * 0.5, i === 7 ? 0x808c0000 : 0);
    const out = fb.flush()!;
    const f = decodeFrame(out.bytes, SAMPLE_SCHEMA);
    expect(f.rows).toBe(37);
    expect(f.seq).toBe(0);
    const c = f.columns as Record<string, ArrayLike<number>>;
    expect(c.signal[36]).toBe(36);
    expect(c.tSource[10]).toBe(1010);
    expect(c.tServer[10]).toBe(2010);
    expect(Number.isNaN(c.value[5])).toBe(true);
    expect(c.status[7]).toBe(0x808c0000);
    expect(fb.flush()).toBeNull();
    fb.push(1, 1, 1, 1, 0);
    expect(decodeFrame(fb.flush()!.bytes).seq).toBe(1);
  });
});

describe('StreamHealth', () => {
  it('counts out-of-order, gaps, overflow, late and bad samples per slot', () => {
    const h = new StreamHealth(2);
    h.expected[0] = 20;
    const now = 1_000_000;
    h.record(0, now - 100, now, 0);
    h.record(0, now - 80, now, 0);
    h.record(0, now - 90, now, 0); // earlier than the last
    h.record(0, now + 1000, now + 1000, 0); // 1080 ms jump at a 20 ms period
    h.record(1, now - 5000, now, 0x00000480); // Good with InfoType DataValue + Overflow bit, and 5 s late
    h.record(1, now, now, 0x808c0000);
    const [a, b] = h.snapshot([11, 12], ['n0', 'n1'], now + 1000);
    expect(a).toMatchObject({ signal: 11, samples: 4, outOfOrder: 1, gaps: 1, overflowed: 0, late: 0 });
    expect(b).toMatchObject({ signal: 12, samples: 2, overflowed: 1, late: 1, bad: 1 });
    h.markGap();
    expect(h.totals().gaps).toBe(3);
    h.ensure(5); // grows and keeps counters
    expect(h.snapshot([11, 12, 0, 0, 0], ['', '', '', '', '']).slice(0, 2).map((s) => s.samples)).toEqual([4, 2]);
  });
});

describe('password over the wire', () => {
  const ep = (mode: MessageSecurityMode, channelPolicy: string, tokenPolicy: string) =>
    new EndpointDescription({ securityMode: mode, securityPolicyUri: channelPolicy, userIdentityTokens: [new UserTokenPolicy({ policyId: 'u', tokenType: UserTokenType.UserName, securityPolicyUri: tokenPolicy })] });
  const user = { type: 'username', username: 'op', password: 'pw' } as const;
  const NONE = 'http://opcfoundation.org/UA/SecurityPolicy#None';
  const B256 = 'http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256';
  it('is refused on an unencrypted channel when the token policy does not encrypt it', () => {
    expect(() => checkUserToken(ep(MessageSecurityMode.None, NONE, ''), user, 'opc.tcp://h')).toThrow(/refusing to send the password for op/);
    expect(() => checkUserToken(ep(MessageSecurityMode.None, NONE, NONE), user, 'opc.tcp://h')).toThrow(/not encrypted/);
  });
  it('is allowed when the token policy encrypts it, or the channel does; deprecated token policies are refused', () => {
    expect(checkUserToken(ep(MessageSecurityMode.None, NONE, B256), user, 'opc.tcp://h').policyId).toBe('u');
    expect(checkUserToken(ep(MessageSecurityMode.SignAndEncrypt, B256, ''), user, 'opc.tcp://h').policyId).toBe('u');
    expect(() => checkUserToken(ep(MessageSecurityMode.None, NONE, 'http://opcfoundation.org/UA/SecurityPolicy#Basic128Rsa15'), user, 'opc.tcp://h')).toThrow(/deprecated/);
    expect(() => checkUserToken(ep(MessageSecurityMode.SignAndEncrypt, B256, ''), { type: 'certificate', certificateFile: 'a', privateKeyFile: 'b' }, 'opc.tcp://h')).toThrow(/does not accept certificate users/);
  });
});

describe('reconnect backoff', () => {
  it('doubles from the initial delay up to the maximum, with bounded jitter', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffMs(n, 500, 5000, 0.5))).toEqual([500, 1000, 2000, 4000, 5000]);
    expect(backoffMs(1, 500, 5000, 0)).toBe(400);
    expect(backoffMs(1, 500, 5000, 1)).toBe(600);
  });
});
