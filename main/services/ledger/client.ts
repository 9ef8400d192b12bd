// The ledger's client API for the other services: register, bond, post an offer, settle or batch-settle with
// both signatures, record a transition (all through the outbox, so nothing is sent twice or lost), and reads of
// offers, settlements and the registry straight from the chain (events from block 0).
import type Database from 'better-sqlite3';
import { keccak256, TypedDataEncoder, type Contract } from 'ethers';
import { AppError } from '../../../shared/errors';
import type { LedgerChain } from './chain';
import { deriveClassifiers, openPayload, sealPayload, wrapEpoch, type ReaderKey, type SealedPayload, type TokenPayload } from '../../../shared/token';
import { artifact, BATCH_TYPES, domainOf, REPORT_TYPES, settlementId, TRANSITION_TYPES, type BatchHeader, type Leaf, type Report, type Terms, type Transition } from './contracts';
import { contractAt, registrationProof, type RegistrationProof } from './contracts-deploy';
import type { LedgerKeys } from './keys';
import { OutboxStore, type NewItem, type OutboxItem } from './outbox-store';
import { makeProbe, plainReport } from './probes';
import { receiptProbe, Submitter, type SubmitterOptions } from './submitter';
import { Interface } from 'ethers';

/** XRG has 18 decimals; Registry.bond takes whole XRG and pulls whole x 10^18 base units. */
const XRG_UNIT = 10n ** 18n;

export interface LedgerClientOptions {
  chain: LedgerChain;
  keys: LedgerKeys;
  outbox: string | Database.Database; // the historian's database file (or handle); the outbox keeps its own table
  submitter?: Partial<Pick<SubmitterOptions, 'pollMs' | 'stuckMs' | 'confirmations' | 'finalityMs' | 'maxInFlight'>>;
}

export interface Enqueued {
  key: string;
  digest: string;
  item: OutboxItem;
}

export class LedgerClient {
  readonly store: OutboxStore;
  readonly submitter: Submitter;
  readonly settlement: Contract;
  readonly registry: Contract;
  readonly islanding: Contract;
  readonly asset: Contract;
  readonly errors: Interface;

  constructor(readonly chain: LedgerChain, readonly keys: LedgerKeys, o: LedgerClientOptions) {
    const p = chain.provider;
    const a = chain.addresses;
    this.settlement = contractAt('Settlement', a.settlement, p);
    this.registry = contractAt('Registry', a.registry, p);
    this.islanding = contractAt('Islanding', a.islanding, p);
    this.asset = contractAt('XRG', a.asset, p);
    const seen = new Set<string>();
    const frags = (['Settlement', 'Registry', 'Islanding', 'XRG'] as const).flatMap((n) => artifact(n).abi as { type: string; name: string }[]);
    this.errors = new Interface(frags.filter((f) => f.type === 'error' && !seen.has(f.name) && seen.add(f.name)));
    this.store = OutboxStore.open(o.outbox);
    const probe = makeProbe({ chainId: chain.chainId, settlement: this.settlement, islanding: this.islanding, settlementAddress: a.settlement, defaultProbe: receiptProbe(p) });
    this.submitter = new Submitter({ provider: p, wallet: keys.wallet(p), store: this.store, probe, ifaces: [this.errors], ...o.submitter });
  }

  static open(o: LedgerClientOptions): LedgerClient {
    return new LedgerClient(o.chain, o.keys, o);
  }

  /** Starts submitting (re-submits whatever a previous run left unconfirmed, after asking the chain). */
  start(): void {
    // a restored chain may lack what we confirmed after its backup: look at those items again (1 s margin)
    // A restored backup, or the last dump, holds what anvil had written up to some seconds before its time (one
    // dump interval, more under load): re-check generously; a receipt lookup per item is all it costs.
    const since = this.chain.restoredFrom ?? this.chain.persistedAt;
    if (since !== undefined) this.store.reopenFinalSince(since - 30_000);
    this.submitter.start();
  }
  async stop(): Promise<void> {
    await this.submitter.stop();
    this.store.close();
  }

