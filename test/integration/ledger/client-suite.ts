// The ledger client suite, run against every node we support (embedded anvil, hardhat node): register, bond,
// offer, single and batch settlement with both signatures, a certified transition, reads, and an outbox restart.
import { keccak256, toUtf8Bytes, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerChain } from '../../../main/services/ledger/chain';
import { LedgerClient } from '../../../main/services/ledger/client';
import { batchTree, ROLE, stateSeen, type BatchHeader, type Leaf, type Transition } from '../../../main/services/ledger/contracts';
import { registrationProof, signBatch, signReport, signTransition } from '../../../main/services/ledger/contracts-deploy';
import { deriveClassifiers } from '../../../shared/token';
import { consumed } from '../../unit/token/fixtures';
import type { LedgerKeys } from '../../../main/services/ledger/keys';
import { idOf, MULTS, setupMarket, signedReports } from './helpers';

export interface SuiteTarget {
  open(): Promise<{ chain: LedgerChain; keys: LedgerKeys; db: string; close(): Promise<void> }>;
}

export function clientSuite(name: string, target: SuiteTarget): void {
  describe(`ledger client suite on ${name}`, () => {
    let env: Awaited<ReturnType<SuiteTarget['open']>>;
    let client: LedgerClient;
    let m: Awaited<ReturnType<typeof setupMarket>>;
    let first: Awaited<ReturnType<typeof signedReports>>;

    beforeAll(async () => {
      env = await target.open();
      client = LedgerClient.open({ chain: env.chain, keys: env.keys, outbox: env.db, submitter: { pollMs: 20 } });
      client.start();
    });
    afterAll(async () => {
      await client?.stop();
      await env?.close();
    });

    it('registers and bonds the node and a DER, and posts an offer', async () => {
      m = await setupMarket(client, name);
      const me = await client.participant(env.keys.address);
      expect(me.role).toBe(BigInt(ROLE.DSO));
      expect(me.bond).toBe((await client.registry.minBond()) as bigint);
      expect((await client.participant(m.der.address)).role).toBe(BigInt(ROLE.DER));
      expect((await client.offer(m.offerId)).provider).toBe(m.der.address);
      expect((await client.offers()).map((o) => o.offerId)).toContain(m.offerId);
      expect(await client.encryptionKeyOf(idOf(`dso/${env.keys.address}`))).toBe('0x' + Buffer.from(env.keys.encryptionPublicKey()).toString('hex'));
    });

    it('settles reports signed by both parties, each exactly once, and reads them back from block 0', async () => {
      const reps = (first = await signedReports(client, m.der, m.offerId, m.terms, 5));
      const keys = reps.map((x) => client.settle(x.r, x.providerSig, x.beneficiarySig).key);
      for (const k of keys) await client.waitFor(k, 60_000);
      const s = await client.settlements(m.offerId);
      expect(s.map((x) => x.seq)).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect(s.every((x) => x.payee === m.der.address)).toBe(true);
      expect((await client.offer(m.offerId)).nextSeq).toBe(5n);
    });

    it('settles a report that commits to a sealed FIG. 3 payload, and the DSO opens it from the chain record', async () => {
      const dsoId = env.keys.address;
      const next = (await signedReports(client, m.der, m.offerId, m.terms, 1, (await client.offer(m.offerId)).nextSeq))[0];
      const { sealed, report } = client.sealForSettlement(consumed, m.offerId, next.r.seq, m.der.address, [env.keys.readerKey(dsoId)]);
      const r = { ...next.r, ...report };
      const q = client.settle(r, await signReport(m.der, env.chain.addresses.settlement, env.chain.chainId, r), client.sign(client.reportDigest(r)));
      await client.waitFor(q.key, 60_000);
      const onChain = (await client.settlements(m.offerId)).find((s) => s.seq === r.seq)!;
      expect(onChain.report.payloadHash).toBe(sealed.payloadHash);
      expect(onChain.report.classifiers).toBe(BigInt(deriveClassifiers(consumed).key));
      const opened = await client.openSettlementPayload(m.offerId, r.seq, m.der.address, sealed.envelope, onChain.report.keyCommitment, sealed.wraps[0].wrap, dsoId);
      expect(opened).toEqual(consumed);
    });

    it('batch-settles consecutive seqs under one Merkle root', async () => {
      const off = await client.offer(m.offerId);
      const now = BigInt((await env.chain.provider.getBlock('latest'))!.timestamp);
      const leaves: Leaf[] = [0, 1, 2, 3].map((i) => ({ seq: off.nextSeq + BigInt(i), qtyMeasured: 700n, qtySettled: 700n, band: i % 4, period: now - 10n, payloadHash: keccak256(toUtf8Bytes(`b${i}`)), keyCommitment: keccak256(toUtf8Bytes(`k${i}`)), classifiers: 7n }));
      const { tree, total } = batchTree(m.offerId, leaves, m.terms.price, MULTS);
      const h: BatchHeader = { offerId: m.offerId, firstSeq: off.nextSeq, count: leaves.length, root: tree.root, total, stateSeen: stateSeen(m.offerId, off.nextSeq, off.qtyLeft, off.escrowLeft), deadline: now + 3600n };
      const q = client.settleBatch(h, leaves, await signBatch(m.der, env.chain.addresses.settlement, env.chain.chainId, h), client.sign(client.batchDigest(h)));
      await client.waitFor(q.key, 60_000);
      const after = await client.offer(m.offerId);
      expect(after.nextSeq).toBe(off.nextSeq + 4n);
      expect(off.escrowLeft - after.escrowLeft).toBe(total);
    });

    it('records a planned islanding transition with the controller and DSO signatures', async () => {
      const ctl = new Wallet(keccak256(toUtf8Bytes(`controller/${name}`)));
      const ctlEnc = new Wallet(keccak256(toUtf8Bytes(`controller-enc/${name}`)));
      const ctlId = idOf(`controller/${ctl.address}`);
      const proof = await registrationProof(env.chain.addresses.registry, env.chain.chainId, ctlId, ROLE.CONTROLLER, ctl.address, ctl, ctlEnc);
      await client.waitFor(client.registerParticipant(ctlId, ROLE.CONTROLLER, ctl.address, proof).key, 60_000);
      await client.waitFor(client.bond(ctlId, (await client.registry.minBond()) as bigint, `bond:${ctlId}`).key, 60_000);
      const t: Transition = { microgrid: ctlId, seq: 0n, from: 0, to: 1, time: BigInt(Date.now()), cause: 1, planned: true, dfMilliHz: -12, dVMilliPu: 8, dPhiCentiDeg: 150, limitsId: keccak256(toUtf8Bytes('sync-check limits v1')) };
      const q = client.recordTransition(t, await signTransition(ctl, env.chain.addresses.islanding, env.chain.chainId, t), client.sign(client.transitionDigest(t)));
      await client.waitFor(q.key, 60_000);
      const mg = await client.microgrid(ctlId);
      expect([mg.state, mg.nextSeq]).toEqual([1n, 1n]);
    });

    it('after a restart of the client, re-enqueueing everything sends nothing new', async () => {
      const before = await env.chain.provider.getTransactionCount(env.keys.address, 'latest');
      await client.stop();
      client = LedgerClient.open({ chain: env.chain, keys: env.keys, outbox: env.db, submitter: { pollMs: 20 } });
      const again = first.map((x) => client.settle(x.r, x.providerSig, x.beneficiarySig));
      expect(again.every((a) => a.item.status === 'confirmed' || a.item.status === 'final')).toBe(true);
      client.start();
      await client.submitter.kick();
      expect(await env.chain.provider.getTransactionCount(env.keys.address, 'latest')).toBe(before);
      expect((await client.settlements(m.offerId)).filter((s) => s.seq < 5n)).toHaveLength(5);
      // a different report for a seq the outbox already holds is refused, not queued beside it
      const other = (await signedReports(client, m.der, m.offerId, m.terms, 1, 0n))[0];
      expect(() => client.settle(other.r, other.providerSig, other.beneficiarySig)).toThrow(/another digest/);
    });
  });
}
