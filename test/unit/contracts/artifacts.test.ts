// The committed contract artifacts (ABI, bytecode, build hash) must be exactly what the pinned compiler produces
// from the committed sources, so anyone can match deployed code. Slow for a unit test (solc is WebAssembly): one run.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_INFO } from '../../../main/services/ledger/contracts';

interface Compiled {
  artifacts: Record<string, { abi: unknown; bytecode: string; deployedBytecode: string }>;
  buildInfo: { buildHash: string; solcVersion: string; evmVersion: string; contracts: string[] };
}
const root = join(__dirname, '..', '..', '..');

/** Names of the artifacts whose ABI or code differs from the fresh compile (empty = identical). */
export function differences(fresh: Compiled, dir: string, read = (f: string): string => readFileSync(join(dir, f), 'utf8')): string[] {
  const out: string[] = [];
  const committed = JSON.parse(read('build-info.json'));
  if (committed.buildHash !== fresh.buildInfo.buildHash) out.push('build-info.json');
  for (const [name, a] of Object.entries(fresh.artifacts)) {
    const c = JSON.parse(read(`${name}.json`));
    if (c.bytecode !== a.bytecode || c.deployedBytecode !== a.deployedBytecode || JSON.stringify(c.abi) !== JSON.stringify(a.abi)) out.push(name);
  }
  return out;
}

describe('contract artifacts', () => {
  it('match a fresh compile with the pinned solc and evmVersion, and a tampered artifact is caught', { timeout: 600_000 }, () => {
    const fresh = JSON.parse(execFileSync(process.execPath, [join(root, 'scripts', 'compile-contracts.mjs'), '--json'], { encoding: 'utf8', maxBuffer: 256 << 20 })) as { src: Compiled; testSrc: Compiled };
    expect(fresh.src.buildInfo.solcVersion).toBe('0.8.30+commit.73712a01');
    expect(fresh.src.buildInfo.evmVersion).toBe('prague');
    expect(BUILD_INFO.buildHash).toBe(fresh.src.buildInfo.buildHash);
    expect(fresh.src.buildInfo.contracts).toEqual(expect.arrayContaining(['XRG', 'Registry', 'Settlement', 'Islanding']));
    const dir = join(root, 'resources', 'contracts', 'artifacts');
    expect(differences(fresh.src, dir)).toEqual([]);
    expect(differences(fresh.testSrc, join(dir, 'test'))).toEqual([]);
    const tampered = (f: string): string => {
      const a = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      if (f === 'Settlement.json') a.deployedBytecode = `${a.deployedBytecode.slice(0, -2)}${a.deployedBytecode.endsWith('00') ? '01' : '00'}`;
      return JSON.stringify(a);
    };
    expect(differences(fresh.src, dir, tampered)).toEqual(['Settlement']);
  });
});
