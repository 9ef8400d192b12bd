// A small JSON-RPC front door for the embedded node. anvil cannot check Origin or Host (--no-cors only drops the
// CORS headers), so a web page could reach it through DNS rebinding; this proxy refuses any browser Origin, any
// Host that is not our loopback address, and the node's admin namespaces, then forwards to anvil.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RpcGuardOptions {
  upstream: string; // http://127.0.0.1:PORT of the node
  /** Origins allowed to call (none by default: the console never calls the chain from a page). */
  allowOrigins?: string[];
  /** JSON-RPC method prefixes refused from outside; the ledger service talks to the node directly for these. */
  blockedPrefixes?: string[];
  maxBodyBytes?: number;
}

export interface RpcGuard {
  url: string;
  port: number;
  close(): Promise<void>;
}

const DEFAULT_BLOCKED = ['anvil_', 'evm_', 'hardhat_', 'debug_', 'admin_', 'personal_', 'miner_', 'txpool_', 'eth_sign', 'eth_sendTransaction'];

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message } }));
}

function methodsOf(body: unknown): string[] {
  const calls = Array.isArray(body) ? body : [body];
  return calls.map((c) => (c && typeof c === 'object' && typeof (c as { method?: unknown }).method === 'string' ? (c as { method: string }).method : ''));
}

export async function startRpcGuard(opts: RpcGuardOptions): Promise<RpcGuard> {
  const blocked = opts.blockedPrefixes ?? DEFAULT_BLOCKED;
  const max = opts.maxBodyBytes ?? 4 << 20;
  let port = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !(opts.allowOrigins ?? []).includes(origin)) return refuse(res, 403, `origin ${origin} is not allowed`);
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}` && host !== `[::1]:${port}`) return refuse(res, 403, `host ${host} is not this node`);
    if (req.method !== 'POST') return refuse(res, 405, 'POST only');
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return refuse(res, 415, 'content-type must be application/json');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return refuse(res, 400, 'body is not JSON');
      }
      const bad = methodsOf(body).find((m) => blocked.some((p) => m === p || (p.endsWith('_') && m.startsWith(p))));
      if (bad !== undefined) return refuse(res, 403, `method ${bad || '(none)'} is not available here`);
      fetch(opts.upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw })
        .then(async (up) => {
          res.writeHead(up.status, { 'content-type': 'application/json' });
          res.end(Buffer.from(await up.arrayBuffer()));
        })
        .catch((e: Error) => refuse(res, 502, `node unreachable: ${e.message}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
