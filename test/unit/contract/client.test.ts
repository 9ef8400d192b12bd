// The contract client (shared by preload and the browser bridge) against a real core session over an in-memory
// carrier: version agreed on link-up, results and errors as data, pushes and frames routed, calls failed on loss.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCore, type Core } from '../../../main/core';
import { CHANNELS, STREAMS, negotiateVersion } from '../../../shared/contract';
import { createClient, type Transport } from '../../../shared/contract/client';
import { merge } from '../../../shared/contract/define';
import { SAMPLE_SCHEMA, decodeFrame, encodeFrame } from '../../../shared/contract/frame';

let core: Core;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'exergy-client-'));
  core = await startCore({ host: 'cli', dataDir: dir, plugins: false });
});
afterAll(async () => {
  await core.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A carrier wiring a client to a core session in memory, with a switch to cut the link. */
function loopback() {
  let onMsg: (d: string | Uint8Array) => void = () => {};
  let onLink: (up: boolean) => void = () => {};
  const session = core.openSession({ host: 'cli', remote: 'test', sendText: (t) => queueMicrotask(() => onMsg(t)), sendBinary: (b) => (queueMicrotask(() => onMsg(b)), true) });
  let up = false;
  const transport: Transport = {
    send: (text) => {
      if (!up) throw new Error('down');
      void session.receive(text);
    },
    onMessage: (cb) => void (onMsg = cb),
    onLink: (cb) => void (onLink = cb),
  };
  return { transport, session, up: () => ((up = true), onLink(true)), down: () => ((up = false), onLink(false)) };
}

describe('contract client', () => {
  it('negotiates the version, then calls return results and errors as data', async () => {
    const lb = loopback();
    const api = createClient(lb.transport, 'websocket', 'test');
    const states: string[] = [];
    api.onLink((s) => states.push(s));
    lb.up();
    const who = await api.call('auth.whoami', {});
    expect(who).toEqual({ ok: true, value: { user: null } });
    expect(states).toEqual(['connecting', 'up']);
    const denied = await api.call('system.status', {});
    expect(denied).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const login = await api.call('auth.login', { user: core.firstStart!.user, password: core.firstStart!.password });
    expect(login.ok && login.value.role).toBe('dso-operator');
    const status = await api.call('system.status', {});
    expect(status.ok && status.value.contractVersion).toBe(1);
  });

  it('routes pushes to their subscriber and binary frames to frame listeners', async () => {
    const lb = loopback();
    const api = createClient(lb.transport, 'websocket', 'test');
    lb.up();
    await api.call('auth.login', { user: core.firstStart!.user, password: core.firstStart!.password });
    const seen: string[][] = [];
    api.subscribe('status', {}, (st) => seen.push(st.connections.map((c) => `${c.id}:${c.state}`)));
    const frames: number[] = [];
    api.onFrame((b) => frames.push(decodeFrame(b, SAMPLE_SCHEMA).rows));
    api.subscribe('telemetry', {}, () => {});
    await api.call('auth.whoami', {}); // round trip: the subscriptions have reached the core
    core.setConnection({ id: 'plc-1', kind: 'opcua', label: 'PLC 1', state: 'connecting' });
    core.publishFrame(encodeFrame(SAMPLE_SCHEMA, { signal: [1, 2], tSource: [1, 2], tServer: [1, 2], value: [0.5, 0.6], status: [0, 0] }, 2, 7));
    await new Promise((r) => setTimeout(r, 120)); // status pushes are coalesced over 50 ms
    expect(seen).toEqual([[], ['plc-1:connecting']]);
    expect(frames).toEqual([2]);
  });

  it('fails pending calls as UNAVAILABLE when the link drops, and recovers on the next link-up', async () => {
    const lb = loopback();
    const api = createClient(lb.transport, 'websocket', 'test');
    const down = await api.call('auth.whoami', {});
    expect(down).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    lb.up();
    expect((await api.call('auth.whoami', {})).ok).toBe(true);
    lb.down();
    expect(await api.call('auth.whoami', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    lb.up();
    expect((await api.call('auth.whoami', {})).ok).toBe(true);
  });

  it('refuses a client that speaks no common version', async () => {
    const lb = loopback();
    await lb.session.receive(JSON.stringify({ t: 'call', id: 1, ch: 'hello', body: { versions: [99], client: 'future' } }));
    expect(lb.session.greeted).toBe(false);
    expect(negotiateVersion([1, 2, 3])).toBe(1);
    expect(negotiateVersion([2])).toBeUndefined();
  });
});

describe('contract declarations', () => {
  it('every channel and stream has runtime schemas', () => {
    for (const [name, def] of Object.entries(CHANNELS)) {
      expect(typeof def.request.safeParse, name).toBe('function');
      expect(typeof def.response.safeParse, name).toBe('function');
    }
    for (const def of Object.values(STREAMS)) expect(typeof def.params.safeParse).toBe('function');
  });

  it('merging two areas that declare the same channel fails at load', () => {
    expect(() => merge({ a: 1, b: 2 }, { c: 3 }, { b: 4 })).toThrow(/b is declared twice/);
  });
});
