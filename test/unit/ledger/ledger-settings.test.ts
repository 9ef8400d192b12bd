// The `ledger` settings section: embedded by default, rpc needs a URL and the contract addresses, and every error
// names the field (ledger.rpcUrl, ledger.addresses.settlement, ledger.mode's allowed values).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../../main/core/settings';
import type { LedgerSettings } from '../../../shared/contract/areas/ledger';

let dir: string;
const withFile = (yaml: string): SettingsStore => {
  dir = mkdtempSync(join(tmpdir(), 'exergy-ledger-settings-'));
  writeFileSync(join(dir, 'settings.yaml'), yaml);
  return new SettingsStore(dir);
};
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const A = '0x' + '11'.repeat(20);
const addrs = `{ xrg: "${A}", registry: "${A}", settlement: "${A}", islanding: "${A}", asset: "${A}" }`;

describe('ledger settings', () => {
  it('defaults to the embedded chain', () => {
    const s = withFile('log: { level: info }\n');
    s.load();
    expect(s.get<LedgerSettings>('ledger')).toEqual({ mode: 'embedded' });
  });
  it('accepts an RPC endpoint with addresses, chain id and confirmations', () => {
    const s = withFile(`ledger: { mode: rpc, rpcUrl: "https://node.example:8545/key", chainId: 100, confirmations: 3, addresses: ${addrs} }\n`);
    s.load();
    expect(s.get<LedgerSettings>('ledger')).toMatchObject({ mode: 'rpc', chainId: 100, confirmations: 3, addresses: { settlement: A } });
  });
  it('names the missing field in rpc mode', () => {
    expect(() => withFile('ledger: { mode: rpc }\n').load()).toThrow(/settings ledger: rpcUrl: required when mode is "rpc"; addresses: required/);
  });
  it('names a bad mode with the allowed values, a bad address and an unknown key', () => {
    expect(() => withFile('ledger: { mode: cloud }\n').load()).toThrow(/mode: .*\(allowed: "embedded", "rpc"\)/);
    expect(() => withFile(`ledger: { mode: rpc, rpcUrl: "http://x:1", addresses: { xrg: "${A}", registry: "${A}", settlement: "0x12", islanding: "${A}", asset: "${A}" } }\n`).load()).toThrow(/addresses\.settlement: expected a 0x-prefixed 20-byte hex address/);
    expect(() => withFile('ledger: { confirmation: 2 }\n').load()).toThrow(/ledger.*confirmation/);
    expect(() => withFile('ledger: { rpcUrl: "ftp://x" }\n').load()).toThrow(/rpcUrl: expected an http\(s\):\/\/ or ws\(s\):\/\/ URL/);
  });
});
