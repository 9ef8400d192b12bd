// The outbox's rules against a real chain: enqueueing is idempotent, an item already on chain is never sent, a
// seq settled with another digest is superseded (never retried), and a stuck transaction is replaced, not doubled.
import { rmSync } from 'node:fs';
import { Contract } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors';
import { openChain, type LedgerChain } from '../../../main/services/ledger/chain';
import { LedgerClient } from '../../../main/services/ledger/client';
import { LedgerKeys } from '../../../main/services/ledger/keys';
import { PlainFileStore, setupMarket, signedReports, tempDataDir } from './helpers';

const dirs = tempDataDir('rules');
let chain: LedgerChain;
let keys: LedgerKeys;
let client: LedgerClient;
let m: Awaited<ReturnType<typeof setupMarket>>;
let reps: Awaited<ReturnType<typeof signedReports>>;

beforeAll(async () => {
  keys = await LedgerKeys.open(new PlainFileStore(dirs.keys));
  chain = await openChain({ dir: dirs.chain, keys });
  client = LedgerClient.open({ chain, keys, outbox: dirs.db, submitter: { pollMs: 20 } });
  client.start();
  m = await setupMarket(client);
  reps = await signedReports(client, m.der, m.offerId, m.terms, 4);
  await chain.provider.send('anvil_setBalance', [m.der.address, '0x56BC75E2D63100000']);
});
afterAll(async () => {
  await client?.stop();
  await chain?.stop();
  rmSync(dirs.root, { recursive: true, force: true });
});

/** Someone else (the provider itself) submits straight to the contract, outside our outbox. */
async function settleDirect(x: (typeof reps)[number]): Promise<void> {
  const s = client.settlement.connect(m.der.connect(chain.provider)) as Contract;
  await (await s.settle(x.r, x.providerSig, x.beneficiarySig)).wait();
}

describe('outbox rules on a real chain', () => {
  it('enqueueing the same report twice is one item; another report at the same seq is refused', () => {
    const a = client.store.enqueue({ kind: 'call', key: 'dup-test', digest: '0x01', target: chain.addresses.settlement, calldata: '0x' });
    const b = client.store.enqueue({ kind: 'call', key: 'dup-test', digest: '0x01', target: chain.addresses.settlement, calldata: '0x' });
    expect([a.created, b.created, b.item.id]).toEqual([true, false, a.item.id]);
    try {
      client.store.enqueue({ kind: 'call', key: 'dup-test', digest: '0x02', target: chain.addresses.settlement, calldata: '0x' });
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e, 'CONFLICT')).toBe(true);
    }
    client.store.markFailed(a.item.id, 'failed', 'test item, never meant to be sent');
  });

  it('never sends an item that is already on chain with its digest', async () => {
    await client.submitter.stop();
    await settleDirect(reps[0]);
    const q = client.settle(reps[0].r, reps[0].providerSig, reps[0].beneficiarySig);
    client.start();
    const it = await client.waitFor(q.key, 20_000);
    expect(it.txHashes).toEqual([]);
    expect((await client.settlements(m.offerId)).filter((s) => s.seq === 0n)).toHaveLength(1);
  });

  it('supersedes (and never retries) an item whose seq was settled with another digest', async () => {
    await client.submitter.stop();
    const other = (await signedReports(client, m.der, m.offerId, m.terms, 1, 1n))[0];
    const mine = { ...other, r: { ...other.r, qtySettled: other.r.qtySettled - 1n } };
    mine.beneficiarySig = client.sign(client.reportDigest(mine.r));
    await settleDirect(other);
    const q = client.settle(mine.r, mine.providerSig, mine.beneficiarySig);
    client.start();
    await expect(client.waitFor(q.key, 20_000)).rejects.toMatchObject({ code: 'LEDGER' });
    const it = client.store.byKey(q.key)!;
    expect(it.status).toBe('superseded');
    expect(it.txHashes).toEqual([]);
  });

  it('replaces a stuck transaction at the same nonce with a higher fee, and settles once', async () => {
    await client.stop();
    client = LedgerClient.open({ chain, keys, outbox: dirs.db, submitter: { pollMs: 50, stuckMs: 400 } });
    const next = (await signedReports(client, m.der, m.offerId, m.terms, 1, 2n))[0];
    await chain.provider.send('evm_setAutomine', [false]);
    const q = client.settle(next.r, next.providerSig, next.beneficiarySig);
    client.start();
    const t0 = Date.now();
    while ((client.store.byKey(q.key)?.txHashes.length ?? 0) < 2 && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 100));
    const stuck = client.store.byKey(q.key)!;
    expect(stuck.txHashes.length).toBeGreaterThanOrEqual(2);
    expect(stuck.status).toBe('sent');
    await chain.provider.send('evm_setAutomine', [true]);
    await chain.provider.send('evm_mine', []);
    const done = await client.waitFor(q.key, 20_000);
    const mined = await Promise.all(done.txHashes.map((h) => chain.provider.getTransactionReceipt(h)));
    expect(mined.filter((r) => r !== null)).toHaveLength(1);
    expect((await client.settlements(m.offerId)).filter((s) => s.seq === 2n)).toHaveLength(1);
  });
});
