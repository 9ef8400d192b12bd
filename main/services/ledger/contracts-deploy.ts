// Deploying the settlement contracts and producing the signatures they check (registration proofs, reports, batch
// headers, transitions); used by the ledger service and by the contract tests so both speak exactly one dialect.
import { BaseContract, Contract, ContractFactory, keccak256, type BaseWallet, type ContractRunner, type Signer } from 'ethers';
import { AppError } from '../../../shared/errors';
import { artifact, BATCH_TYPES, BOND_UNIT, domainOf, REGISTRATION_TYPES, REPORT_TYPES, TRANSITION_TYPES, type BatchHeader, type ContractName, type Report, type Transition } from './contracts';

export interface DeployOptions {
  admin: string; // the DefaultAdminRules admin (a multisig in production)
  adminDelay: number; // seconds before an admin transfer takes effect
  registrar?: string; // granted REGISTRAR_ROLE when the deployer is the admin
  asset?: string; // settlement asset; default: the XRG deployed here
  xrgSupply: bigint;
  xrgHolder: string;
  minBond: bigint; // XRG base units; a whole number of XRG (the Registry counts bonds in whole XRG)
  unbondingDelay: number;
  minUnbondingDelay: number; // must exceed settlementPeriod + disputeWindow
  settlementPeriod: number;
  disputeWindow: number;
  classRoleMasks: bigint;
}
export interface Deployed {
  xrg: Contract;
  registry: Contract;
  settlement: Contract;
  islanding: Contract;
  asset: Contract;
}

export function contractAt(name: ContractName, address: string, runner: ContractRunner): Contract {
  return new Contract(address, artifact(name).abi, runner);
}

export async function deploy(name: ContractName, signer: Signer, ...args: unknown[]): Promise<Contract> {
  const a = artifact(name);
  const c = await new ContractFactory(a.abi, a.bytecode, signer).deploy(...args);
  await c.waitForDeployment();
  return c as BaseContract as Contract;
}

/**
 * Deploys XRG, Registry, Settlement and Islanding in order. When the deployer is `admin` it also connects the
 * Settlement to the Registry (addSink) and grants the registrar; otherwise the admin must do both.
 */
export async function deployContracts(signer: Signer, o: DeployOptions): Promise<Deployed> {
  try {
    if (o.minBond % BOND_UNIT !== 0n) throw new AppError('INVALID_ARGUMENT', 'minBond must be a whole number of XRG', { minBond: o.minBond.toString() });
    const xrg = await deploy('XRG', signer, o.xrgHolder, o.xrgSupply);
    const registry = await deploy('Registry', signer, await xrg.getAddress(), o.minBond / BOND_UNIT, o.unbondingDelay, o.minUnbondingDelay, o.adminDelay, o.admin);
    const assetAddr = o.asset ?? (await xrg.getAddress());
    const settlement = await deploy('Settlement', signer, assetAddr, await registry.getAddress(), o.settlementPeriod, o.disputeWindow, o.classRoleMasks);
    const islanding = await deploy('Islanding', signer, await registry.getAddress());
    const isAdmin = (await signer.getAddress()).toLowerCase() === o.admin.toLowerCase();
    // The Settlement mirrors eligibility from the Registry; only the admin can connect it (else: admin calls addSink).
    if (isAdmin) await (await registry.addSink(await settlement.getAddress())).wait();
    if (o.registrar && isAdmin) await (await registry.grantRole(await registry.REGISTRAR_ROLE(), o.registrar)).wait();
    const asset = o.asset ? contractAt('XRG', o.asset, signer) : xrg;
    return { xrg, registry, settlement, islanding, asset };
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('LEDGER', `contract deployment failed: ${(e as Error).message}`, { step: 'deploy' });
  }
}

export interface RegistrationProof {
  signingKey: string; // 33-byte compressed public key
  encKey: string;
  sigBySigner: string;
  sigByEncKey: string;
}
/** Both keys sign the Registration (version 1 at registration, +1 per rotation) for Registry.register/rotate. */
export async function registrationProof(
  registryAddress: string, chainId: bigint, id: string, role: number, payee: string, signing: BaseWallet, enc: BaseWallet, version = 1,
): Promise<RegistrationProof> {
  const encKey = enc.signingKey.compressedPublicKey;
  const value = { id, role, signer: signing.address, payee, encKeyHash: keccak256(encKey), encKeyVersion: version };
  const domain = domainOf('Registry', chainId, registryAddress);
  return {
    signingKey: signing.signingKey.compressedPublicKey,
    encKey,
    sigBySigner: await signing.signTypedData(domain, REGISTRATION_TYPES, value),
    sigByEncKey: await enc.signTypedData(domain, REGISTRATION_TYPES, value),
  };
}

export function signReport(w: BaseWallet, settlement: string, chainId: bigint, r: Report): Promise<string> {
  return w.signTypedData(domainOf('Settlement', chainId, settlement), REPORT_TYPES, r);
}
export function signBatch(w: BaseWallet, settlement: string, chainId: bigint, h: BatchHeader): Promise<string> {
  return w.signTypedData(domainOf('Settlement', chainId, settlement), BATCH_TYPES, h);
}
export function signTransition(w: BaseWallet, islanding: string, chainId: bigint, t: Transition): Promise<string> {
  return w.signTypedData(domainOf('Islanding', chainId, islanding), TRANSITION_TYPES, t);
}
