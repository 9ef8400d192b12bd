// kill -9 of the node and of the core in the middle of submissions: after a restart the outbox re-submits what is
// missing, never what is on chain, and the chain still answers for logs and receipts from block 0.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openChain, type LedgerChain } from '../../../main/services/ledger/chain';
import { LedgerClient } from '../../../main/services/ledger/client';
import { LedgerKeys } from '../../../main/services/ledger/keys';
import { PlainFileStore, setupMarket, signedReports, tempDataDir, toJson } from './helpers';

const N = 30;
const dirs = tempDataDir('crash');
const open: { chain?: LedgerChain; client?: LedgerClient } = {};

afterAll(async () => {
  await open.client?.stop();
  await open.chain?.stop();
  rmSync(dirs.root, { recursive: true, force: true });
});

describe('outbox across kill -9 of anvil and of the core', () => {
  it('re-submits the missing settlements once each, and block-0 history survives', async () => {
    const keys = await LedgerKeys.open(new PlainFileStore(dirs.keys));
    let chain = await openChain({ dir: dirs.chain, keys });
    open.chain = chain;
    let client = LedgerClient.open({ chain, keys, outbox: dirs.db, submitter: { pollMs: 20 } });
    open.client = client;
    client.start();
    const { der, offerId, terms } = await setupMarket(client);
    const reports = await signedReports(client, der, offerId, terms, N);
    await client.stop();
    open.client = undefined;
    const deployBlock = await chain.provider.getBlock(1);
    const firstTx = deployBlock!.transactions[0];
    await new Promise((r) => setTimeout(r, 1500)); // let anvil persist the setup (state every second)

    // the child core submits; we kill it and anvil with SIGKILL once a few settlements are confirmed
    const cfgFile = join(dirs.root, 'child.json');
    writeFileSync(join(dirs.root, 'reports.json'), toJson(reports));
    writeFileSync(cfgFile, JSON.stringify({ rpcUrl: chain.anvil!.rpcUrl, addresses: chain.addresses, keysDir: dirs.keys, dbPath: dirs.db, reportsFile: join(dirs.root, 'reports.json') }));
    const child = spawn(process.execPath, ['--import', 'tsx', new URL('./child-core.ts', import.meta.url).pathname, cfgFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const confirmedBeforeKill = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child did not confirm settlements: ${out} ${err}`)), 60_000);
      child.once('exit', (code) => reject(new Error(`child core exited with ${code}: ${err}`)));
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const n = (out.match(/^confirmed settle:/gm) ?? []).length;
        if (n >= 8) {
          clearTimeout(timer);
          chain.anvil!.process.kill('SIGKILL');
          child.kill('SIGKILL');
          resolve(n);
        }
      });
    });
    await new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
    expect(child.signalCode).toBe('SIGKILL');
    await chain.stop();
    expect(confirmedBeforeKill).toBeLessThan(N);

    // restart: the same data folder, the same outbox
    chain = await openChain({ dir: dirs.chain, keys });
    open.chain = chain;
    client = LedgerClient.open({ chain, keys, outbox: dirs.db, submitter: { pollMs: 20 } });
    open.client = client;
    const onChainAfterRestart = await client.settlements(offerId);
    const before = client.store.counts();
    for (const x of reports) client.settle(x.r, x.providerSig, x.beneficiarySig); // idempotent: same keys, same digests
    client.start();
    for (const x of reports) await client.waitFor(`settle:${offerId}:${x.r.seq}`, 60_000);

    const settled = await client.settlements(offerId);
    expect(settled.map((s) => s.seq).sort((a, b) => Number(a - b))).toEqual(reports.map((x) => x.r.seq));
    expect(new Set(settled.map((s) => s.digest))).toEqual(new Set(reports.map((x) => client.reportDigest(x.r))));
    expect((await client.offer(offerId)).nextSeq).toBe(BigInt(N));
    const counts = client.store.counts();
    expect(counts.failed + counts.superseded).toBe(0);
    // history from block 0: the deployment transaction's receipt and the registry's first events
    expect((await chain.provider.getTransactionReceipt(firstTx))?.status).toBe(1);
    const regLogs = await chain.provider.getLogs({ fromBlock: 0, toBlock: 'latest', address: chain.addresses.registry });
    expect(regLogs.length).toBeGreaterThanOrEqual(4);
    const resent = client.store.all().filter((i) => i.kind === 'settle' && i.txHashes.length > 1).length;
    console.log(`crash test: ${confirmedBeforeKill} confirmed before kill, ${onChainAfterRestart.length} on chain after restart, outbox before restart ${JSON.stringify(before)}, ${resent} items needed a second transaction`);
  });
});
