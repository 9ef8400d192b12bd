// Starts `hardhat node` (Hardhat 2.29, a second EVM implementation) on a free 127.0.0.1 port for the client suite,
// with the contracts' hardfork, and deploys our contracts to it the way a configured external chain would have them.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeProvider } from '../../../main/services/ledger/chain';
import { BUILD_INFO } from '../../../main/services/ledger/contracts';
import { defaultDeployOptions, ensureDeployed, type LedgerAddresses } from '../../../main/services/ledger/deployment';
import type { LedgerKeys } from '../../../main/services/ledger/keys';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

export async function startHardhatNode(): Promise<{ rpcUrl: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'exergy-hardhat-'));
  const cfg = join(dir, 'hardhat.config.cjs');
  writeFileSync(cfg, `module.exports = { networks: { hardhat: { hardfork: '${BUILD_INFO.evmVersion}', chainId: 31337, accounts: { count: 1 } } } };\n`);
  const port = await freePort();
  const cli = join(process.cwd(), 'node_modules', 'hardhat', 'internal', 'cli', 'cli.js');
  const child = spawn(process.execPath, [cli, 'node', '--config', cfg, '--hostname', '127.0.0.1', '--port', String(port)], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`hardhat node did not start: ${log}`)), 90_000);
    child.stdout.on('data', (b: Buffer) => {
      log += b.toString();
      if (log.includes('Started HTTP')) {
        clearTimeout(t);
        resolve();
      }
    });
    child.stderr.on('data', (b: Buffer) => (log += b.toString()));
    child.once('exit', (c) => (clearTimeout(t), reject(new Error(`hardhat node exited ${c}: ${log}`))));
  });
  child.stdout.resume();
  return {
    rpcUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Funds our two accounts (hardhat_setBalance) and deploys, as an operator would before configuring the URL. */
export async function deployToExternal(rpcUrl: string, keys: LedgerKeys, dir: string): Promise<LedgerAddresses> {
  const p = makeProvider(rpcUrl, 31337n);
  try {
    for (const a of [keys.deployerAddress, keys.address]) await p.send('hardhat_setBalance', [a, '0x' + (10n ** 24n).toString(16)]);
    const { record } = await ensureDeployed(dir, p, keys.deployerWallet(p), defaultDeployOptions(keys.deployerAddress, keys.address));
    return record.addresses;
  } finally {
    p.destroy();
  }
}
