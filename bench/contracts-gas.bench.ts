// Gas per component of the settlement contracts on a real anvil (gas is deterministic: one run each), with the
// plain ERC-20 transfer as the anchor and a breakdown of one settlement from the call tracer.
import { Contract, keccak256, toUtf8Bytes } from 'ethers';
import { report } from './lib';
import { batchTree, GRID_STATE, stateSeen, type BatchHeader, type Leaf } from '../main/services/ledger/contracts';
import { deploy, signBatch, signTransition } from '../main/services/ledger/contracts-deploy';
import { MASKS, MULTS, now, postOffer, PRICE, report as makeReport, setup, sign, terms, travelTo, DISPUTE_WINDOW, SETTLEMENT_PERIOD, wallet } from '../test/integration/contracts/harness';

const B = 'contracts-gas';
const gas = (name: string, value: bigint | number, note?: string): void => report({ bench: B, name, value: Number(value), unit: 'gas', ...(note ? { note } : {}) });

async function main(): Promise<void> {
const f = await setup();
try {
  const s = f.c.settlement;
  const addr = await s.getAddress();
  // Anchor: a plain ERC-20 transfer to a fresh holder and to one that already holds the token.
  const fresh = wallet('bench/fresh', f.provider).address;
  gas('XRG transfer, fresh holder (anchor)', (await (await f.c.xrg.transfer(fresh, 1n)).wait()).gasUsed);
  gas('XRG transfer, existing holder (anchor)', (await (await f.c.xrg.transfer(fresh, 1n)).wait()).gasUsed);
  for (const [name, args] of [['Registry', [await f.c.xrg.getAddress(), 1000, 3 * 86_400, 86_400, 86_400, f.w.admin.address]], ['Settlement', [await f.c.xrg.getAddress(), await f.c.registry.getAddress(), SETTLEMENT_PERIOD, DISPUTE_WINDOW, MASKS]], ['Islanding', [await f.c.registry.getAddress()]]] as const) {
    const c = await deploy(name, f.w.admin, ...args);
    gas(`deploy ${name}`, (await c.deploymentTransaction()!.wait())!.gasUsed);
  }
  gas('Registry.bond', (await (await f.c.registry.bond(f.ids.der, 1n)).wait()).gasUsed);
  const t = await terms(f, { quantity: 10n ** 12n, escrow: 10n ** 24n });
  const offerTx = await (s.connect(f.w.dso) as Contract).postOffer(t);
  gas('postOffer (locks escrow)', (await offerTx.wait()).gasUsed);
  const offerId = await s.offerIdOf(f.w.dso.address, t);
  for (const label of ['settle, payee without the asset', 'settle, payee already holding']) {
    const r = await makeReport(f, offerId);
    const tx = await s.settle(r, await sign(f, f.w.der, r), await sign(f, f.w.dso, r));
    const rc = await tx.wait();
    gas(label, rc.gasUsed);
    if (label.includes('without')) {
      const tr = await f.provider.send('debug_traceTransaction', [tx.hash, { tracer: 'callTracer' }]);
      const data: string = tx.data;
      let cd = 0;
      for (let i = 2; i < data.length; i += 2) cd += data.slice(i, i + 2) === '00' ? 4 : 16;
      const sub = (tr.calls ?? []) as { to: string; gasUsed: string }[];
      const ecrec = sub.filter((c) => BigInt(c.to) === 1n).reduce((a, c) => a + parseInt(c.gasUsed, 16), 0);
      const token = sub.filter((c) => c.to.toLowerCase() === String(f.c.asset.target).toLowerCase()).reduce((a, c) => a + parseInt(c.gasUsed, 16), 0);
      gas('  of which intrinsic 21000 + calldata', 21_000 + cd);
      gas('  of which ecrecover x2', ecrec);
      gas('  of which asset transfer (inside the token)', token);
      gas('  of which checks, state, event (the rest)', Number(rc.gasUsed) - 21_000 - cd - ecrec - token);
    }
  }
  for (const n of [10, 100]) {
    const off = await s.offer(offerId);
    const t0 = await now(f);
    const leaves: Leaf[] = Array.from({ length: n }, (_, i) => ({ seq: off.nextSeq + BigInt(i), qtyMeasured: 900n + BigInt(i), qtySettled: 900n + BigInt(i), band: i % 4, period: t0 - 30n, payloadHash: keccak256(toUtf8Bytes(`p${i}`)), keyCommitment: keccak256(toUtf8Bytes(`k${i}`)), classifiers: 0x0102n }));
    const { tree, total } = batchTree(offerId, leaves, PRICE, MULTS);
    const h: BatchHeader = { offerId, firstSeq: off.nextSeq, count: n, root: tree.root, total, stateSeen: stateSeen(offerId, off.nextSeq, off.qtyLeft, off.escrowLeft), deadline: t0 + 600n };
    const rc = await (await s.settleBatch(h, leaves, await signBatch(f.w.der, addr, f.chainId, h), await signBatch(f.w.dso, addr, f.chainId, h))).wait();
    gas(`settleBatch of ${n}`, rc.gasUsed);
    gas(`settleBatch of ${n}, per settlement`, rc.gasUsed / BigInt(n));
    if (n === 100) gas('isMember (eth_estimateGas, a view)', await s.isMember.estimateGas(await s.settlementId(offerId, h.firstSeq), leaves[50], tree.getProof(50)), 'includes 21000 intrinsic');
  }
  gas('openDispute', (await (await (s.connect(f.w.der) as Contract).openDispute(offerId, keccak256(toUtf8Bytes('why')))).wait()).gasUsed);
  gas('resolveDispute (pays provider)', (await (await (s.connect(f.w.arbiter) as Contract).resolveDispute(offerId, 1000n, keccak256(toUtf8Bytes('ruling')))).wait()).gasUsed);
  await travelTo(f, t.windowEnd + BigInt(SETTLEMENT_PERIOD + DISPUTE_WINDOW));
  gas('refund', (await (await s.refund(offerId)).wait()).gasUsed);
  const isl = f.c.islanding;
  const ia = await isl.getAddress();
  const tr0 = { microgrid: f.ids.controller, seq: 0n, from: GRID_STATE.PARALLEL, to: GRID_STATE.ISLANDED, time: 1n, cause: 1, planned: true, dfMilliHz: -50, dVMilliPu: -20, dPhiCentiDeg: 300, limitsId: keccak256(toUtf8Bytes('l')) };
  gas('Islanding.record planned (2 signatures)', (await (await isl.record(tr0, await signTransition(f.w.controller, ia, f.chainId, tr0), await signTransition(f.w.dso, ia, f.chainId, tr0))).wait()).gasUsed);
  const tr1 = { ...tr0, seq: 1n, from: GRID_STATE.ISLANDED, to: GRID_STATE.PARALLEL };
  await (await isl.record(tr1, await signTransition(f.w.controller, ia, f.chainId, tr1), await signTransition(f.w.dso, ia, f.chainId, tr1))).wait();
  const tr2 = { ...tr0, seq: 2n, planned: false, to: GRID_STATE.RIDE_THROUGH };
  gas('Islanding.record unplanned (controller only)', (await (await isl.record(tr2, await signTransition(f.w.controller, ia, f.chainId, tr2), '0x')).wait()).gasUsed);
  gas('Islanding.confirm (DSO countersigns)', (await (await isl.confirm(tr2, await signTransition(f.w.dso, ia, f.chainId, tr2))).wait()).gasUsed);
  await postOffer(f, await terms(f)); // keeps the helper exercised with default terms
} finally {
  await f.stop();
}
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
