// Runs the simulator as a child process of the core (so its CPU and crashes stay out of the core's event loop):
// forks child.ts, passes the options over IPC and resolves with the endpoint once the server is listening.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, type AppErrorData } from '../../../shared/errors';
import type { ChildMessage } from './child';
import { checkLaunch } from './config';
import { ieee123Config } from './ieee123-placement';
import type { SimulatorOptions } from './server';

export interface SimulatorProcess {
  endpointUrl: string;
  port: number;
  process: ChildProcess;
  /** Asks the child to shut its server down; SIGKILL after 5 s. Resolves when it has exited. */
  stop(): Promise<void>;
}

function childEntry(): { script: string; execArgv: string[] } {
  const here = dirname(fileURLToPath(import.meta.url));
  // Bundled (electron-vite input 'simulator-child'): out/main/simulator-child.js, beside us or one chunk folder up.
  for (const js of [join(here, 'simulator-child.js'), join(here, '..', 'simulator-child.js')]) if (existsSync(js)) return { script: js, execArgv: [] };
  // From sources (dev, tests, the CLI under tsx): run the TypeScript entry through tsx's loader.
  return { script: join(here, 'child.ts'), execArgv: ['--import', 'tsx'] };
}

export async function startSimulatorProcess(options: SimulatorOptions = {}, readyTimeoutMs = 60_000): Promise<SimulatorProcess> {
  checkLaunch(options, ieee123Config); // refuse bad options here, before paying for a process
  const { script, execArgv } = childEntry();
  const child = fork(script, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send({ type: 'stop' });
    else child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };
  try {
    const ready = await new Promise<{ endpointUrl: string; port: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new AppError('TIMEOUT', 'simulator did not start listening', { readyTimeoutMs })), readyTimeoutMs);
      child.on('message', (m: ChildMessage) => {
        if (m.type === 'listening') {
          clearTimeout(timer);
          resolve(m);
        } else if (m.type === 'error') {
          clearTimeout(timer);
          reject(new AppError((m.error as AppErrorData).code, m.error.message, m.error.info));
        }
      });
      child.once('exit', (code) => (clearTimeout(timer), reject(new AppError('UNAVAILABLE', `simulator exited with ${code} before listening`))));
      child.send({ type: 'start', options });
    });
    return { ...ready, process: child, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
