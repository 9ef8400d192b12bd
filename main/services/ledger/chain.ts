// The chain the ledger writes to. With nothing configured: the embedded anvil (a local ledger: the operator's own
// record, not a trust anchor) with its state in the data folder, a guarded RPC front door and our contracts.
// Otherwise: any EVM JSON-RPC endpoint and the contract addresses configured for it.
import { copyFileSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonRpcProvider } from 'ethers';
import { AppError } from '../../../shared/errors';
import { startAnvil, type AnvilHandle } from './anvil-process';
import { BUILD_INFO } from './contracts';
import { checkAddresses, defaultDeployOptions, ensureDeployed, type LedgerAddresses } from './deployment';
import type { LedgerKeys } from './keys';
import { startRpcGuard, type RpcGuard } from './rpc-guard';

export interface ChainConfig {
  rpcUrl: string;
  addresses: LedgerAddresses;
}
export interface OpenChainOptions {
  dir: string; // the data folder's chain/ directory
  keys: LedgerKeys;
  config?: ChainConfig; // absent: embedded anvil
  chainId?: number;
}
export interface LedgerChain {
  kind: 'embedded' | 'external';
  label: string; // for the status bar
  provider: JsonRpcProvider; // direct to the node (the core only)
  publicUrl: string; // what other processes get: the guarded front door (embedded) or the configured URL
  chainId: bigint;
  addresses: LedgerAddresses;
  anvil?: AnvilHandle;
  /** Set when the embedded chain was restored from a backup of this age (ms epoch): later confirmations may be gone. */
  restoredFrom?: number;
  /** When anvil last dumped the state it starts from (the file's mtime): anvil dumps each second and lags under
   * load, so confirmations shortly before this may be gone even though nothing was restored. */
  persistedAt?: number;
  stop(): Promise<void>;
}

export function makeProvider(url: string, chainId?: bigint): JsonRpcProvider {
  // TOOLCHAIN.md: no 10 ms batching window and no response cache (it served a stale nonce)
  return new JsonRpcProvider(url, chainId, { staticNetwork: chainId !== undefined, batchMaxCount: 1, cacheTimeout: -1, pollingInterval: 250 });
}

/**
 * anvil rewrites its state file in place each second; a kill in the middle of a write would leave it unreadable
 * and lose the chain. We keep the last copy that parsed (at start and every few seconds while running) and restore
 * it when needed; the caller learns the backup's age so the outbox re-checks anything confirmed after it.
 */
function guardStateFile(state: string): number | undefined {
  const bak = `${state}.bak`;
  if (!existsSync(state)) {
    if (!existsSync(bak)) return undefined;
    copyFileSync(bak, state);
    return statSync(bak).mtimeMs;
  }
  if (backupState(state)) return undefined;
  if (!existsSync(bak)) throw new AppError('PARSE_ERROR', `${state}: the chain state is damaged and there is no backup`, { file: state });
  copyFileSync(bak, state);
  return statSync(bak).mtimeMs;
}

/** Copies the state file to .bak when it parses; true when it did. */
function backupState(state: string): boolean {
  try {
    const text = readFileSync(state, 'utf8');
    JSON.parse(text);
    writeFileSync(`${state}.bak.tmp`, text);
    renameSync(`${state}.bak.tmp`, `${state}.bak`);
    return true;
  } catch {
    return false;
  }
}

export async function openChain(o: OpenChainOptions): Promise<LedgerChain> {
  if (o.config) {
    const probe = makeProvider(o.config.rpcUrl);
    let chainId: bigint;
    try {
      chainId = (await probe.getNetwork()).chainId;
    } catch (e) {
      probe.destroy();
      throw new AppError('UNAVAILABLE', `ledger RPC ${o.config.rpcUrl} does not answer: ${(e as Error).message}`, { rpcUrl: o.config.rpcUrl });
    }
    probe.destroy();
    const provider = makeProvider(o.config.rpcUrl, chainId);
    const addresses = await checkAddresses(provider, o.config.addresses);
    return { kind: 'external', label: `chain ${chainId}`, provider, publicUrl: o.config.rpcUrl, chainId, addresses, stop: async () => provider.destroy() };
  }
  const state = join(o.dir, 'anvil-state.json');
  const persistedAt = existsSync(state) ? statSync(state).mtimeMs : undefined;
  const restoredFrom = guardStateFile(state);
  // --no-cors: no browser may read answers; --accounts 0: no unlocked dev keys; --state-interval 1: persisted each second
  const anvil = await startAnvil({ hardfork: BUILD_INFO.evmVersion, stateFile: state, chainId: o.chainId ?? 31337, extraArgs: ['--no-cors', '--state-interval', '1', '--accounts', '0'] });
  const chainId = BigInt(o.chainId ?? 31337);
  const provider = makeProvider(anvil.rpcUrl, chainId);
  let guard: RpcGuard | undefined;
  try {
    // Gas for our own two accounts only; the published dev keys are never funded (there are none: --accounts 0).
    for (const a of [o.keys.deployerAddress, o.keys.address]) {
      if ((await provider.getBalance(a)) < 10n ** 20n) await provider.send('anvil_setBalance', [a, '0x' + (10n ** 24n).toString(16)]);
    }
    const { record } = await ensureDeployed(o.dir, provider, o.keys.deployerWallet(provider), defaultDeployOptions(o.keys.deployerAddress, o.keys.address));
    guard = await startRpcGuard({ upstream: anvil.rpcUrl });
    const g = guard;
    const backups = setInterval(() => backupState(state), 5000);
    backups.unref();
    return {
      kind: 'embedded',
      label: 'local ledger (operator record, not a trust anchor)',
      provider,
      publicUrl: g.url,
      chainId,
      addresses: record.addresses,
      anvil,
      restoredFrom,
      ...(persistedAt !== undefined ? { persistedAt } : {}),
      stop: async () => {
        clearInterval(backups);
        provider.destroy();
        await g.close();
        await anvil.stop();
      },
    };
  } catch (e) {
    provider.destroy();
    await guard?.close();
    await anvil.stop();
    throw e;
  }
}
