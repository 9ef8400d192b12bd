// A stand-in "core" process for the crash test: opens the configured chain, queues the pre-signed settlements in
// the outbox and submits them, printing each confirmation, until the test kills it with SIGKILL.
import { readFileSync } from 'node:fs';
import { openChain } from '../../../main/services/ledger/chain';
import { LedgerClient } from '../../../main/services/ledger/client';
import type { Report } from '../../../main/services/ledger/contracts';
import type { LedgerAddresses } from '../../../main/services/ledger/deployment';
import { LedgerKeys } from '../../../main/services/ledger/keys';
import { fromJson, PlainFileStore } from './helpers';

async function main(): Promise<void> {
  const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8')) as { rpcUrl: string; addresses: LedgerAddresses; keysDir: string; dbPath: string; reportsFile: string };
  const reports = fromJson<{ r: Report; providerSig: string; beneficiarySig: string }[]>(readFileSync(cfg.reportsFile, 'utf8'));
  const keys = await LedgerKeys.open(new PlainFileStore(cfg.keysDir));
  const chain = await openChain({ dir: '', keys, config: { rpcUrl: cfg.rpcUrl, addresses: cfg.addresses } });
  const client = LedgerClient.open({ chain, keys, outbox: cfg.dbPath, submitter: { pollMs: 20 } });
  client.submitter.on('confirmed', (it) => process.stdout.write(`confirmed ${it.key}\n`));
  client.submitter.on('error', (e) => process.stderr.write(`error ${e.message}\n`));
  for (const x of reports) client.settle(x.r, x.providerSig, x.beneficiarySig);
  process.stdout.write(`queued ${reports.length}\n`);
  client.start();
}

main().catch((e: unknown) => {
  process.stderr.write(`child core failed: ${String(e)}\n`);
  process.exit(1);
});
