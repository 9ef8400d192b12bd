// The anvil launcher: a free port, a node that answers, state persisted across restarts, and a clean stop.
// Other services (the ledger, issue 10) start their chain through it, so its contract is pinned here.
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider } from 'ethers';
import { describe, expect, it } from 'vitest';
import { startAnvil } from '../../../main/services/ledger/anvil-process';

describe('startAnvil', () => {
  it('binds a free port on 127.0.0.1, answers JSON-RPC with no funded accounts, and stops', async () => {
    const a = await startAnvil({ hardfork: 'prague', chainId: 31_999 });
    const b = await startAnvil({ hardfork: 'cancun' });
    try {
      expect(a.port).toBeGreaterThan(0);
      expect(a.port).not.toBe(b.port);
      const p = new JsonRpcProvider(a.rpcUrl, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
      expect(Number((await p.getNetwork()).chainId)).toBe(31_999);
      expect(await p.send('eth_accounts', [])).toEqual([]);
      p.destroy();
    } finally {
      await a.stop();
      await b.stop();
    }
    expect(a.process.exitCode !== null || a.process.signalCode !== null).toBe(true);
    await a.stop(); // idempotent
  });

  it('persists the chain to stateFile and reloads it', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'anvil-')), 'state.json');
    const addr = '0x00000000000000000000000000000000000000aa';
    const a = await startAnvil({ hardfork: 'prague', stateFile });
    const p = new JsonRpcProvider(a.rpcUrl, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    await p.send('anvil_setBalance', [addr, '0x1234']);
    p.destroy();
    await a.stop();
    expect(existsSync(stateFile)).toBe(true);
    const b = await startAnvil({ hardfork: 'prague', stateFile });
    const q = new JsonRpcProvider(b.rpcUrl, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    try {
      expect(await q.getBalance(addr)).toBe(0x1234n);
    } finally {
      q.destroy();
      await b.stop();
    }
  });

  it('reports a binary that cannot start as an AppError instead of hanging', async () => {
    await expect(startAnvil({ hardfork: 'prague', binary: '/nonexistent/anvil' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
