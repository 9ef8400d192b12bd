// Starts a real core (no service plugs) and the real browser host on 127.0.0.1:0 with a temp data folder and
// named users, and opens WebSocket sessions the way the renderer does (token → cookie → upgrade → hello).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import YAML from 'yaml';
import { startCore, type Core } from '../../../main/core';
import { hashPassword } from '../../../main/core/users';
import { startBrowserHost, type BrowserHost } from '../../../main/host/server';

export const PASSWORDS = { ada: 'ada-operator-pw', aud: 'aud-auditor-pw', root: 'root-admin-pw' };

export interface Rig {
  core: Core;
  host: BrowserHost;
  dir: string;
  stop(): Promise<void>;
}

export async function startRig(): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'exergy-host-'));
  mkdirSync(join(dir, 'config'), { recursive: true });
  const users = [
    { name: 'ada', roles: ['dso-operator'], password: hashPassword(PASSWORDS.ada) },
    { name: 'aud', roles: ['auditor'], password: hashPassword(PASSWORDS.aud) },
    { name: 'root', roles: ['admin'], password: hashPassword(PASSWORDS.root) },
  ];
  writeFileSync(join(dir, 'config', 'users.yaml'), YAML.stringify({ users }));
  const core = await startCore({ host: 'browser', dataDir: dir, plugins: false });
  const host = await startBrowserHost(core, { rendererDir: join(dir, 'no-renderer'), port: 0, token: 'test-token-0123456789' });
  return {
    core,
    host,
    dir,
    async stop() {
      await host.close();
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function getCookie(rig: Rig, token = rig.host.token): Promise<{ status: number; cookie?: string }> {
  const r = await fetch(`${rig.host.origin}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: rig.host.origin }, body: JSON.stringify({ token }) });
  const set = r.headers.get('set-cookie') ?? undefined;
  return { status: r.status, ...(set ? { cookie: set.split(';')[0] } : {}) };
}

/** Opens a socket; resolves with the socket or with the HTTP status the upgrade was refused with. */
export function openSocket(rig: Rig, headers: Record<string, string>, maxPayload?: number): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${rig.host.port}/ws`, { headers, ...(maxPayload ? { maxPayload } : {}) });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}

export class TestClient {
  private next = 1;
  private readonly waiting = new Map<number, (m: any) => void>();
  readonly pushes: any[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const m = JSON.parse(data.toString());
      if (m.t === 'result' || m.t === 'end') this.waiting.get(m.id)?.(m);
      else this.pushes.push(m);
    });
  }
  call(ch: string, body: unknown): Promise<any> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ t: 'call', id, ch, body }));
    });
  }
  closed(): Promise<number> {
    return new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
  }
}

/** cookie + socket + hello (+ login when a user is given) */
export async function connect(rig: Rig, user?: keyof typeof PASSWORDS): Promise<TestClient> {
  const { cookie } = await getCookie(rig);
  const { ws } = await openSocket(rig, { Origin: rig.host.origin, Cookie: cookie! });
  if (!ws) throw new Error('upgrade refused');
  const c = new TestClient(ws);
  const h = await c.call('hello', { versions: [1], client: 'test' });
  if (!h.ok) throw new Error(h.error.message);
  if (user) {
    const r = await c.call('auth.login', { user, password: PASSWORDS[user] });
    if (!r.ok) throw new Error(r.error.message);
  }
  return c;
}
