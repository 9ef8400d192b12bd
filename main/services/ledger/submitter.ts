// The outbox's active half: signs and sends queued items in order with its own nonce counter, records each signed
// transaction before broadcasting it, follows receipts to confirmation and finality, re-signs stuck transactions
// at a higher fee, and after any restart asks the chain (digest + per-offer seq) what is already there.
import { EventEmitter } from 'node:events';
import { Transaction, type FeeData, type Interface, type JsonRpcProvider, type TransactionReceipt, type Wallet } from 'ethers';
import { AppError } from '../../../shared/errors';
import type { OutboxItem, OutboxStore } from './outbox-store';
import { mapRpcError } from './rpc-errors';

export type ProbeResult =
  | { state: 'absent' } // not on chain, and it is this item's turn
  | { state: 'present'; blockNumber?: number } // on chain with this digest
  | { state: 'conflict'; detail: string } // the seq was settled with another digest: never send
  | { state: 'blocked'; detail: string }; // an earlier seq is not on chain yet
export type Probe = (item: OutboxItem) => Promise<ProbeResult>;

/** For calls without a sequence: on chain when one of the item's own transactions succeeded. */
export function receiptProbe(provider: JsonRpcProvider): Probe {
  return async (it) => {
    for (const h of it.txHashes) {
      const r = await provider.getTransactionReceipt(h);
      if (r?.status === 1) return { state: 'present', blockNumber: r.blockNumber };
    }
    return { state: 'absent' };
  };
}

export interface SubmitterOptions {
  provider: JsonRpcProvider;
  wallet: Wallet;
  store: OutboxStore;
  probe?: Probe;
  ifaces?: Interface[]; // to decode reverts
  pollMs?: number;
  stuckMs?: number; // a pending transaction older than this is re-signed at a higher fee
  confirmations?: number;
  finalityMs?: number; // a confirmed item older than this (and deep enough) is final: anvil has persisted it (it dumps each second)
  maxInFlight?: number;
}

export interface SubmitterEvents {
  confirmed: [OutboxItem];
  final: [OutboxItem];
  failed: [OutboxItem];
  error: [AppError];
}

/** Reverts that will never succeed on retry; anything else keeps the item queued. */
const PERMANENT = new Set(['WrongSigner', 'SignatureLength', 'Expired', 'SettlementClosed', 'PeriodOutsideWindow', 'BandNotOffered', 'QuantityAboveMeasured', 'QuantityAboveLeft', 'AmountAboveEscrow', 'BadCount', 'TotalMismatch', 'RootMismatch', 'OfferNotOpen', 'WrongRole', 'StaleState']);

export class Submitter extends EventEmitter<SubmitterEvents> {
  private nextNonce = -1;
  private chainId?: bigint;
  private fee?: { at: number; data: FeeData };
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private readonly o: Required<Omit<SubmitterOptions, 'probe'>> & { probe?: Probe };

