// Test harness for the simulator: starts the real server on 127.0.0.1 port 0, connects a plain node-opcua client,
// records every notification of the watched nodes with its source timestamp, and waits on simulated time.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttributeIds, ClientMonitoredItem, OPCUACertificateManager, ClientSubscription, DataType, OPCUAClient, TimestampsToReturn, UserTokenType, type ClientSession, type StatusCode, type Variant } from 'node-opcua';
import { startSimulatorServer, type SimulatorHandle, type SimulatorOptions } from '../../../main/services/simulator/server';

export const PKI = join(tmpdir(), 'exergy-test-sim-pki');
export const CLIENT_PKI = join(tmpdir(), 'exergy-test-client-pki');
export const USERS = [
  { user: 'operator', password: 'op-secret', roles: ['operator' as const] },
  { user: 'trainer', password: 'tr-secret', roles: ['operator' as const, 'engineer' as const] },
];

export interface Sample { t: number; v: number; raw: unknown; status: StatusCode }

export function clientCertificates(): OPCUACertificateManager {
  return new OPCUACertificateManager({ rootFolder: CLIENT_PKI, automaticallyAcceptUnknownCertificate: true });
}

export class Rig {
  h!: SimulatorHandle;
  client!: OPCUAClient;
  session!: ClientSession;
  ns = 0;
  epoch = 0;
  samples = new Map<string, Sample[]>();
  private sub?: ClientSubscription;

  async start(opts: SimulatorOptions): Promise<void> {
    this.epoch = Date.UTC(2026, 0, 1, 12, 0, 0);
    this.h = await startSimulatorServer({ port: 0, pkiDir: PKI, users: USERS, epochMs: this.epoch, ...opts });
    this.client = OPCUAClient.create({ endpointMustExist: false, clientCertificateManager: clientCertificates(), connectionStrategy: { maxRetry: 2, initialDelay: 100 } });
    await this.client.connect(this.h.endpointUrl);
    this.session = await this.client.createSession({ type: UserTokenType.UserName, userName: 'trainer', password: 'tr-secret' });
    this.ns = (await this.session.readNamespaceArray()).indexOf('urn:exergy:simulator');
    this.sub = await this.session.createSubscription2({ requestedPublishingInterval: 50, requestedMaxKeepAliveCount: 20, requestedLifetimeCount: 200, maxNotificationsPerPublish: 0, publishingEnabled: true, priority: 1 });
  }

  /** Starts the simulation clock of a server started with `paused: true`. */
  resume(): void {
    this.h.clock.resume();
  }

  id(key: string): string {
    return `ns=${this.ns};s=${key}`;
  }

  async watch(keys: string[]): Promise<void> {
    for (const key of keys) {
      const list: Sample[] = [];
      this.samples.set(key, list);
      const item = await ClientMonitoredItem.create(this.sub!, { nodeId: this.id(key), attributeId: AttributeIds.Value }, { samplingInterval: 0, queueSize: 50_000, discardOldest: false }, TimestampsToReturn.Both);
      item.on('changed', (dv) => list.push({ t: ((dv.sourceTimestamp?.getTime() ?? 0) - this.epoch) / 1000, v: Number(dv.value.value), raw: dv.value.value, status: dv.statusCode }));
    }
  }

  /** Latest simulated time seen on a watched PMU stream, s. */
  simNow(key = 'pmu/PMU_150/freq'): number {
    const l = this.samples.get(key);
    return l && l.length ? l[l.length - 1].t : 0;
  }

  async waitSim(t: number, timeoutMs = 120_000, key?: string): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (this.simNow(key) < t) {
      if (Date.now() > end) throw new Error(`sim time ${this.simNow(key)} never reached ${t}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  series(key: string, from = -Infinity, to = Infinity): Sample[] {
    return (this.samples.get(key) ?? []).filter((s) => s.t >= from && s.t <= to);
  }

  /** Raw value of a stream at or just before t. */
  rawAt(key: string, t: number): unknown {
    let v: unknown;
    for (const s of this.samples.get(key) ?? []) if (s.t <= t + 1e-9) v = s.raw;
    return v;
  }

  /** Value of a stream at or just before t. */
  at(key: string, t: number): number {
    const l = this.samples.get(key) ?? [];
    let v = NaN;
    for (const s of l) if (s.t <= t + 1e-9) v = s.v;
    return v;
  }

  async call(object: string, method: string, args: Array<{ dataType: DataType; value: unknown }> = [], session = this.session): Promise<{ status: StatusCode; text: string; argResults: StatusCode[] }> {
    const r = await session.call({ objectId: this.id(object), methodId: this.id(`${object}/${method}`), inputArguments: args });
    return { status: r.statusCode, text: String((r.outputArguments?.[0] as Variant | undefined)?.value ?? ''), argResults: r.inputArgumentResults ?? [] };
  }

  async read(key: string): Promise<{ value: unknown; status: StatusCode }> {
    const dv = await this.session.read({ nodeId: this.id(key), attributeId: AttributeIds.Value });
    return { value: dv.value.value, status: dv.statusCode };
  }

  async stop(): Promise<void> {
    await this.sub?.terminate().catch(() => undefined);
    await this.session?.close().catch(() => undefined);
    await this.client?.disconnect().catch(() => undefined);
    await this.h?.stop();
  }
}
