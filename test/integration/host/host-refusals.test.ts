// The browser host refuses, each in its own test: an unknown channel, a malformed payload, an oversized message,
// a missing cookie, a foreign Origin, a foreign Host, a wrong token, and a role lacking the right.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, getCookie, openSocket, startRig, TestClient, type Rig } from './host-harness';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.stop();
});

describe('browser host refusals', () => {
  it('refuses an unknown channel as data and journals it', async () => {
    const c = await connect(rig, 'ada');
    const r = await c.call('grid.explode', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    const last = rig.core.journal.query({ limit: 1 })[0];
    expect(last).toMatchObject({ channel: 'grid.explode', outcome: 'UNKNOWN_CHANNEL', user: 'ada' });
    c.ws.close();
  });

  it('refuses a malformed payload naming the field', async () => {
    const c = await connect(rig);
    const r = await c.call('auth.login', { user: 42, password: 'x' });
    expect(r.ok).toBe(false);
    expect(r.error.code).toBe('INVALID_ARGUMENT');
    expect(r.error.info.fields).toContain('user');
    const bad = await c.call('journal.query', { limit: 'many' });
    expect(bad.error.code).toBe('UNAUTHENTICATED'); // the role check comes before anything is parsed
    c.ws.close();
  });

  it('closes the socket on an oversized message (1009)', async () => {
    const c = await connect(rig, 'ada');
    const closed = c.closed();
    c.ws.send(JSON.stringify({ t: 'call', id: 9, ch: 'system.status', body: { pad: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);
  });

  it('refuses an upgrade without the session cookie (401)', async () => {
    expect((await openSocket(rig, { Origin: rig.host.origin })).status).toBe(401);
    expect((await openSocket(rig, { Origin: rig.host.origin, Cookie: 'exergy_session=forged' })).status).toBe(401);
  });

  it('refuses a foreign Origin (403) on the upgrade and on the token exchange', async () => {
    const { cookie } = await getCookie(rig);
    expect((await openSocket(rig, { Origin: 'http://evil.example', Cookie: cookie! })).status).toBe(403);
    const r = await fetch(`${rig.host.origin}/session`, { method: 'POST', headers: { Origin: 'http://evil.example', 'Content-Type': 'application/json' }, body: JSON.stringify({ token: rig.host.token }) });
    expect(r.status).toBe(403);
    expect(r.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a foreign Host header (421): DNS rebinding', async () => {
    const { cookie } = await getCookie(rig);
    const foreign = `rebind.evil.example:${rig.host.port}`;
    expect((await openSocket(rig, { Host: foreign, Origin: `http://${foreign}`, Cookie: cookie! })).status).toBe(421);
    const http = await new Promise<number>((resolve) => {
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port: rig.host.port, path: '/', headers: { Host: foreign } }, (res) => resolve(res.statusCode ?? 0));
        req.end();
      });
    });
    expect(http).toBe(421);
  });

  it('refuses a wrong access token (401, no cookie)', async () => {
    const r = await getCookie(rig, 'wrong-token-0123456789');
    expect(r.status).toBe(401);
    expect(r.cookie).toBeUndefined();
  });

  it('refuses a role lacking the right, in the core, and journals the refusal', async () => {
    const aud = await connect(rig, 'aud');
    const r = await aud.call('settings.put', { section: 'log', value: { level: 'debug' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(rig.core.journal.query({ user: 'aud', channel: 'settings.put' })).toHaveLength(1);
    expect(rig.core.journal.query({ user: 'aud', channel: 'settings.put' })[0].outcome).toBe('FORBIDDEN');
    const ok = await aud.call('journal.query', { limit: 10 });
    expect(ok.ok).toBe(true);
    expect(ok.body.verified).toBe(true);
    aud.ws.close();
    const root = await connect(rig, 'root');
    expect((await root.call('settings.put', { section: 'log', value: { level: 'debug' } })).ok).toBe(true);
    root.ws.close();
  });

  it('refuses calls before hello and binary messages from the client', async () => {
    const { cookie } = await getCookie(rig);
    const { ws } = await openSocket(rig, { Origin: rig.host.origin, Cookie: cookie! });
    const c = new TestClient(ws!);
    expect((await c.call('system.status', {})).error.code).toBe('INVALID_ARGUMENT');
    const closed = c.closed();
    ws!.send(new Uint8Array([1, 2, 3]));
    expect(await closed).toBe(1003);
  });
});
