// How the outbox asks the chain whether an item is already there: by the per-offer (per-microgrid) sequence
// number and the event carrying the signed digest. A different digest at our seq means someone else's record.
import { TypedDataEncoder, type Contract, type Interface } from 'ethers';
import { BATCH_TYPES, domainOf, REPORT_TYPES, settlementId, type Report } from './contracts';
import type { OutboxItem } from './outbox-store';
import type { Probe, ProbeResult } from './submitter';

export interface ProbeContext {
  chainId: bigint;
  settlement: Contract;
  islanding: Contract;
  settlementAddress: string;
  defaultProbe: Probe;
}

async function bySeq(nextSeq: bigint, seq: bigint, count: bigint, find: () => Promise<{ digest: string; blockNumber: number } | undefined>, item: OutboxItem): Promise<ProbeResult> {
  if (seq > nextSeq) return { state: 'blocked', detail: `waiting for seq ${nextSeq} (this is ${seq})` };
  if (seq === nextSeq) return { state: 'absent' };
  const ev = await find();
  if (!ev) return { state: 'conflict', detail: `seq ${seq}${count > 1n ? `..${seq + count - 1n}` : ''} was settled by another record` };
  if (ev.digest.toLowerCase() !== item.digest.toLowerCase()) return { state: 'conflict', detail: `seq ${seq} was settled with digest ${ev.digest}` };
  return { state: 'present', blockNumber: ev.blockNumber };
}

/** An ethers Result of the Report struct as a plain object (field by field, as REPORT_TYPES lists them). */
export function plainReport(r: Record<string, unknown>): Report {
  return Object.fromEntries(REPORT_TYPES.Report.map((f) => [f.name, r[f.name]])) as unknown as Report;
}

function args(iface: Interface, item: OutboxItem): readonly unknown[] {
  return iface.parseTransaction({ data: item.calldata })!.args;
}

export function makeProbe(c: ProbeContext): Probe {
  const sIface = c.settlement.interface;
  const iIface = c.islanding.interface;
  return async (item) => {
    if (item.kind === 'settle') {
      const r = args(sIface, item)[0] as { offerId: string; seq: bigint };
      const off = await c.settlement.offer(r.offerId);
      if (off.status === 0n) return { state: 'blocked', detail: `offer ${r.offerId} is not posted yet` };
      return bySeq(off.nextSeq as bigint, r.seq, 1n, async () => {
        const evs = await c.settlement.queryFilter(c.settlement.filters.Settled(settlementId(r.offerId, r.seq)), 0);
        const e = evs[0] as { args?: { report: Record<string, unknown> }; blockNumber: number } | undefined;
        // the event carries the report, not its digest: recompute it as both parties signed it
        return e?.args ? { digest: TypedDataEncoder.hash(domainOf('Settlement', c.chainId, c.settlementAddress), REPORT_TYPES, plainReport(e.args.report)), blockNumber: e.blockNumber } : undefined;
      }, item);
    }
    if (item.kind === 'batch') {
      const h = args(sIface, item)[0] as { offerId: string; firstSeq: bigint; count: bigint };
      const off = await c.settlement.offer(h.offerId);
      if (off.status === 0n) return { state: 'blocked', detail: `offer ${h.offerId} is not posted yet` };
      return bySeq(off.nextSeq as bigint, h.firstSeq, BigInt(h.count), async () => {
        const evs = await c.settlement.queryFilter(c.settlement.filters.BatchSettled(settlementId(h.offerId, h.firstSeq)), 0);
        const e = evs[0] as { args?: { header: Record<string, unknown> }; blockNumber: number } | undefined;
        if (!e?.args) return undefined;
        const hh = e.args.header as unknown as { offerId: string; firstSeq: bigint; count: bigint; root: string; total: bigint; stateSeen: string; deadline: bigint };
        const value = { offerId: hh.offerId, firstSeq: hh.firstSeq, count: hh.count, root: hh.root, total: hh.total, stateSeen: hh.stateSeen, deadline: hh.deadline };
        return { digest: TypedDataEncoder.hash(domainOf('Settlement', c.chainId, c.settlementAddress), BATCH_TYPES, value), blockNumber: e.blockNumber };
      }, item);
    }
    if (item.kind === 'transition') {
      const t = args(iIface, item)[0] as { microgrid: string; seq: bigint };
      const m = await c.islanding.microgrids(t.microgrid);
      return bySeq(m.nextSeq as bigint, t.seq, 1n, async () => {
        const evs = await c.islanding.queryFilter(c.islanding.filters.TransitionRecorded(null, t.microgrid), 0);
        const e = (evs as { args?: { transition: { seq: bigint }; digest: string }; blockNumber: number }[]).find((x) => x.args?.transition.seq === t.seq);
        return e?.args ? { digest: e.args.digest, blockNumber: e.blockNumber } : undefined;
      }, item);
    }
    return c.defaultProbe(item);
  };
}
