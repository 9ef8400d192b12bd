// The browser host: the built renderer and the contract over a WebSocket on 127.0.0.1. The access token travels in
// the URL fragment (never logged by proxies), is exchanged once for an HttpOnly SameSite=Strict cookie, and every
// upgrade must carry that cookie, a known Host and our own Origin. Sessions then log in as named users.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '../../shared/errors';
import type { Core } from '../core';
import { checkBind, isLoopback, parseCookies, securityHeaders, validHost, validOrigin } from './guards';
import { serveStatic } from './static-files';

export interface HostOptions {
  rendererDir: string;
  /** override settings (tests use port 0) */
  port?: number;
  bind?: string;
  /** a fixed token (tests); default: 32 random bytes per start */
  token?: string;
}

export interface BrowserHost {
  url: string; // with the token fragment
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const COOKIE = 'exergy_session';
const BUFFER_LIMIT = 4 * 1024 * 1024; // bytes queued on a socket before telemetry frames are dropped for it

export async function startBrowserHost(core: Core, opts: HostOptions): Promise<BrowserHost> {
  const hs = core.settings.get<{ bind: string; port: number; allowedHosts: string[]; tls?: { cert: string; key: string }; maxMessageBytes: number }>('host');
  const auth = core.settings.get<{ mode: string; sessionMinutes: number }>('auth');
  const bind = opts.bind ?? hs.bind;
  const tls = !!hs.tls;
  checkBind(bind, tls, auth.mode);
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const cookies = new Map<string, number>(); // cookie value -> expiry (ms)
  const names = ['127.0.0.1', 'localhost', '[::1]', ...hs.allowedHosts.map((h) => h.toLowerCase()), ...(isLoopback(bind) ? [] : [bind.toLowerCase()])];
  let port = 0;
  const check = { port: () => port, names, tls };

  const deny = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ ok: false, error: { code: status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', message } }));
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const host = validHost(req, check);
    if (!host) return deny(res, 421, 'unknown Host header (DNS rebinding guard)');
    const headers = securityHeaders(host, tls);
    if (req.url === '/session') return exchangeToken(req, res, host, headers);
    serveStatic(opts.rendererDir, req, res, headers);
  };

  const exchangeToken = (req: IncomingMessage, res: ServerResponse, host: string, headers: Record<string, string>): void => {
    if (req.method !== 'POST') return deny(res, 405, 'POST only', headers);
    if (!validOrigin(req, host, tls)) return deny(res, 403, 'foreign Origin', headers);
    let body = '';
    let tooBig = false;
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > 4096) tooBig = true;
    });
    req.on('end', () => {
      if (tooBig) return deny(res, 413, 'body too large', headers);
      let given = '';
      try {
        given = String((JSON.parse(body) as { token?: unknown }).token ?? '');
      } catch {
        return deny(res, 400, 'expected JSON {token}', headers);
      }
      const a = Buffer.from(given);
      const b = Buffer.from(token);
      if (a.length !== b.length || !timingSafeEqual(a, b)) return deny(res, 401, 'wrong access token', headers);
      const value = randomBytes(32).toString('base64url');
      cookies.set(value, Date.now() + auth.sessionMinutes * 60_000);
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json', 'Set-Cookie': `${COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/${tls ? '; Secure' : ''}` });
      res.end(JSON.stringify({ ok: true }));
    });
  };

  const server: Server = tls ? createHttps({ cert: readFileSync(hs.tls!.cert), key: readFileSync(hs.tls!.key) }, onRequest) : createHttp(onRequest);
  const wss = new WebSocketServer({ noServer: true, maxPayload: hs.maxMessageBytes });

  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: number, why: string): void => {
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const host = validHost(req, check);
    if (!host) return refuse(421, 'Misdirected Request');
    if (!validOrigin(req, host, tls)) return refuse(403, 'Forbidden');
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws') return refuse(404, 'Not Found');
    const c = parseCookies(req.headers.cookie)[COOKIE];
    const exp = c ? cookies.get(c) : undefined;
    if (!exp || exp < Date.now()) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, req));
  });

  const attach = (ws: WebSocket, req: IncomingMessage): void => {
    const session = core.openSession({
      host: 'browser',
      remote: `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`,
      sendText: (text) => ws.readyState === ws.OPEN && ws.send(text),
      sendBinary: (bytes) => {
        if (ws.readyState !== ws.OPEN || ws.bufferedAmount > BUFFER_LIMIT) return false;
        ws.send(bytes, { binary: true });
        return true;
      },
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'the client sends text only');
      void session.receive(data.toString());
    });
    ws.on('close', () => session.close());
    ws.on('error', () => ws.terminate());
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new AppError('UNAVAILABLE', `cannot listen on ${bind}:${opts.port ?? hs.port}: ${e.code ?? e.message}`, { field: 'host.port' })));
    server.listen(opts.port ?? hs.port, bind, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shown = isLoopback(bind) ? '127.0.0.1' : bind.includes(':') ? `[${bind}]` : bind;
  const origin = `${tls ? 'https' : 'http'}://${shown}:${port}`;
  core.log.info({ origin }, 'browser host listening');
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
