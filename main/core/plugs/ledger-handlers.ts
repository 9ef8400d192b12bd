// The ledger's contract handlers: status for every logged-in user (the status bar's detail), offers and
// settlements for the roles that read the record (operator, auditor, admin). uint256 values travel as strings.
import type { LedgerSettings, LedgerStatus } from '../../../shared/contract/areas/ledger';
import { LOCAL_LEDGER_LABEL } from '../../../shared/contract/areas/ledger';
import type { Role } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { BUILD_INFO } from '../../services/ledger/contracts';
import type { LedgerService } from '../../services/ledger/service';
import type { Core } from '../core';

const READERS: readonly Role[] = ['dso-operator', 'auditor', 'admin'];

/** What the plug knows about its service beyond the service itself (the start runs in the background). */
export interface LedgerView {
  cfg: LedgerSettings;
  service: LedgerService;
  state: LedgerStatus['state'];
  label?: string;
  error?: string;
}

/** host[:port] only: a provider URL often carries an API key in its path or query string. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

export async function ledgerStatus(v: LedgerView): Promise<LedgerStatus> {
  const base: LedgerStatus = {
    mode: v.cfg.mode,
    state: v.state,
    label: v.label ?? (v.cfg.mode === 'embedded' ? LOCAL_LEDGER_LABEL : 'ledger'),
    buildHash: BUILD_INFO.buildHash,
    ...(v.cfg.rpcUrl && v.cfg.mode === 'rpc' ? { rpcHost: hostOf(v.cfg.rpcUrl) } : {}),
    ...(v.error ? { error: v.error } : {}),
  };
  if (v.service.state.kind !== 'running' || v.state !== 'running') return base;
  const { chain, client } = v.service.state;
  let blockNumber: number | undefined;
  try {
    blockNumber = await chain.provider.getBlockNumber();
  } catch {
    // the node went away: the status still answers, without a block number
  }
  return {
    ...base,
    rpcHost: hostOf(chain.publicUrl),
    chainId: chain.chainId.toString(),
    addresses: { ...chain.addresses },
    ...(blockNumber !== undefined ? { blockNumber } : {}),
    outbox: client.store.counts(),
    ...(chain.restoredFrom !== undefined ? { restoredFrom: chain.restoredFrom } : {}),
  };
}

/** bigint → decimal string, so the record survives JSON without losing precision. */
function flat(o: object): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, x] of Object.entries(o)) out[k] = typeof x === 'bigint' ? x.toString() : typeof x === 'number' ? x : String(x);
  return out;
}

export function registerLedgerHandlers(core: Core, v: LedgerView): void {
  const client = () => {
    if (v.service.state.kind !== 'running') throw new AppError('UNAVAILABLE', `the ledger is ${v.state}${v.error ? `: ${v.error}` : ''} (see ledger.status)`);
    return v.service.client;
  };
  core.registerHandler('ledger.status', { roles: 'any', journal: false, handler: () => ledgerStatus(v) });
  core.registerHandler('ledger.offers', {
    roles: READERS,
    journal: false,
    handler: async () => ({ offers: await client().offers() }),
  });
  core.registerHandler('ledger.settlements', {
    roles: READERS,
    journal: false,
    handler: async (req) => {
      const rows = await client().settlements(req.offerId);
      return { settlements: rows.map((s) => ({ ...s, seq: s.seq.toString(), amount: s.amount.toString(), report: flat(s.report) })) };
    },
  });
}
