// Ledger benchmarks: token envelopes sealed and opened per second (pure TS crypto, two readers per payload), the
// payload codec, and settlements submitted through the outbox to the embedded anvil per second (to confirmation).
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { secp256k1 } from '@noble/curves/secp256k1';
import { decodePayload, encodePayload, openPayload, sealPayload, type EnvelopeContext } from '../shared/token';
import { openChain } from '../main/services/ledger/chain';
import { LedgerClient } from '../main/services/ledger/client';
import { LedgerKeys } from '../main/services/ledger/keys';
import { consumed } from '../test/unit/token/fixtures';
import { PlainFileStore, setupMarket, signedReports, tempDataDir } from '../test/integration/ledger/helpers';
import { median, percentile, report, time } from './lib';

const ctx: EnvelopeContext = { chainId: 31337n, ledger: '0x5fbdb2315678afecb367f032d93f642f64180aa3', tokenId: 1n, owner: '0x1111111111111111111111111111111111111111' };
const owner = { id: '0x11', epoch: 1, privateKey: secp256k1.utils.randomPrivateKey() };
const buyer = { id: '0x22', epoch: 1, privateKey: secp256k1.utils.randomPrivateKey() };
const readers = [owner, buyer].map((r) => ({ id: r.id, epoch: r.epoch, publicKey: secp256k1.getPublicKey(r.privateKey, true) }));

/** Operations per CPU-second of this process: the figure that survives a shared, overloaded machine. */
function perCpuSecond(ops: number, fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return ops / ((c.user + c.system) / 1e6);
}

async function crypto(): Promise<void> {
  const n = 100;
  const seal = await time(() => {
    for (let i = 0; i < n; i++) sealPayload(consumed, ctx, readers);
  }, 7);
  report({ bench: 'ledger', name: 'envelope seal (2 reader wraps)', value: (n * 1000) / median(seal), unit: 'envelopes/s', runs: 7, note: `p95 batch ${percentile(seal, 95).toFixed(0)} ms / ${n}` });
  const s = sealPayload(consumed, ctx, readers);
  const open = await time(() => {
    for (let i = 0; i < n; i++) openPayload(s.envelope, ctx, s.keyCommitment, s.wraps[1].wrap, buyer);
  }, 7);
  report({ bench: 'ledger', name: 'envelope open (unwrap + commit check + decrypt + decode)', value: (n * 1000) / median(open), unit: 'envelopes/s', runs: 7 });
  report({ bench: 'ledger', name: 'envelope seal per CPU-second', value: perCpuSecond(n, () => { for (let i = 0; i < n; i++) sealPayload(consumed, ctx, readers); }), unit: 'envelopes/cpu-s' });
  report({ bench: 'ledger', name: 'envelope open per CPU-second', value: perCpuSecond(n, () => { for (let i = 0; i < n; i++) openPayload(s.envelope, ctx, s.keyCommitment, s.wraps[1].wrap, buyer); }), unit: 'envelopes/cpu-s' });
  const m = 20_000;
  const enc = encodePayload(consumed);
  const codec = await time(() => {
    for (let i = 0; i < m; i++) decodePayload(encodePayload(consumed));
  }, 5);
  report({ bench: 'ledger', name: 'payload encode+decode (strict, canonical check)', value: (m * 1000) / median(codec), unit: 'payloads/s', runs: 5, note: `${enc.length} bytes` });
}

async function chain(): Promise<void> {
  const dirs = tempDataDir('bench');
  const keys = await LedgerKeys.open(new PlainFileStore(dirs.keys));
  const c = await openChain({ dir: dirs.chain, keys });
  const client = LedgerClient.open({ chain: c, keys, outbox: dirs.db, submitter: { pollMs: 10 } });
  client.start();
  try {
    const rates: number[] = [];
    const per = 60;
    for (let run = 0; run < 3; run++) {
      // one offer per run: settlements of one offer go strictly in seq order, each against the state it expects
      const { der, offerId, terms } = await setupMarket(client, `bench${run}`);
      const reps = await signedReports(client, der, offerId, terms, per);
      const t0 = performance.now();
      for (const x of reps) client.settle(x.r, x.providerSig, x.beneficiarySig);
      for (const x of reps) await client.waitFor(`settle:${offerId}:${x.r.seq}`, 120_000);
      rates.push((per * 1000) / (performance.now() - t0));
    }
    report({ bench: 'ledger', name: 'settlements through the outbox to confirmation (1 offer, in seq order)', value: median(rates), unit: 'settlements/s', runs: rates.length, note: `${per} per run, embedded anvil` });
    // several offers at once: the submitter pipelines across offers
    const offers = [];
    for (let k = 0; k < 4; k++) offers.push(await setupMarket(client, `par${k}`));
    const all = (await Promise.all(offers.map((o) => signedReports(client, o.der, o.offerId, o.terms, 30)))).flat();
    const t0 = performance.now();
    for (const x of all) client.settle(x.r, x.providerSig, x.beneficiarySig);
    for (const x of all) await client.waitFor(`settle:${x.r.offerId}:${x.r.seq}`, 120_000);
    report({ bench: 'ledger', name: 'settlements through the outbox to confirmation (4 offers)', value: (all.length * 1000) / (performance.now() - t0), unit: 'settlements/s', runs: 1, note: `${all.length} settlements` });
  } finally {
    await client.stop();
    await c.stop();
    rmSync(dirs.root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await crypto();
  await chain();
}
main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
