// The settlement contracts as seen from TypeScript: artifacts (ABI + bytecode, build hash), EIP-712 type definitions
// mirroring resources/contracts/src/*.sol, and the pure helpers a signer needs (state, amount, Merkle batch tree).
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { AbiCoder, keccak256, type InterfaceAbi, type TypedDataDomain, type TypedDataField } from 'ethers';
import buildInfo from '../../../resources/contracts/artifacts/build-info.json';
import islanding from '../../../resources/contracts/artifacts/Islanding.json';
import registry from '../../../resources/contracts/artifacts/Registry.json';
import settlement from '../../../resources/contracts/artifacts/Settlement.json';
import xrg from '../../../resources/contracts/artifacts/XRG.json';

export type ContractName = 'XRG' | 'Registry' | 'Settlement' | 'Islanding';
export interface Artifact {
  contractName: string;
  sourceName: string;
  abi: InterfaceAbi;
  bytecode: string;
  deployedBytecode: string;
}
const ARTIFACTS: Record<ContractName, Artifact> = { XRG: xrg, Registry: registry, Settlement: settlement, Islanding: islanding } as Record<ContractName, Artifact>;

export function artifact(name: ContractName): Artifact {
  return ARTIFACTS[name];
}
/** solc version, evmVersion (the anvil hardfork must match), settings and the build hash over sources+settings. */
export const BUILD_INFO = buildInfo as { solcVersion: string; evmVersion: 'cancun' | 'prague'; buildHash: string; contracts: string[] };

/** Registry roles (Registry.sol ROLE_*). */
export const ROLE = { DSO: 1, CONTROLLER: 2, DER: 3, AUDITOR: 4, ARBITER: 5 } as const;
/** Offer.status in EscrowBook.sol. */
export const OFFER_STATUS = { NONE: 0, OPEN: 1, DISPUTED: 2, RESOLVED: 3, CLOSED: 4 } as const;
/** GridConnectState numbering used by Islanding.sol (shared/domain/signals.ts). */
export const GRID_STATE = { PARALLEL: 0, ISLANDED: 1, RIDE_THROUGH: 2 } as const;
/** Registry bonds are counted in whole XRG: `Registry.bond(id, whole)` pulls whole x BOND_UNIT base units. */
export const BOND_UNIT = 10n ** 18n;
export const WH_PER_KWH = 1000n;
export const BPS = 10_000n;

export interface Report {
  offerId: string;
  seq: bigint;
  qtyMeasured: bigint; // Wh
  qtySettled: bigint; // Wh
  band: number;
  period: bigint; // unix seconds of the metering period
  payloadHash: string;
  keyCommitment: string;
  classifiers: bigint; // packed public classifier key (uint64)
  stateSeen: string;
  deadline: bigint;
}
export type Leaf = Omit<Report, 'offerId' | 'stateSeen' | 'deadline'>;
export interface BatchHeader {
  offerId: string;
  firstSeq: bigint;
  count: number;
  root: string;
  total: bigint;
  stateSeen: string;
  deadline: bigint;
}
export interface Terms {
  provider: string; // the provider's registered signing address
  serviceClass: number;
  price: bigint; // asset base units per kWh
  multipliers: number[]; // 8 bands, bps; 0 = band not paid
  quantity: bigint; // Wh, < 2^64
  escrow: bigint;
  windowStart: bigint;
  windowEnd: bigint;
  salt: string;
}
export interface Transition {
  microgrid: string;
  seq: bigint;
  from: number;
  to: number;
  time: bigint;
  cause: number;
  planned: boolean;
  dfMilliHz: number;
  dVMilliPu: number;
  dPhiCentiDeg: number;
  limitsId: string;
}

