// Entry point of the simulator child process: reads its options from the parent over IPC, starts the server,
// reports the endpoint (or the error as data), and stops cleanly on 'stop' or SIGTERM.
import { toErrorData } from '../../../shared/errors';
import { startSimulatorServer, type SimulatorHandle, type SimulatorOptions } from './server';

export type ParentMessage = { type: 'start'; options: SimulatorOptions } | { type: 'stop' };
export type ChildMessage = { type: 'listening'; endpointUrl: string; port: number } | { type: 'error'; error: ReturnType<typeof toErrorData> } | { type: 'stopped' };

let handle: SimulatorHandle | undefined;
const send = (m: ChildMessage): void => void process.send?.(m);

async function stop(code = 0): Promise<never> {
  try {
    await handle?.stop();
  } finally {
    send({ type: 'stopped' });
    process.exit(code);
  }
}

process.on('message', (m: ParentMessage) => {
  if (m.type === 'start') {
    startSimulatorServer(m.options)
      .then((h) => {
        handle = h;
        send({ type: 'listening', endpointUrl: h.endpointUrl, port: h.port });
      })
      .catch((e: unknown) => {
        send({ type: 'error', error: toErrorData(e) });
        process.exit(1);
      });
  } else if (m.type === 'stop') void stop();
});
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
