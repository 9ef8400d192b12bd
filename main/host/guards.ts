// The browser host's guards: the CSP and security headers, Host and Origin checks against DNS rebinding and
// cross-site requests, cookie parsing, and the rule that binding beyond loopback needs TLS and per-user login.
import type { IncomingMessage } from 'node:http';
import { AppError } from '../../shared/errors';

export function isLoopback(addr: string): boolean {
  return addr === '127.0.0.1' || addr === '::1' || addr === 'localhost' || /^127\./.test(addr);
}

export function checkBind(bind: string, tls: boolean, authMode: string): void {
  if (isLoopback(bind)) return;
  const missing = [tls ? '' : 'host.tls (cert and key)', authMode === 'users' ? '' : "auth.mode: users (named users, not the local default)"].filter(Boolean);
  if (missing.length) throw new AppError('SECURITY', `refusing to listen on ${bind}: beyond loopback the browser host needs ${missing.join(' and ')}`, { field: 'host.bind', missing });
}

/** `default-src 'none'` widened only for what the renderer needs: its own scripts, styles, socket, images, workers. */
export function cspFor(hostHeader: string, tls: boolean): string {
  const ws = `${tls ? 'wss' : 'ws'}://${hostHeader}`;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ${ws}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    'worker-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    // no allow-popups: window.open returns null; no allow-top-navigation: the page cannot navigate itself away
    'sandbox allow-scripts allow-same-origin allow-forms allow-downloads',
  ].join('; ');
}

export function securityHeaders(hostHeader: string, tls: boolean): Record<string, string> {
  return {
    'Content-Security-Policy': cspFor(hostHeader, tls),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
    ...(tls ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
  };
}

export interface HostCheck {
  port: () => number;
  names: string[];
  tls: boolean;
}

/** The Host header must name this server (a rebinding attacker's name is refused); returns it or undefined. */
export function validHost(req: IncomingMessage, c: HostCheck): string | undefined {
  const host = req.headers.host;
  if (!host || host.length > 255) return undefined;
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(host);
  if (!m) return undefined;
  const name = m[1].toLowerCase();
  const port = m[2] ? Number(m[2]) : c.tls ? 443 : 80;
  if (port !== c.port()) return undefined;
  return c.names.includes(name) ? host : undefined;
}

/** Same-origin only: the Origin header must be this server as addressed by the (already checked) Host header. */
export function validOrigin(req: IncomingMessage, host: string, tls: boolean): boolean {
  return req.headers.origin === `${tls ? 'https' : 'http'}://${host}`;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}
