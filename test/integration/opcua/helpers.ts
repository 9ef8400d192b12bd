// Shared helpers for the OPC UA ingestion tests: waiting on service states, collecting frames, tshark captures.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { ConnectionState } from '../../../main/services/opcua/connection-state';
import type { OpcuaService } from '../../../main/services/opcua/service';

export function waitState(svc: OpcuaService, id: string, pred: (s: ConnectionState) => boolean, ms = 30_000): Promise<ConnectionState> {
  const now = svc.states()[id];
  if (now && pred(now)) return Promise.resolve(now);
  return new Promise((res, rej) => {
    const t = setTimeout(() => {
      svc.off('state', on);
      rej(new Error(`timed out waiting; last state ${JSON.stringify(svc.states()[id])}`));
    }, ms);
    const on = (cid: string, s: ConnectionState) => {
      if (cid === id && pred(s)) {
        clearTimeout(t);
        svc.off('state', on);
        res(s);
      }
    };
    svc.on('state', on);
  });
}

export interface Row {
  signal: number;
  tSource: number;
  tServer: number;
  value: number;
  status: number;
}

/** Copies every frame's rows out (tests only: the real consumers read the columns in place). */
export function collectRows(svc: OpcuaService): Row[] {
  const rows: Row[] = [];
  svc.on('frame', (_b, f) => {
    const c = f.columns;
    for (let i = 0; i < f.rows; i++) rows.push({ signal: c.signal[i], tSource: c.tSource[i], tServer: c.tServer[i], value: c.value[i], status: c.status[i] });
  });
  return rows;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(pred: () => boolean, ms = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Starts a tshark capture of one TCP port on loopback; resolves once tshark says it is capturing. */
export function startCapture(port: number, file: string): Promise<ChildProcess> {
  const p = spawn('tshark', ['-i', 'lo', '-f', `tcp port ${port}`, '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((res, rej) => {
    let err = '';
    const t = setTimeout(() => rej(new Error(`tshark did not start: ${err}`)), 15_000);
    p.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (/Capturing on/.test(err)) {
        clearTimeout(t);
        res(p);
      }
    });
    p.once('exit', (code) => rej(new Error(`tshark exited ${code}: ${err}`)));
  });
}

export async function stopCapture(p: ChildProcess): Promise<void> {
  await sleep(300); // let the last packets reach the file
  const done = new Promise((r) => p.once('exit', r));
  p.kill('SIGINT');
  await done;
}

/** Field values tshark's OPC UA dissector reads from a capture. */
export function readField(file: string, port: number, field: string): string[] {
  const r = spawnSync('tshark', ['-r', file, '-d', `tcp.port==${port},opcua`, '-T', 'fields', '-e', field], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tshark -r failed: ${r.stderr}`);
  return r.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
}
