// OPC UA ingestion end to end: a node-opcua server in a child process changes N Doubles every few ms; our client
// turns them into SampleFrames. Reports values/s into frames, client CPU-seconds per million values, client cores
// used, and a CPU profile of the client grouped by package (where the time goes).
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector';
import { OpcuaService } from '../main/services/opcua/service';
import type { SecurityModeName, SecurityPolicyName } from '../main/services/opcua/settings';
import { forkPlantServer, PLANT_NS } from '../test/integration/opcua/plant-server';
import { median, report } from './lib';

const N = Number(process.env.OPCUA_BENCH_ITEMS ?? 1000);
const PERIOD = Number(process.env.OPCUA_BENCH_PERIOD_MS ?? 10);
const RUN_MS = Number(process.env.OPCUA_BENCH_RUN_MS ?? 4000);
const RUNS = 3;
const dir = mkdtempSync(join(tmpdir(), 'opcua-bench-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Srv = Awaited<ReturnType<typeof forkPlantServer>>;

function serverCpu(srv: Srv): Promise<number> {
  return new Promise((res) => {
    const on = (m: { cpu?: NodeJS.CpuUsage }) => {
      if (!m.cpu) return;
      srv.child.off('message', on);
      res((m.cpu.user + m.cpu.system) / 1e6);
    };
    srv.child.on('message', on);
    srv.child.send('cpu');
  });
}

async function measure(srv: Srv, policy: SecurityPolicyName, mode: SecurityModeName, profile: boolean) {
  const svc = await OpcuaService.create({
    pkiFolder: join(dir, 'client-pki'),
    frameIntervalMs: 50,
    connections: [{
      id: 'bench', endpoint: srv.endpoint, securityPolicy: policy, securityMode: mode,
      rates: { pmu: { publishingIntervalMs: 100, samplingIntervalMs: 0, sourcePeriodMs: PERIOD } },
      mapping: { signals: Array.from({ length: N }, (_, i) => ({ kind: 'bus', element: `B${i}`, quantity: 'Vmag', unit: 'V', rate: 'pmu', node: `nsu=${PLANT_NS};s=Bulk_${i}` })) },
    }],
  });
  svc.on('trust', (p) => void svc.trustCertificate(p.thumbprint));
  let values = 0;
  let frames = 0;
  svc.on('frame', (_b, f) => {
    values += f.rows;
    frames++;
  });
  svc.start();
  while (svc.states().bench.kind !== 'connected') {
    const s = svc.states().bench;
    if (s.kind === 'failed' && s.reason !== 'untrusted-certificate') throw new Error(JSON.stringify(s));
    await sleep(100);
  }
  await sleep(1500); // let the queues settle
  const rates: number[] = [];
  const cpuPerM: number[] = [];
  const cores: number[] = [];
  const serverCores: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const v0 = values;
    const c0 = process.cpuUsage();
    const s0 = await serverCpu(srv);
    const t0 = performance.now();
    await sleep(RUN_MS);
    const dt = (performance.now() - t0) / 1000;
    serverCores.push(((await serverCpu(srv)) - s0) / dt);
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    const n = values - v0;
    rates.push(n / dt);
    cpuPerM.push((cpu / Math.max(1, n)) * 1e6);
    cores.push(cpu / dt);
  }
  const prof = profile ? await profileFor(2000) : null;
  const h = svc.health()[0];
  await svc.stop();
  return { rates, cpuPerM, cores, serverCores, prof, frames, overflowed: h.totals.overflowed, gaps: h.totals.gaps };
}

/** Samples the client's CPU profile and sums self time by package (node-opcua-*, ours, node internals, GC). */
async function profileFor(ms: number): Promise<string> {
  const s = new Session();
  s.connect();
  const post = <T>(m: string, p?: object) => new Promise<T>((res, rej) => s.post(m, p ?? {}, (e, r) => (e ? rej(e) : res(r as T))));
  await post('Profiler.enable');
  await post('Profiler.start');
  await sleep(ms);
  const { profile } = await post<{ profile: { nodes: Array<{ id: number; callFrame: { url: string; functionName: string } }>; samples: number[] } }>('Profiler.stop');
  s.disconnect();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const tally = new Map<string, number>();
  for (const id of profile.samples) {
    const n = byId.get(id)!;
    const url = n.callFrame.url;
    const fn = n.callFrame.functionName;
    const key = /node_modules\/(node-opcua-[\w-]+|[\w@-]+)/.exec(url)?.[1] ?? (url.includes('/services/opcua/') ? 'exergy opcua service' : url.includes('/shared/') ? 'exergy shared' : url.startsWith('node:') ? `node:${url.slice(5).split('/')[0]}` : fn === '(garbage collector)' ? 'GC' : fn === '(idle)' ? 'idle' : fn === '(program)' ? 'native/program' : url ? 'other js' : `(${fn || 'native'})`);
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  const busy = profile.samples.length - (tally.get('idle') ?? 0);
  return [...tally].filter(([k]) => k !== 'idle').sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, c]) => `${k} ${((100 * c) / busy).toFixed(0)}%`).join(', ');
}

async function main(): Promise<void> {
  const srv = await forkPlantServer({ port: 0, pkiFolder: join(dir, 'server-pki'), pmus: 0, bulk: N, periodMs: PERIOD });
  try {
    const offered = (N * 1000) / PERIOD;
    for (const [policy, mode] of [['None', 'None'], ['Basic256Sha256', 'SignAndEncrypt']] as const) {
      const m = await measure(srv, policy, mode, policy === 'None');
      const tag = `${N} items @${PERIOD} ms, ${policy}/${mode}`;
      report({ bench: 'opcua', name: `values/s into frames (${tag})`, value: median(m.rates), unit: 'values/s', runs: RUNS, note: `server offers ${offered}/s; overflowed ${m.overflowed}` });
      report({ bench: 'opcua', name: `client CPU-s per million values (${tag})`, value: median(m.cpuPerM), unit: 'CPU-s/M' });
      report({ bench: 'opcua', name: `client cores used (${tag})`, value: median(m.cores), unit: 'cores', note: m.prof ? `profile: ${m.prof}` : undefined });
      report({ bench: 'opcua', name: `server process cores used (${tag})`, value: median(m.serverCores), unit: 'cores', note: `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs` });
    }
  } finally {
    srv.child.kill('SIGKILL');
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`opcua bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
