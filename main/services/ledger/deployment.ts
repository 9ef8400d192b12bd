// Where the contracts live on a chain: deployed once per install (by the per-install deployer key) and recorded
// with the build hash in the data folder, found again after a restart; or given by configuration.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getAddress, type JsonRpcProvider, type Wallet } from 'ethers';
import { AppError } from '../../../shared/errors';
import { BUILD_INFO, classRoleMasks, ROLE } from './contracts';
import { deployContracts, type DeployOptions } from './contracts-deploy';

export interface LedgerAddresses {
  xrg: string;
  registry: string;
  settlement: string;
  islanding: string;
  asset: string;
}
export interface DeploymentRecord {
  chainId: string;
  buildHash: string;
  addresses: LedgerAddresses;
  deployer: string;
  blockNumber: number;
  deployedAt: string;
}

/** Service classes (the seed's GMLC categories) and the provider roles allowed to serve each. */
export const SERVICE_CLASS = { ENERGY: 0, REGULATION: 1, VOLTAGE: 2, INERTIA: 3 } as const;
export const DEFAULT_MASKS = classRoleMasks({
  [SERVICE_CLASS.ENERGY]: [ROLE.DER, ROLE.CONTROLLER],
  [SERVICE_CLASS.REGULATION]: [ROLE.DER, ROLE.CONTROLLER],
  [SERVICE_CLASS.VOLTAGE]: [ROLE.DER],
  [SERVICE_CLASS.INERTIA]: [ROLE.CONTROLLER],
});

export function defaultDeployOptions(deployer: string, node: string): DeployOptions {
  return {
    admin: deployer, // must be the deployer to grant the registrar; hand over with the 2-step admin transfer
    adminDelay: 86_400,
    registrar: node,
    xrgSupply: 10n ** 30n,
    xrgHolder: node,
    minBond: 1000n * 10n ** 18n,
    unbondingDelay: 14 * 86_400,
    minUnbondingDelay: 11 * 86_400,
    settlementPeriod: 7 * 86_400,
    disputeWindow: 3 * 86_400,
    classRoleMasks: DEFAULT_MASKS,
  };
}

const FILE = 'deployment.json';

export function readDeployment(dir: string): DeploymentRecord | undefined {
  const f = join(dir, FILE);
  if (!existsSync(f)) return undefined;
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as DeploymentRecord;
  } catch (e) {
    throw new AppError('PARSE_ERROR', `${f}: ${(e as Error).message}`, { file: f });
  }
}

async function hasCode(p: JsonRpcProvider, a: LedgerAddresses): Promise<boolean> {
  for (const addr of [a.registry, a.settlement, a.islanding]) if ((await p.getCode(addr)) === '0x') return false;
  return true;
}

/** Checks configured addresses: each must hold code on this chain. */
export async function checkAddresses(p: JsonRpcProvider, a: LedgerAddresses): Promise<LedgerAddresses> {
  const norm = { xrg: getAddress(a.xrg), registry: getAddress(a.registry), settlement: getAddress(a.settlement), islanding: getAddress(a.islanding), asset: getAddress(a.asset ?? a.xrg) };
  if (!(await hasCode(p, norm))) throw new AppError('LEDGER', 'configured ledger contracts have no code on this chain', { addresses: norm });
  return norm;
}

/**
 * Uses the recorded deployment when its build hash matches and its code is on chain; otherwise deploys and records.
 * A deployment from another build is kept as deployment.<buildHash>.json, never overwritten in place.
 */
export async function ensureDeployed(dir: string, provider: JsonRpcProvider, deployer: Wallet, opts: DeployOptions): Promise<{ record: DeploymentRecord; fresh: boolean }> {
  const chainId = (await provider.getNetwork()).chainId.toString();
  const have = readDeployment(dir);
  if (have && have.buildHash === BUILD_INFO.buildHash && have.chainId === chainId && (await hasCode(provider, have.addresses))) return { record: have, fresh: false };
  if (have) renameSync(join(dir, FILE), join(dir, `deployment.${have.buildHash.slice(0, 18)}.${Date.now()}.json`));
  const d = await deployContracts(deployer.connect(provider), opts);
  const addresses = { xrg: await d.xrg.getAddress(), registry: await d.registry.getAddress(), settlement: await d.settlement.getAddress(), islanding: await d.islanding.getAddress(), asset: await d.asset.getAddress() };
  const record: DeploymentRecord = { chainId, buildHash: BUILD_INFO.buildHash, addresses, deployer: deployer.address, blockNumber: await provider.getBlockNumber(), deployedAt: new Date().toISOString() };
  writeFileSync(join(dir, `${FILE}.tmp`), JSON.stringify(record, null, 2));
  renameSync(join(dir, `${FILE}.tmp`), join(dir, FILE));
  return { record, fresh: true };
}