  private enqueue(n: NewItem): Enqueued {
    const { item } = this.store.enqueue(n);
    void this.submitter.kick();
    return { key: item.key, digest: item.digest, item };
  }
  /** A plain call from the node's account; `key` makes it idempotent across retries (default: unique). */
  private call(contract: Contract, method: string, args: unknown[], key?: string): Enqueued {
    const data = contract.interface.encodeFunctionData(method, args);
    const digest = keccak256(data);
    return this.enqueue({ kind: 'call', key: key ?? `call:${method}:${digest}:${Date.now()}:${Math.random().toString(36).slice(2)}`, offerId: 'calls', digest, target: contract.target as string, calldata: data });
  }
  waitFor(key: string, timeoutMs?: number): Promise<OutboxItem> {
    return this.submitter.waitFor(key, timeoutMs);
  }

  // ---- registry ----
  /** Registers a participant (this node must hold REGISTRAR_ROLE); the proof comes from the participant. */
  registerParticipant(id: string, role: number, payee: string, proof: RegistrationProof): Enqueued {
    return this.call(this.registry, 'register', [id, role, payee, proof.signingKey, proof.encKey, proof.sigBySigner, proof.sigByEncKey], `register:${id}`);
  }
  /** Registers this node itself with its signing key and its current encryption key. */
  async registerSelf(id: string, role: number, payee = this.keys.address): Promise<Enqueued> {
    const proof = await registrationProof(this.chain.addresses.registry, this.chain.chainId, id, role, payee, this.keys.wallet(), this.keys.encryptionWallet(), 1);
    return this.registerParticipant(id, role, payee, proof);
  }
  /** Approves the registry and bonds `whole` XRG (the Registry counts bonds in whole tokens) to `id`. */
  bond(id: string, whole: bigint, key?: string): Enqueued {
    this.call(this.asset, 'approve', [this.chain.addresses.registry, whole * XRG_UNIT], key ? `${key}:approve` : undefined);
    return this.call(this.registry, 'bond', [id, whole], key);
  }
  participant(signer: string): Promise<{ bond: bigint; unbondAt: bigint; role: bigint; revoked: boolean; encKeyVersion: bigint; payee: string; id: string }> {
    return this.registry.participant(signer);
  }
  signerOf(id: string): Promise<string> {
    return this.registry.signerOf(id);
  }
  encryptionKeyOf(id: string): Promise<string> {
    return this.registry.encryptionKeyOf(id);
  }

  // ---- offers ----
  /** Posts an offer as beneficiary (this node, a bonded DSO), approving the escrow first; idempotent per terms. */
  async postOffer(t: Terms): Promise<{ offerId: string } & Enqueued> {
    const offerId = (await this.settlement.offerIdOf(this.keys.address, t)) as string;
    this.call(this.asset, 'approve', [this.chain.addresses.settlement, t.escrow], `offer:${offerId}:approve`);
    return { offerId, ...this.call(this.settlement, 'postOffer', [t], `offer:${offerId}`) };
  }
  offer(offerId: string): Promise<{ provider: string; nextSeq: bigint; serviceClass: bigint; status: bigint; beneficiary: string; windowStart: bigint; windowEnd: bigint; qtyLeft: bigint; escrowLeft: bigint; price: bigint; multipliers: bigint }> {
    return this.settlement.offer(offerId);
  }
  async offers(): Promise<{ offerId: string; provider: string; beneficiary: string; blockNumber: number }[]> {
    const evs = await this.settlement.queryFilter(this.settlement.filters.OfferPosted(), 0);
    return evs.map((e) => {
      const a = (e as unknown as { args: { offerId: string; provider: string; beneficiary: string } }).args;
      return { offerId: a.offerId, provider: a.provider, beneficiary: a.beneficiary, blockNumber: e.blockNumber };
    });
  }

  // ---- settlement ----
  reportDigest(r: Report): string {
    return TypedDataEncoder.hash(domainOf('Settlement', this.chain.chainId, this.chain.addresses.settlement), REPORT_TYPES, r);
  }
  batchDigest(h: BatchHeader): string {
    return TypedDataEncoder.hash(domainOf('Settlement', this.chain.chainId, this.chain.addresses.settlement), BATCH_TYPES, h);
  }
  transitionDigest(t: Transition): string {
    return TypedDataEncoder.hash(domainOf('Islanding', this.chain.chainId, this.chain.addresses.islanding), TRANSITION_TYPES, t);
  }
  /** This node's signature (as beneficiary or DSO) over a report, batch or transition digest. */
  sign(digest: string): string {
    return this.keys.signDigest(digest);
  }