  constructor(opts: SubmitterOptions) {
    super();
    this.o = { pollMs: 100, stuckMs: 15_000, confirmations: 1, finalityMs: 5000, maxInFlight: 64, ifaces: [], ...opts };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.o.pollMs);
    this.kick();
  }
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs one pass now (or right after the current one); resolves when that pass is done. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.pass();
        } catch (e) {
          this.emit('error', mapRpcError(e, 'outbox pass', this.o.ifaces));
        }
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Fee data at most one second old: one fee query per burst of sends rather than one per transaction. */
  private async feeData(): Promise<FeeData> {
    if (!this.fee || Date.now() - this.fee.at > 1000) this.fee = { at: Date.now(), data: await this.o.provider.getFeeData() };
    return this.fee.data;
  }

  private probe(it: OutboxItem): Promise<ProbeResult> {
    return (this.o.probe ?? receiptProbe(this.o.provider))(it);
  }

  private async receiptOf(it: OutboxItem): Promise<TransactionReceipt | null> {
    for (const h of [...it.txHashes].reverse()) {
      const r = await this.o.provider.getTransactionReceipt(h);
      if (r) return r;
    }
    return null;
  }

  private async pass(): Promise<void> {
    const { provider, store, wallet } = this.o;
    if (this.nextNonce < 0) this.nextNonce = await provider.getTransactionCount(wallet.address, 'pending');
    const head = await provider.getBlockNumber();
    const items = store.open();
    const waitingOffers = new Set<string>();
    let inFlight = 0;
    let resync = false;
    for (const it of items) {
      if (it.status === 'confirmed') {
        // looked at again only once it is old enough to be final: then its receipt must still be there
        if (Date.now() - (it.confirmedAt ?? 0) < this.o.finalityMs) continue;
        const r = await this.receiptOf(it);
        if (!r) {
          // the block holding it is gone (node killed before persisting): ask the chain what it has now
          await this.reconcile(it, 'confirmed transaction vanished after a node restart');
          resync = true;
        } else if (head - r.blockNumber + 1 >= this.o.confirmations) {
          store.markFinal(it.id);
          this.emit('final', store.get(it.id)!);
        }
        continue;
      }
      if (it.status === 'sent') {
        inFlight++;
        if (it.offerId) waitingOffers.add(it.offerId);
        const r = await this.receiptOf(it);
        if (r && r.status === 1) {
          store.markConfirmed(it.id, r.blockNumber);
          this.emit('confirmed', store.get(it.id)!);
          if (it.offerId) waitingOffers.delete(it.offerId);
        } else if (r) {
          await this.reconcile(it, `transaction ${r.hash} reverted`);
        } else {
          resync = (await this.followPending(it)) || resync;
        }
        continue;
      }
      // queued: one unconfirmed item per offer at a time, so each send is estimated against the state it expects
      if (it.offerId && waitingOffers.has(it.offerId)) continue;
      if (inFlight >= this.o.maxInFlight) continue;
      if (it.offerId) waitingOffers.add(it.offerId);
      const sent = await this.send(it);
      if (sent) {
        inFlight++;
        this.again = true; // follow it up right away rather than at the next poll tick
      }
    }
    if (resync) this.nextNonce = await provider.getTransactionCount(wallet.address, 'pending');
  }

  /** A sent item without a receipt: still pending (maybe stuck), or lost with the node's mempool. */
  private async followPending(it: OutboxItem): Promise<boolean> {
    const { provider, store } = this.o;
    const last = it.txHashes[it.txHashes.length - 1];
    const known = await provider.getTransaction(last);
    if (known) {
      if (Date.now() - (it.sentAt ?? 0) > this.o.stuckMs) await this.sign(it, it.nonce!, 1.25);
      return false;
    }
    const mined = await provider.getTransactionCount(this.o.wallet.address, 'latest');
    if (it.nonce !== null && it.nonce >= mined && it.rawTx) {
      try {
        await provider.send('eth_sendRawTransaction', [it.rawTx]); // the node restarted and forgot it: same bytes again
        return false;
      } catch (e) {
        store.noteError(it.id, mapRpcError(e, 'rebroadcast', this.o.ifaces).message);
      }
    }
    await this.reconcile(it, 'transaction unknown to the node');
    return true;
  }

  /** Asks the chain whether the item is there; decides confirmed / superseded / requeue. */
  private async reconcile(it: OutboxItem, why: string): Promise<void> {
    const { store } = this.o;
    const p = await this.probe(it);
    if (p.state === 'present') {
      store.markConfirmed(it.id, p.blockNumber ?? 0);
      this.emit('confirmed', store.get(it.id)!);
    } else if (p.state === 'conflict') {
      store.markFailed(it.id, 'superseded', p.detail);
      this.emit('failed', store.get(it.id)!);
    } else store.requeue(it.id, `${why}; ${p.state === 'blocked' ? p.detail : 'not on chain'}`);
  }

  private async send(it: OutboxItem): Promise<boolean> {
    const { provider, store, wallet } = this.o;
    const p = await this.probe(it);
    if (p.state === 'present') {
      store.markConfirmed(it.id, p.blockNumber ?? 0);
      this.emit('confirmed', store.get(it.id)!);
      return false;
    }
    if (p.state === 'conflict') {
      store.markFailed(it.id, 'superseded', p.detail);
      this.emit('failed', store.get(it.id)!);
      return false;
    }
    if (p.state === 'blocked') {
      store.noteError(it.id, p.detail);
      return false;
    }
    let gas: bigint;
    try {
      gas = await provider.estimateGas({ from: wallet.address, to: it.target, data: it.calldata });
    } catch (e) {
      const err = mapRpcError(e, `${it.kind} ${it.key}`, this.o.ifaces, { key: it.key });
      const revert = err.info?.revert as { name: string } | undefined;
      if (revert && PERMANENT.has(revert.name)) {
        store.markFailed(it.id, 'failed', err.message);
        this.emit('failed', store.get(it.id)!);
      } else store.noteError(it.id, err.message);
      return false;
    }
    await this.sign(it, this.nextNonce++, 1, gas);
    return true;
  }

  /** Signs at `nonce`, records the signed bytes, then broadcasts; `bump` > 1 replaces a stuck transaction. */
  private async sign(it: OutboxItem, nonce: number, bump: number, estimate?: bigint): Promise<void> {
    const { provider, store, wallet } = this.o;
    const gas = estimate ?? (await provider.estimateGas({ from: wallet.address, to: it.target, data: it.calldata }).catch(() => null));
    const fee = await this.feeData();
    const prevMax = it.maxFeePerGas ? BigInt(it.maxFeePerGas) : 0n;
    let maxFee = (fee.maxFeePerGas ?? fee.gasPrice ?? 2_000_000_000n) * 2n;
    let tip = fee.maxPriorityFeePerGas ?? 1_000_000_000n;
    if (bump > 1) {
      maxFee = [maxFee, (prevMax * 5n) / 4n + 1n].reduce((a, b) => (a > b ? a : b));
      tip = [tip * 2n, maxFee / 4n].reduce((a, b) => (a > b ? a : b));
    }
    if (tip > maxFee) tip = maxFee;
    const gasLimit = gas ? (gas * 13n) / 10n : 3_000_000n;
    const chainId = (this.chainId ??= (await provider.getNetwork()).chainId);
    const raw = await wallet.signTransaction({ type: 2, chainId, nonce, to: it.target, data: it.calldata, gasLimit, maxFeePerGas: maxFee, maxPriorityFeePerGas: tip });
    const hash = Transaction.from(raw).hash!;
    store.recordSigned(it.id, nonce, hash, raw, maxFee.toString());
    try {
      await provider.send('eth_sendRawTransaction', [raw]);
    } catch (e) {
      const err = mapRpcError(e, `broadcast ${it.key}`, this.o.ifaces, { key: it.key, nonce });
      store.noteError(it.id, err.message);
      // a nonce clash means our counter is stale: the next pass finds the tx unknown, reconciles and resyncs
      if (/nonce/i.test(err.message)) this.nextNonce = await provider.getTransactionCount(wallet.address, 'pending');
      if (err.code !== 'UNAVAILABLE' && !/nonce|underpriced|already known/i.test(err.message)) throw err;
    }
  }

  /** Resolves when the item is confirmed (or final); rejects with LEDGER if it failed or was superseded. */
  waitFor(key: string, timeoutMs = 60_000): Promise<OutboxItem> {
    const { store } = this.o;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const it = store.byKey(key);
        if (!it) return false;
        if (it.status === 'confirmed' || it.status === 'final') return done(() => resolve(it));
        if (it.status === 'failed' || it.status === 'superseded') return done(() => reject(new AppError('LEDGER', `${key} ${it.status}: ${it.lastError ?? ''}`, { key, status: it.status })));
        return false;
      };
      const timer = setTimeout(() => done(() => reject(new AppError('TIMEOUT', `${key} not confirmed within ${timeoutMs} ms`, { key }))), timeoutMs);
      const onEvent = (): void => void check();
      const done = (f: () => void): true => {
        clearTimeout(timer);
        this.off('confirmed', onEvent).off('failed', onEvent).off('final', onEvent);
        f();
        return true;
      };
      this.on('confirmed', onEvent).on('failed', onEvent).on('final', onEvent);
      if (!check()) this.kick();
    });
  }
}
