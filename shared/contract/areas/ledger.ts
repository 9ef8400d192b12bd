// The ledger's channels and its settings section: chain status (mode, chain, contracts, outbox), offers and
// settlements read from the chain. Amounts and sequence numbers are uint256 on chain, so they travel as strings.
import { z } from 'zod';
import { channel } from '../define';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 20-byte hex address');
export const ledgerAddressesSchema = z.object({ xrg: address, registry: address, settlement: address, islanding: address, asset: address });

/** The `ledger` section of settings.yaml. Embedded: the core runs its own anvil; rpc: any EVM JSON-RPC endpoint. */
export const ledgerSettingsSchema = z
  .object({
    mode: z.enum(['embedded', 'rpc']).default('embedded'),
    rpcUrl: z.string().regex(/^(https?|wss?):\/\/\S+$/, 'expected an http(s):// or ws(s):// URL').optional(),
    chainId: z.number().int().positive().optional(),
    addresses: ledgerAddressesSchema.optional(),
    confirmations: z.number().int().min(0).max(64).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    // an RPC endpoint is useless without the contracts on it: both are required together
    if (v.mode === 'rpc' && !v.rpcUrl) ctx.addIssue({ code: 'custom', path: ['rpcUrl'], message: 'required when mode is "rpc"' });
    if (v.mode === 'rpc' && !v.addresses) ctx.addIssue({ code: 'custom', path: ['addresses'], message: 'required when mode is "rpc" (xrg, registry, settlement, islanding, asset)' });
  });
export type LedgerSettings = z.infer<typeof ledgerSettingsSchema>;

export const LOCAL_LEDGER_LABEL = "local ledger — the operator's own record, not a trust anchor";

const outboxCounts = z.object({ queued: z.number(), sent: z.number(), confirmed: z.number(), final: z.number(), failed: z.number(), superseded: z.number() });
export const ledgerStatusSchema = z.object({
  mode: z.enum(['embedded', 'rpc']),
  state: z.enum(['starting', 'running', 'failed', 'stopped']),
  label: z.string(),
  /** host[:port] of the RPC endpoint only: a configured URL may carry an API key in its path or query */
  rpcHost: z.string().optional(),
  chainId: z.string().optional(),
  addresses: ledgerAddressesSchema.optional(),
  buildHash: z.string(),
  blockNumber: z.number().optional(),
  outbox: outboxCounts.optional(),
  /** set when the embedded chain state was restored from a backup (ms epoch) */
  restoredFrom: z.number().optional(),
  error: z.string().optional(),
});
export type LedgerStatus = z.infer<typeof ledgerStatusSchema>;

const bytes32 = z.string();
export const ledgerOfferSchema = z.object({ offerId: bytes32, provider: z.string(), beneficiary: z.string(), blockNumber: z.number() });
export const ledgerSettlementSchema = z.object({
  settlementId: z.string(),
  offerId: bytes32,
  seq: z.string(),
  digest: z.string(),
  amount: z.string(),
  payee: z.string(),
  blockNumber: z.number(),
  txHash: z.string(),
  report: z.record(z.string(), z.union([z.string(), z.number()])),
});

const empty = z.object({}).strict();

export const channels = {
  'ledger.status': channel('the ledger: mode, chain, contracts, build, block, outbox counts', empty, ledgerStatusSchema),
  'ledger.offers': channel('offers posted on the ledger, oldest first', empty, z.object({ offers: z.array(ledgerOfferSchema) })),
  'ledger.settlements': channel(
    'settlements recorded on the ledger, optionally for one offer',
    z.object({ offerId: z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 0x-prefixed 32-byte hex offer id').optional() }).strict(),
    z.object({ settlements: z.array(ledgerSettlementSchema) }),
  ),
};

export const streams = {};
