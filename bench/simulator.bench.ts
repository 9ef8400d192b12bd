// Feeder simulator benchmarks: value changes per second the OPC UA server sustains to a subscribed client when the
// engine runs flat out, and the CPU a real-time 60 frames/s PMU set costs (engine + server + one subscriber).
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttributeIds, ClientMonitoredItem, OPCUAClient, TimestampsToReturn, type ClientSubscription } from 'node-opcua';
import { startSimulatorServer, type SimulatorHandle } from '../main/services/simulator/server';
import { median, report } from './lib';

const PKI = join(tmpdir(), 'exergy-test-sim-pki');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function subscribeAllPmu(h: SimulatorHandle, sub: ClientSubscription, counter: { n: number }): Promise<number> {
  const keys = h.getCatalog().signals.filter((s) => s.kind === 'pmu');
  for (const s of keys) {
    const item = await ClientMonitoredItem.create(sub, { nodeId: s.nodeId, attributeId: AttributeIds.Value }, { samplingInterval: 0, queueSize: 1000, discardOldest: true }, TimestampsToReturn.Both);
    item.on('changed', () => counter.n++);
  }
  return keys.length;
}

async function main(): Promise<void> {
  const h = await startSimulatorServer({ port: 0, pkiDir: PKI, paused: true, seed: 3, overrides: { defaultLoop: { enabled: true, everyS: 20 } } });
  const client = OPCUAClient.create({ endpointMustExist: false });
  await client.connect(h.endpointUrl);
  const session = await client.createSession();
  const sub = await session.createSubscription2({ requestedPublishingInterval: 50, requestedMaxKeepAliveCount: 20, requestedLifetimeCount: 600, maxNotificationsPerPublish: 0, publishingEnabled: true, priority: 1 });
  const counter = { n: 0 };
  const items = await subscribeAllPmu(h, sub, counter);
  h.engine.advanceTo(2); // warm the solver and the JIT

  // 1) Flat out: advance the engine in 50 ms slices, yielding so the server publishes between them.
  const rates: number[] = [], served: number[] = [], simRates: number[] = [], perCpu: number[] = [];
  for (let run = 0; run < 3; run++) {
    const n0 = counter.n, v0 = h.publisher.valueChanges, s0 = h.engine.t, t0 = performance.now(), c0 = process.cpuUsage();
    while (performance.now() - t0 < 4000) {
      h.engine.advanceTo(h.engine.t + 0.05);
      await new Promise((r) => setImmediate(r));
    }
    await sleep(300); // let the last publish arrive
    const dt = (performance.now() - t0) / 1000;
    rates.push((counter.n - n0) / dt);
    served.push((h.publisher.valueChanges - v0) / dt);
    simRates.push((h.engine.t - s0) / dt);
    const c = process.cpuUsage(c0);
    perCpu.push((counter.n - n0) / ((c.user + c.system) / 1e6));
  }
  // On a shared machine wall-clock rates depend on the neighbours; values per CPU-second do not.
  const load = `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`;
  report({ bench: 'simulator', name: 'value changes received per CPU-second (server + client process)', value: median(perCpu), unit: 'values/CPU-s', runs: 3, note: load });
  report({ bench: 'simulator', name: 'value changes/s received by one subscriber (engine flat out)', value: median(rates), unit: 'values/s', runs: 3, note: `${items} PMU items, minSupportedSampleRate 0` });
  report({ bench: 'simulator', name: 'value changes/s written by the server (all points)', value: median(served), unit: 'values/s', runs: 3 });
  report({ bench: 'simulator', name: 'simulated seconds per wall second (flat out, with OPC UA)', value: median(simRates), unit: 'x real time', runs: 3 });

  // 2) Real time: 11 PMUs at 60 frames/s plus SCADA at 1 s and the default grey-sky loop, one subscriber.
  h.clock.resume();
  await sleep(1000);
  const cpu: number[] = [];
  for (let run = 0; run < 3; run++) {
    const c0 = process.cpuUsage(), t0 = performance.now(), n0 = counter.n;
    await sleep(4000);
    const c = process.cpuUsage(c0), dt = performance.now() - t0;
    cpu.push((100 * (c.user + c.system)) / 1000 / dt);
    if (run === 0) report({ bench: 'simulator', name: 'PMU values/s delivered in real time', value: ((counter.n - n0) * 1000) / dt, unit: 'values/s', note: `${h.engine.cfg.pmus.length} PMUs x ${h.engine.cfg.pmuRate} frames/s` });
  }
  report({ bench: 'simulator', name: 'CPU of a real-time 60 frames/s PMU set (engine + server + client)', value: median(cpu), unit: '% of one core', runs: 3, note: `lag ${h.clock.lagS.toFixed(2)} s` });
  await sub.terminate();
  await session.close();
  await client.disconnect();
  await h.stop();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`simulator bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
