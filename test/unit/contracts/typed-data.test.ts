// The EIP-712 type definitions in main/services/ledger/contracts.ts must spell exactly the type strings the
// Solidity sources hash (read from the .sol files here), and the pure helpers must agree with plain BigInt math.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AbiCoder, keccak256, TypedDataEncoder } from 'ethers';
import { describe, expect, it } from 'vitest';
import { BATCH_TYPES, classRoleMasks, computeAmount, REGISTRATION_TYPES, REPORT_TYPES, stateSeen, TRANSITION_TYPES } from '../../../main/services/ledger/contracts';

const src = (f: string): string => readFileSync(join(__dirname, '..', '..', '..', 'resources', 'contracts', 'src', f), 'utf8');
function solidityType(file: string, name: string): string {
  const m = new RegExp(`"(${name}\\([^"]*\\))"`).exec(src(file).replace(/"\s*\n\s*/g, '"'));
  if (!m) throw new Error(`${name} type string not found in ${file}`);
  return m[1];
}

describe('EIP-712 types', () => {
  it.each([
    ['Settlement.sol', 'Report', REPORT_TYPES],
    ['Settlement.sol', 'BatchHeader', BATCH_TYPES],
    ['Islanding.sol', 'Transition', TRANSITION_TYPES],
    ['Registry.sol', 'Registration', REGISTRATION_TYPES],
  ] as const)('%s %s matches the TypeScript definition', (file, name, types) => {
    expect(TypedDataEncoder.from(types).encodeType(name)).toBe(solidityType(file, name));
  });
});

describe('pure helpers', () => {
  it('computeAmount rounds down qty x price x bps / 1e7', () => {
    expect(computeAmount(999n, 1n, 10_000)).toBe(0n);
    expect(computeAmount(1000n, 1n, 10_000)).toBe(1n);
    expect(computeAmount(5000n, 150_000_000_000_000_000n, 10_000)).toBe(750_000_000_000_000_000n);
    expect(computeAmount(2n ** 64n - 1n, 2n ** 100n, 65_535)).toBe(((2n ** 64n - 1n) * 2n ** 100n * 65_535n) / 10_000_000n);
  });

  it('stateSeen is keccak256(abi.encode(offerId, seq, qtyLeft, escrowLeft))', () => {
    const id = `0x${'ab'.repeat(32)}`;
    const manual = keccak256(AbiCoder.defaultAbiCoder().encode(['bytes32', 'uint256', 'uint256', 'uint256'], [id, 7n, 100n, 2n ** 127n]));
    expect(stateSeen(id, 7n, 100n, 2n ** 127n)).toBe(manual);
  });

  it('classRoleMasks sets bit 8*class + role', () => {
    expect(classRoleMasks({ 0: [3], 2: [2, 5] })).toBe((1n << 3n) | (1n << 18n) | (1n << 21n));
  });
});
