// `exergy serve`: starts the core and the browser host in this (plain Node) process and prints the URL with its
// one-time token fragment. A second instance on the same data folder exits with the lock's message.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { startCore } from '../../core';
import { startBrowserHost } from '../../host/server';

/** out/main/cli.js sits beside out/renderer; under tsx the sources sit two folders above out/. */
export function findRendererDir(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [join(here, '../renderer'), join(here, '../../out/renderer'), join(here, '../../../out/renderer'), join(process.cwd(), 'out/renderer')];
  return candidates.find((c) => existsSync(join(c, 'index.html'))) ?? resolve(candidates[candidates.length - 1]);
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('start the core and the browser host (prints the URL to open)')
    .option('--port <n>', 'TCP port (0 = any free port)', (v) => Number.parseInt(v, 10))
    .option('--host <addr>', 'address to bind (default 127.0.0.1; beyond loopback needs TLS and named users)')
    .option('--data <dir>', 'data folder (default: the per-user folder, or EXERGY_DATA)')
    .option('--passphrase-file <file>', 'file holding the key store passphrase (else EXERGY_PASSPHRASE)')
    .action(async (o: { port?: number; host?: string; data?: string; passphraseFile?: string }) => {
      if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)) throw new Error('--port: expected an integer 0-65535');
      const passFile = o.passphraseFile ? resolve(o.passphraseFile) : undefined;
      const core = await startCore({
        host: 'browser',
        ...(o.data ? { dataDir: o.data } : {}),
        passphrase: async () => (passFile ? readFileSync(passFile, 'utf8').trim() : process.env.EXERGY_PASSPHRASE),
      });
      let host;
      try {
        host = await startBrowserHost(core, { rendererDir: findRendererDir(), ...(o.port !== undefined ? { port: o.port } : {}), ...(o.host ? { bind: o.host } : {}) });
      } catch (e) {
        await core.stop();
        throw e;
      }
      const out = process.stdout;
      out.write(`Exergy Console (browser host) data folder: ${core.dir.root}\n`);
      if (core.firstStart) out.write(`First start: created user "${core.firstStart.user}" with password ${core.firstStart.password} (shown once; change it in ${join(dirname(core.users.path), 'users.yaml')})\n`);
      out.write(`Open ${host.url}\n`);
      // One shutdown, however many signals arrive meanwhile (a second default SIGTERM would skip it and orphan the
      // chain and the simulator); children are reaped on 'exit' even if a service fails to stop.
      let stopping = false;
      const stop = async (): Promise<void> => {
        if (stopping) return;
        stopping = true;
        setTimeout(() => process.exit(1), 15_000).unref();
        try {
          await host.close();
          await core.stop();
        } finally {
          process.exit(0);
        }
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
    });
}