const f = (name: string, type: string): TypedDataField => ({ name, type });
export const REPORT_TYPES: Record<string, TypedDataField[]> = {
  Report: [f('offerId', 'bytes32'), f('seq', 'uint64'), f('qtyMeasured', 'uint128'), f('qtySettled', 'uint128'), f('band', 'uint8'), f('period', 'uint64'), f('payloadHash', 'bytes32'), f('keyCommitment', 'bytes32'), f('classifiers', 'uint64'), f('stateSeen', 'bytes32'), f('deadline', 'uint64')],
};
export const BATCH_TYPES: Record<string, TypedDataField[]> = {
  BatchHeader: [f('offerId', 'bytes32'), f('firstSeq', 'uint64'), f('count', 'uint32'), f('root', 'bytes32'), f('total', 'uint256'), f('stateSeen', 'bytes32'), f('deadline', 'uint64')],
};
export const TRANSITION_TYPES: Record<string, TypedDataField[]> = {
  Transition: [f('microgrid', 'bytes32'), f('seq', 'uint64'), f('from', 'uint8'), f('to', 'uint8'), f('time', 'uint64'), f('cause', 'uint8'), f('planned', 'bool'), f('dfMilliHz', 'int32'), f('dVMilliPu', 'int32'), f('dPhiCentiDeg', 'int32'), f('limitsId', 'bytes32')],
};
export const REGISTRATION_TYPES: Record<string, TypedDataField[]> = {
  Registration: [f('id', 'bytes32'), f('role', 'uint8'), f('signer', 'address'), f('payee', 'address'), f('encKeyHash', 'bytes32'), f('encKeyVersion', 'uint32')],
};

const DOMAIN_NAMES = { Settlement: 'ExergySettlement', Registry: 'ExergyRegistry', Islanding: 'ExergyIslanding' } as const;
/** The EIP-712 domain of a deployed contract (the same one its `eip712Domain()` returns). */
export function domainOf(contract: keyof typeof DOMAIN_NAMES, chainId: bigint | number, verifyingContract: string): TypedDataDomain {
  return { name: DOMAIN_NAMES[contract], version: '1', chainId, verifyingContract };
}

const abi = AbiCoder.defaultAbiCoder();
/** keccak256(abi.encode(offerId, seq, qtyLeft, escrowLeft)): the state both signers saw before this settlement. */
export function stateSeen(offerId: string, seq: bigint, qtyLeft: bigint, escrowLeft: bigint): string {
  return keccak256(abi.encode(['bytes32', 'uint64', 'uint128', 'uint128'], [offerId, seq, qtyLeft, escrowLeft]));
}
export function settlementId(offerId: string, seq: bigint): string {
  return keccak256(abi.encode(['bytes32', 'uint64'], [offerId, seq]));
}
/** qty [Wh] x price [base units/kWh] x multiplier [bps] / (1000 x 10000), rounded down, as Settlement.sol. */
export function computeAmount(qtySettled: bigint, price: bigint, multiplierBps: number): bigint {
  return (qtySettled * price * BigInt(multiplierBps)) / (WH_PER_KWH * BPS);
}

/** The StandardMerkleTree leaf encoding of one batch settlement (double-hashed by the library and the contract). */
export const LEAF_ENCODING = ['bytes32', 'uint64', 'uint128', 'uint128', 'uint8', 'uint64', 'bytes32', 'bytes32', 'uint64', 'uint256'];
export function leafValue(offerId: string, l: Leaf, amount: bigint): unknown[] {
  return [offerId, l.seq, l.qtyMeasured, l.qtySettled, l.band, l.period, l.payloadHash, l.keyCommitment, l.classifiers, amount];
}
/** The batch tree in the contract's order (leaves by seq, not sorted); amounts from the offer's price and bands. */
export function batchTree(offerId: string, leaves: Leaf[], price: bigint, multipliers: number[]): { tree: StandardMerkleTree<unknown[]>; total: bigint; amounts: bigint[] } {
  const amounts = leaves.map((l) => computeAmount(l.qtySettled, price, multipliers[l.band] ?? 0));
  const tree = StandardMerkleTree.of(leaves.map((l, i) => leafValue(offerId, l, amounts[i])), LEAF_ENCODING, { sortLeaves: false });
  return { tree, total: amounts.reduce((a, b) => a + b, 0n), amounts };
}

/** Packs {serviceClass: allowed provider roles} into the Settlement constructor's classRoleMasks. */
export function classRoleMasks(table: Record<number, number[]>): bigint {
  let m = 0n;
  for (const [cls, roles] of Object.entries(table)) for (const r of roles) m |= 1n << BigInt(Number(cls) * 8 + r);
  return m;
}