  /** Queues a settlement; the key offerId:seq makes a second enqueue of the same report a no-op. */
  settle(r: Report, providerSig: string, beneficiarySig: string): Enqueued {
    const digest = this.reportDigest(r);
    const data = this.settlement.interface.encodeFunctionData('settle', [r, providerSig, beneficiarySig]);
    return this.enqueue({ kind: 'settle', key: `settle:${r.offerId}:${r.seq}`, offerId: r.offerId, seq: Number(r.seq), digest, target: this.chain.addresses.settlement, calldata: data });
  }
  settleBatch(h: BatchHeader, leaves: Leaf[], providerSig: string, beneficiarySig: string): Enqueued {
    if (leaves.length !== h.count) throw new AppError('INVALID_ARGUMENT', `batch header count ${h.count} but ${leaves.length} leaves`, { field: 'leaves' });
    const digest = this.batchDigest(h);
    const data = this.settlement.interface.encodeFunctionData('settleBatch', [h, leaves, providerSig, beneficiarySig]);
    return this.enqueue({ kind: 'batch', key: `settle:${h.offerId}:${h.firstSeq}`, offerId: h.offerId, seq: Number(h.firstSeq), count: h.count, digest, target: this.chain.addresses.settlement, calldata: data });
  }
  async settlements(offerId?: string): Promise<{ settlementId: string; offerId: string; seq: bigint; report: Report; digest: string; amount: bigint; payee: string; blockNumber: number; txHash: string }[]> {
    const evs = await this.settlement.queryFilter(this.settlement.filters.Settled(), 0);
    const out = evs.map((e) => {
      const a = (e as unknown as { args: { settlementId: string; report: Record<string, unknown>; amount: bigint; payee: string } }).args;
      const report = plainReport(a.report);
      return { settlementId: a.settlementId, offerId: report.offerId, seq: report.seq, report, digest: this.reportDigest(report), amount: a.amount, payee: a.payee, blockNumber: e.blockNumber, txHash: e.transactionHash };
    });
    return offerId ? out.filter((s) => s.offerId === offerId) : out;
  }

  // ---- token payloads (claims 3-5) ----
  /**
   * Seals a FIG. 3 payload for the settlement (offerId, seq): the token id is the settlement id, the owner is the
   * provider; returns what the Report carries (payloadHash, keyCommitment, classifiers) and the envelope and wraps
   * to publish (inline in the event data when small, else in the content store under payloadHash).
   */
  sealForSettlement(payload: TokenPayload, offerId: string, seq: bigint, provider: string, readers: ReaderKey[], salt?: Uint8Array): { tokenId: bigint; sealed: SealedPayload; report: Pick<Report, 'payloadHash' | 'keyCommitment' | 'classifiers'> } {
    const tokenId = BigInt(settlementId(offerId, seq));
    const sealed = sealPayload(payload, { chainId: this.chain.chainId, ledger: this.chain.addresses.settlement, tokenId, owner: provider }, readers);
    return { tokenId, sealed, report: { payloadHash: sealed.payloadHash, keyCommitment: sealed.keyCommitment, classifiers: BigInt(deriveClassifiers(payload, salt).key) } };
  }
  /** Opens a settlement's payload with this node's encryption key (the epoch the wrap names). */
  async openSettlementPayload(offerId: string, seq: bigint, provider: string, envelope: Uint8Array, keyCommitment: string, wrap: Uint8Array, readerId: string): Promise<TokenPayload> {
    const epoch = wrapEpoch(wrap);
    await this.keys.loadEpoch(epoch);
    const ctx = { chainId: this.chain.chainId, ledger: this.chain.addresses.settlement, tokenId: BigInt(settlementId(offerId, seq)), owner: provider };
    return openPayload(envelope, ctx, keyCommitment, wrap, this.keys.readerSecret(readerId, epoch));
  }

  // ---- islanding ----
  recordTransition(t: Transition, controllerSig: string, dsoSig: string): Enqueued {
    const digest = this.transitionDigest(t);
    const data = this.islanding.interface.encodeFunctionData('record', [t, controllerSig, dsoSig]);
    return this.enqueue({ kind: 'transition', key: `transition:${t.microgrid}:${t.seq}`, offerId: `mg:${t.microgrid}`, seq: Number(t.seq), digest, target: this.chain.addresses.islanding, calldata: data });
  }
  microgrid(id: string): Promise<{ state: bigint; nextSeq: bigint }> {
    return this.islanding.microgrids(id);
  }
}
