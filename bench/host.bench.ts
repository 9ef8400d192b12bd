// The foundation's two paths through the browser host, measured on loopback: a command's round trip (hello and
// login done, schema parse, role check, journal line) and telemetry frames fanned out as binary WebSocket messages,
// compared with the JSON-per-sample encoding the contract forbids.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { startCore } from '../main/core';
import { startBrowserHost } from '../main/host/server';
import { SAMPLE_SCHEMA, decodeFrame, encodeFrame } from '../shared/contract/frame';
import { median, percentile, report } from './lib';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'exergy-bench-host-'));
  const core = await startCore({ host: 'browser', dataDir: dir, plugins: false });
  const host = await startBrowserHost(core, { rendererDir: dir, port: 0 });
  try {
    const r = await fetch(`${host.origin}/session`, { method: 'POST', headers: { Origin: host.origin, 'Content-Type': 'application/json' }, body: JSON.stringify({ token: host.token }) });
    const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers: { Origin: host.origin, Cookie: cookie } });
    await new Promise((res) => ws.once('open', res));
    let next = 1;
    const waiting = new Map<number, () => void>();
    let frames = 0;
    let rows = 0;
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        const b = data as Buffer;
        rows += decodeFrame(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)).rows;
        frames++;
        return;
      }
      const m = JSON.parse(data.toString()) as { t: string; id: number };
      if (m.t === 'result') waiting.get(m.id)?.();
    });
    const call = (ch: string, body: unknown): Promise<void> =>
      new Promise((res) => {
        const id = next++;
        waiting.set(id, res);
        ws.send(JSON.stringify({ t: 'call', id, ch, body }));
      });
    await call('hello', { versions: [1], client: 'bench' });
    await call('auth.login', { user: core.firstStart!.user, password: core.firstStart!.password });

    // 1. command round trip: journal.query is journaled, role-checked and schema-parsed both ways
    const rtt: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      await call('journal.query', { limit: 5 });
      rtt.push(performance.now() - t0);
    }
    report({ bench: 'host', name: 'command round trip (journal.query, journaled) over ws', value: median(rtt.slice(50)), unit: 'ms', p95: percentile(rtt.slice(50), 95), runs: 250 });

    // 2. telemetry: 1000-row frames pushed as fast as the socket drains, for ~2 s
    ws.send(JSON.stringify({ t: 'sub', id: next++, stream: 'telemetry', params: {} }));
    await call('auth.whoami', {});
    const N = 1000;
    const cols = {
      signal: new Uint32Array(N).map((_, i) => i),
      tSource: new Float64Array(N).fill(Date.now()),
      tServer: new Float64Array(N).fill(Date.now()),
      value: new Float64Array(N).map(() => Math.random()),
      status: new Uint32Array(N),
    };
    const t0 = performance.now();
    let sent = 0;
    while (performance.now() - t0 < 2000) {
      core.publishFrame(encodeFrame(SAMPLE_SCHEMA, cols, N, sent++));
      if (sent % 20 === 0) await new Promise((res) => setImmediate(res));
    }
    await new Promise((res) => setTimeout(res, 300));
    const secs = (performance.now() - t0) / 1000;
    const dropped = [...core.sessions.values()].reduce((a, s) => a + s.framesDropped, 0);
    report({
      bench: 'host',
      name: 'telemetry samples received over ws (1000-row binary frames)',
      value: rows / secs,
      unit: 'samples/s',
      note: `${frames} frames received, ${dropped} dropped for back-pressure`,
    });

    // 3. the same samples as JSON objects: size and encode+decode time relative to the binary frame
    const frameBytes = encodeFrame(SAMPLE_SCHEMA, cols, N).byteLength;
    const json = JSON.stringify(Array.from({ length: N }, (_, i) => ({ signal: cols.signal[i], tSource: cols.tSource[i], tServer: cols.tServer[i], value: cols.value[i], status: cols.status[i] })));
    const tb: number[] = [];
    const tj: number[] = [];
    for (let k = 0; k < 200; k++) {
      let a = performance.now();
      decodeFrame(encodeFrame(SAMPLE_SCHEMA, cols, N));
      tb.push(performance.now() - a);
      a = performance.now();
      JSON.parse(JSON.stringify(Array.from({ length: N }, (_, i) => ({ signal: cols.signal[i], tSource: cols.tSource[i], tServer: cols.tServer[i], value: cols.value[i], status: cols.status[i] }))));
      tj.push(performance.now() - a);
    }
    report({ bench: 'host', name: 'JSON/binary size ratio, 1000 samples', value: json.length / frameBytes, unit: 'x', note: `${frameBytes} B binary vs ${json.length} B JSON` });
    report({
      bench: 'host',
      name: 'JSON/binary encode+decode time ratio, 1000 samples',
      value: median(tj) / median(tb),
      unit: 'x',
      note: `binary ${median(tb).toFixed(3)} ms, JSON ${median(tj).toFixed(3)} ms`,
    });
    ws.close();
  } finally {
    await host.close();
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
