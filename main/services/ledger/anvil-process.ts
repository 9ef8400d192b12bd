// Starts and stops a local anvil EVM node as a child process: the product's embedded chain and the tests' real node.
// Binds 127.0.0.1 on a free port (anvil's own port-0 bind), waits until it answers JSON-RPC, and kills it cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppError } from '../../../shared/errors';

export type Hardfork = 'cancun' | 'prague';

export interface AnvilOptions {
  /** 0 (default) lets the OS pick a free port; anvil prints the one it bound. */
  port?: number;
  /** Persist the chain to this JSON file (anvil `--state`): loaded on start, written on stop. */
  stateFile?: string;
  /** Must match the evmVersion the contracts were compiled for (see scripts/compile-contracts.mjs). */
  hardfork: Hardfork;
  /** Anything else for anvil, e.g. ['--accounts', '10'] in tests. `--accounts 0` is the default for the product. */
  extraArgs?: string[];
  chainId?: number;
  /** Path to the anvil binary; default: the @foundry-rs/anvil-<platform>-<arch> package, or $EXERGY_ANVIL_BIN. */
  binary?: string;
  /** How long to wait for the RPC to answer (ms), default 15 s. */
  readyTimeoutMs?: number;
}

export interface AnvilHandle {
  rpcUrl: string;
  port: number;
  process: ChildProcess;
  /** SIGTERM (anvil writes --state on it), SIGKILL after 3 s; resolves when the process has exited. */
  stop(): Promise<void>;
}

/** Locates the anvil binary shipped inside the npm package for this platform. */
export function anvilBinaryPath(): string {
  const env = process.env.EXERGY_ANVIL_BIN;
  if (env) return env;
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  const exe = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
  const bases = [import.meta.url, join(process.cwd(), 'package.json')];
  for (const base of bases) {
    try {
      const p = join(dirname(createRequire(base).resolve(`${pkg}/package.json`)), 'bin', exe);
      if (existsSync(p)) return p;
    } catch {
      // not resolvable from this base: try the next one
    }
  }
  throw new AppError('UNAVAILABLE', `anvil binary not found (package ${pkg}); set EXERGY_ANVIL_BIN`, { pkg });
}

async function rpcAnswers(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }) });
    return r.ok && typeof ((await r.json()) as { result?: unknown }).result === 'string';
  } catch {
    return false;
  }
}

export async function startAnvil(opts: AnvilOptions): Promise<AnvilHandle> {
  const args = ['--host', '127.0.0.1', '--port', String(opts.port ?? 0), '--hardfork', opts.hardfork];
  if (opts.stateFile) args.push('--state', opts.stateFile);
  if (opts.chainId !== undefined) args.push('--chain-id', String(opts.chainId));
  const extra = opts.extraArgs ?? [];
  if (!extra.some((a) => a === '--accounts' || a === '-a')) args.push('--accounts', '0');
  args.push(...extra);
  const child = spawn(opts.binary ?? anvilBinaryPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // The chain is our child: it must not outlive the core, whichever way the core exits (process.exit included).
  const reap = (): void => void child.kill('SIGKILL');
  process.once('exit', reap);
  const exited = new Promise<void>((resolve) => child.once('exit', () => (process.off('exit', reap), resolve())));
  let log = '';
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  };
  try {
    // anvil prints "Listening on 127.0.0.1:PORT" once bound; with port 0 that line is the only way to learn the port.
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new AppError('TIMEOUT', 'anvil did not start listening', { args, log: log.slice(-2000) })), opts.readyTimeoutMs ?? 15_000);
      const onData = (b: Buffer): void => {
        log += b.toString();
        const m = /Listening on 127\.0\.0\.1:(\d+)/.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
      child.once('error', (e) => (clearTimeout(timer), reject(new AppError('UNAVAILABLE', `anvil failed to spawn: ${e.message}`, { args }))));
      child.once('exit', (code) => (clearTimeout(timer), reject(new AppError('UNAVAILABLE', `anvil exited with ${code} before listening`, { args, log: log.slice(-2000) }))));
    });
    // Keep draining stdout so a chatty node never blocks on a full pipe.
    child.stdout!.removeAllListeners('data');
    child.stdout!.resume();
    child.stderr!.resume();
    const rpcUrl = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 15_000);
    while (!(await rpcAnswers(rpcUrl))) {
      if (Date.now() > deadline) throw new AppError('TIMEOUT', 'anvil is listening but does not answer eth_chainId', { rpcUrl });
      await new Promise((r) => setTimeout(r, 25));
    }
    return { rpcUrl, port, process: child, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
