// Audits settlements from the chain's events alone, without trusting the contract: recomputes each Settled event's
// digest, recovers both signers, recomputes the amount from the OfferPosted terms and replays the per-offer state.
import { getAddress, recoverAddress, Signature, toBeHex, TypedDataEncoder, type Interface, type Log, type TypedDataDomain } from 'ethers';
import { computeAmount, REPORT_TYPES, settlementId, stateSeen, type Report, type Terms } from './contracts';

export interface OfferPosted {
  offerId: string;
  provider: string;
  beneficiary: string;
  terms: Terms;
}
export interface Settled {
  settlementId: string;
  provider: string;
  classifierKey: string;
  beneficiary: string;
  payee: string;
  report: Report;
  digest: string;
  providerSig: [string, string]; // EIP-2098 [r, yParityAndS]
  beneficiarySig: [string, string];
  amount: bigint;
  qtyLeftAfter: bigint;
  escrowLeftAfter: bigint;
}

/** Rebuilds the 65-byte signature an event carries in EIP-2098 form. */
export function fromCompact(c: [string, string]): string {
  return Signature.from({ r: c[0], yParityAndS: c[1] }).serialized;
}

/** Every inconsistency of one Settled event with its offer (empty = consistent). */
export function auditSettled(domain: TypedDataDomain, offer: OfferPosted, ev: Settled): string[] {
  const out: string[] = [];
  const r = ev.report;
  const bad = (what: string): number => out.push(`seq ${r.seq}: ${what}`);
  if (r.offerId !== offer.offerId) bad('report is for another offer');
  if (ev.settlementId !== settlementId(r.offerId, r.seq)) bad('settlementId is not keccak256(offerId, seq)');
  if (BigInt(ev.classifierKey) !== r.classifiers) bad('classifier topic differs from the report');
  const digest = TypedDataEncoder.hash(domain, REPORT_TYPES, r);
  if (digest !== ev.digest) bad('digest differs from the EIP-712 hash of the report');
  try {
    if (recoverAddress(digest, fromCompact(ev.providerSig)) !== getAddress(offer.provider)) bad('first signature is not the provider');
    if (recoverAddress(digest, fromCompact(ev.beneficiarySig)) !== getAddress(offer.beneficiary)) bad('second signature is not the beneficiary');
  } catch {
    bad('a signature does not parse');
  }
  if (getAddress(ev.provider) !== getAddress(offer.provider) || getAddress(ev.beneficiary) !== getAddress(offer.beneficiary)) bad('parties differ from the offer');
  const mult = offer.terms.multipliers[r.band] ?? 0;
  if (mult === 0) bad(`band ${r.band} is not paid by the offer`);
  if (ev.amount !== computeAmount(r.qtySettled, offer.terms.price, mult)) bad('amount differs from quantity x price x multiplier');
  if (r.qtySettled > r.qtyMeasured) bad('settled more than measured');
  if (r.period < offer.terms.windowStart || r.period > offer.terms.windowEnd) bad('period outside the offer window');
  if (r.stateSeen !== stateSeen(r.offerId, r.seq, ev.qtyLeftAfter + r.qtySettled, ev.escrowLeftAfter + ev.amount)) bad('stateSeen does not match the state before');
  return out;
}

/** Audits one offer's settlements in order: seqs from 0 without gaps, quantities and escrow chained from the terms. */
export function auditOffer(domain: TypedDataDomain, offer: OfferPosted, settled: Settled[]): string[] {
  const out: string[] = [];
  let qty = offer.terms.quantity;
  let escrow = offer.terms.escrow;
  [...settled].sort((a, b) => (a.report.seq < b.report.seq ? -1 : 1)).forEach((ev, i) => {
    out.push(...auditSettled(domain, offer, ev));
    if (ev.report.seq !== BigInt(i)) out.push(`seq ${ev.report.seq}: expected seq ${i}`);
    qty -= ev.report.qtySettled;
    escrow -= ev.amount;
    if (qty !== ev.qtyLeftAfter || escrow !== ev.escrowLeftAfter) out.push(`seq ${ev.report.seq}: state after does not follow from the terms`);
  });
  return out;
}

const num = (x: unknown): bigint => BigInt(x as bigint);
/** Decodes OfferPosted and Settled logs of a Settlement contract (other logs are skipped). */
export function decodeSettlementLogs(iface: Interface, logs: readonly Log[]): { offers: Map<string, OfferPosted>; settled: Settled[] } {
  const offers = new Map<string, OfferPosted>();
  const settled: Settled[] = [];
  for (const log of logs) {
    const p = iface.parseLog({ topics: [...log.topics], data: log.data });
    if (p?.name === 'OfferPosted') {
      const t = p.args.terms;
      offers.set(p.args.offerId, { offerId: p.args.offerId, provider: p.args.provider, beneficiary: p.args.beneficiary, terms: { provider: t.provider, serviceClass: Number(t.serviceClass), price: num(t.price), multipliers: [...t.multipliers].map(Number), quantity: num(t.quantity), escrow: num(t.escrow), windowStart: num(t.windowStart), windowEnd: num(t.windowEnd), salt: t.salt } });
    } else if (p?.name === 'Settled') {
      const r = p.args.report;
      settled.push({
        settlementId: p.args.settlementId, provider: p.args.provider, classifierKey: toBeHex(p.args.classifierKey, 32), beneficiary: p.args.beneficiary, payee: p.args.payee,
        report: { offerId: r.offerId, seq: num(r.seq), qtyMeasured: num(r.qtyMeasured), qtySettled: num(r.qtySettled), band: Number(r.band), period: num(r.period), payloadHash: r.payloadHash, keyCommitment: r.keyCommitment, classifiers: num(r.classifiers), stateSeen: r.stateSeen, deadline: num(r.deadline) },
        digest: p.args.digest, providerSig: [p.args.providerSig[0], p.args.providerSig[1]], beneficiarySig: [p.args.beneficiarySig[0], p.args.beneficiarySig[1]],
        amount: num(p.args.amount), qtyLeftAfter: num(p.args.qtyLeftAfter), escrowLeftAfter: num(p.args.escrowLeftAfter),
      });
    }
  }
  return { offers, settled };
}
