import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { openChain, type LedgerChain } from '../../../main/services/ledger/chain';
import { readDeployment } from '../../../main/services/ledger/deployment';
import { LedgerKeys } from '../../../main/services/ledger/keys';
import { PlainFileStore, tempDataDir } from './helpers';

const dirs = tempDataDir('embedded');
let chain: LedgerChain | undefined;

async function rpc(url: string, method: string, headers: Record<string, string> = {}, params: unknown[] = []): Promise<{ status: number; body: any }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return { status: r.status, body: await r.json() };
}

afterAll(async () => {
  await chain?.stop();
  rmSync(dirs.root, { recursive: true, force: true });
});

describe('embedded chain', () => {
  it('starts anvil without dev accounts, deploys once with a per-install key, and guards its RPC', async () => {
    const keys = await LedgerKeys.open(new PlainFileStore(dirs.keys));
    chain = await openChain({ dir: dirs.chain, keys });
    expect(chain.kind).toBe('embedded');
    expect((await rpc(chain.anvil!.rpcUrl, 'eth_accounts')).body.result).toEqual([]);
    expect((await rpc(chain.publicUrl, 'eth_accounts')).body.result).toEqual([]);
    // the published anvil dev key #0 holds nothing here
    expect(await chain.provider.getBalance('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')).toBe(0n);
    const rec = readDeployment(dirs.chain)!;
    expect(rec.deployer).toBe(keys.deployerAddress);
    expect(rec.deployer).not.toBe(keys.address);
    expect(await chain.provider.getCode(rec.addresses.settlement)).not.toBe('0x');
  });

  it('refuses a foreign Origin, a rebinding Host and admin methods at the front door', async () => {
    const url = chain!.publicUrl;
    const foreign = await rpc(url, 'eth_chainId', { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toMatch(/origin/);
    const port = new URL(url).port;
    // fetch will not send a forged Host header; node:http will (as a DNS-rebound browser would)
    const rebind = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { host: `evil.example:${port}`, 'content-type': 'application/json' } }, (res) => (res.resume(), resolve(res.statusCode ?? 0)));
      req.on('error', reject);
      req.end('{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}');
    });
    expect(rebind).toBe(403);
    expect((await rpc(url, 'anvil_setBalance', {}, ['0x0000000000000000000000000000000000000001', '0x1'])).status).toBe(403);
    const plain = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' });
    expect(plain.status).toBe(415);
    expect((await rpc(url, 'eth_chainId')).body.result).toBe('0x7a69');
    // anvil itself (--no-cors) answers no CORS preflight, so a browser cannot send it JSON either
    const pre = await fetch(chain!.anvil!.rpcUrl, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('finds its deployment again after a restart, with logs from block 0', async () => {
    const before = readDeployment(dirs.chain)!;
    const logs0 = await chain!.provider.getLogs({ fromBlock: 0, toBlock: 'latest', address: before.addresses.registry });
    expect(logs0.length).toBeGreaterThan(0);
    await chain!.stop();
    const keys = await LedgerKeys.open(new PlainFileStore(dirs.keys));
    chain = await openChain({ dir: dirs.chain, keys });
    expect(readDeployment(dirs.chain)).toEqual(before);
    expect(chain.addresses).toEqual(before.addresses);
    const logs1 = await chain.provider.getLogs({ fromBlock: 0, toBlock: 'latest', address: before.addresses.registry });
    expect(logs1.map((l) => l.transactionHash)).toEqual(logs0.map((l) => l.transactionHash));
    const receipt = await chain.provider.getTransactionReceipt(logs0[0].transactionHash);
    expect(receipt?.status).toBe(1);
    expect(chain.restoredFrom).toBeUndefined();
  });

  it('restores the last readable state when anvil left its state file damaged', async () => {
    const before = readDeployment(dirs.chain)!;
    await chain!.stop();
    const state = join(dirs.chain, 'anvil-state.json');
    writeFileSync(state, readFileSync(state, 'utf8').slice(0, 100)); // as if killed in the middle of a write
    const keys = await LedgerKeys.open(new PlainFileStore(dirs.keys));
    chain = await openChain({ dir: dirs.chain, keys });
    expect(chain.restoredFrom).toBeGreaterThan(0);
    expect(chain.addresses).toEqual(before.addresses);
    expect(await chain.provider.getCode(before.addresses.settlement)).not.toBe('0x');
  });
});
