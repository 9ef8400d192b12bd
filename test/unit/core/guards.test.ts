// The browser host's guards as pure functions: the CSP keeps default-src 'none' and forbids popups; the Host
// check accepts only our names on our port; the bind rule names what is missing.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkBind, cspFor, parseCookies, validHost, validOrigin } from '../../../main/host/guards';

const req = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;
const check = { port: () => 4321, names: ['127.0.0.1', 'localhost', '[::1]'], tls: false };

describe('host guards', () => {
  it('builds a CSP from default-src none with no inline script, no eval and no popups', () => {
    const csp = cspFor('127.0.0.1:4321', false);
    expect(csp.startsWith("default-src 'none'")).toBe(true);
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:4321");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toMatch(/sandbox [^;]*allow-scripts/);
    expect(csp).not.toMatch(/allow-popups|allow-top-navigation/);
  });

  it('accepts our names on our port only', () => {
    expect(validHost(req({ host: '127.0.0.1:4321' }), check)).toBe('127.0.0.1:4321');
    expect(validHost(req({ host: 'LOCALHOST:4321' }), check)).toBe('LOCALHOST:4321');
    expect(validHost(req({ host: '[::1]:4321' }), check)).toBe('[::1]:4321');
    expect(validHost(req({ host: '127.0.0.1:4322' }), check)).toBeUndefined();
    expect(validHost(req({ host: 'attacker.example:4321' }), check)).toBeUndefined();
    expect(validHost(req({ host: '127.0.0.1:4321@evil' }), check)).toBeUndefined();
    expect(validHost(req({}), check)).toBeUndefined();
  });

  it('requires the Origin to be exactly this server', () => {
    expect(validOrigin(req({ origin: 'http://127.0.0.1:4321' }), '127.0.0.1:4321', false)).toBe(true);
    expect(validOrigin(req({ origin: 'https://127.0.0.1:4321' }), '127.0.0.1:4321', false)).toBe(false);
    expect(validOrigin(req({ origin: 'null' }), '127.0.0.1:4321', false)).toBe(false);
    expect(validOrigin(req({}), '127.0.0.1:4321', false)).toBe(false);
  });

  it('allows loopback always and other addresses only with TLS and named users', () => {
    expect(() => checkBind('127.0.0.1', false, 'local')).not.toThrow();
    expect(() => checkBind('0.0.0.0', true, 'users')).not.toThrow();
    expect(() => checkBind('10.0.0.5', true, 'local')).toThrow(/auth\.mode: users/);
  });

  it('parses cookies', () => {
    expect(parseCookies('a=1; exergy_session=xyz; b=2')).toEqual({ a: '1', exergy_session: 'xyz', b: '2' });
  });
});
