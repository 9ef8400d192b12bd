// One OPC UA server connection: discovery, explicit certificate trust, session, mapping resolution, one subscription
// per rate class, and its own reconnect loop (a fresh client each time, so the certificate and the namespace array
// are checked again at every connect and a changed certificate is never accepted silently).
import { AttributeIds, OPCUAClient, type ClientSession, type ClientSubscription, type DataChangeNotification, type StatusCode } from 'node-opcua';
import { AppError, toErrorData, type AppErrorData } from '../../../shared/errors';
import { backoffMs, failReasonOf, type ConnectionGap, type ConnectionState } from './connection-state';
import type { FrameBuilder } from './frame-builder';
import { resolveMapping, type MappingIssue } from './mapping-resolve';
import type { Mapping } from './mapping-schema';
import type { PendingTrust, TrustStore } from './pki';
import { checkUserToken, discoverEndpoints, isFatal, mapUaError, POLICY_URI, selectEndpoint, uaMode, uaPolicy, userIdentity } from './security';
import { rateFor, type ConnectionSettings, type RateClass } from './settings';
import type { SignalCatalogue } from './signal-catalogue';
import { StreamHealth, type SignalHealth } from './stream-health';
import { createRateSubscription, readMaxMonitoredItemsPerCall, type RateSubscriptionInfo } from './subscriptions';
import { TypedEmitter } from './typed-emitter';

export const BAD_NO_COMMUNICATION = 0x80310000; // status of the gap marker rows written when a connection drops

export interface ConnectionEvents {
  state: [ConnectionState];
  trust: [PendingTrust];
  mapping: [MappingIssue[]];
}
export interface ConnectionHealth {
  id: string;
  endpoint: string;
  state: ConnectionState;
  received: number;
  clockOffsetMs: number | null; // server clock minus host clock
  gaps: ConnectionGap[];
  mappingIssues: MappingIssue[]; // entries of the mapping that did not resolve at the last connect, with the reason
  totals: ReturnType<StreamHealth['totals']>;
  signals: SignalHealth[];
}
export interface ConnectionDeps {
  trust: TrustStore;
  catalogue: SignalCatalogue;
  frames: FrameBuilder;
  applicationName: string;
}

export class OpcuaConnection extends TypedEmitter<ConnectionEvents> {
  private st: ConnectionState = { kind: 'idle' };
  private gen = 0; // bumped on every teardown so late callbacks from an old client are ignored
  private client: OPCUAClient | undefined;
  private session: ClientSession | undefined;
  private subs: ClientSubscription[] = [];
  private subInfo: RateSubscriptionInfo[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private clockTimer: NodeJS.Timeout | undefined;
  private readonly slotOf = new Map<number, number>(); // signal id → slot (= clientHandle), stable across reconnects
  private slotSignal = new Uint32Array(64);
  private readonly slotNode: string[] = [];
  private readonly health = new StreamHealth();
  private readonly gaps: ConnectionGap[] = [];
  private received = 0;
  private clockOffset: number | null = null;
  issues: MappingIssue[] = [];

  constructor(readonly settings: ConnectionSettings, private readonly mapping: Mapping, private readonly deps: ConnectionDeps) {
    super();
  }

  get id(): string {
    return this.settings.id;
  }
  get state(): ConnectionState {
    return this.st;
  }
  subscriptions(): RateSubscriptionInfo[] {
    return this.subInfo;
  }

  start(): void {
    if (this.st.kind === 'idle' || this.st.kind === 'failed' || this.st.kind === 'stopped') void this.attempt(1);
  }
  /** After a trust decision: a failed connection tries again at once. */
  retry(): void {
    if (this.st.kind === 'failed' || this.st.kind === 'reconnecting') {
      clearTimeout(this.retryTimer);
      void this.attempt(1);
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.set({ kind: 'stopped' });
    const session = this.session;
    this.session = undefined;
    if (session) await withTimeout(session.close(true), 2000).catch(() => undefined);
    await this.teardown();
  }

  healthSnapshot(): ConnectionHealth {
    return {
      id: this.id, endpoint: this.settings.endpoint, state: this.st, received: this.received, clockOffsetMs: this.clockOffset,
      gaps: this.gaps.map((g) => ({ ...g })), mappingIssues: this.issues, totals: this.health.totals(),
      signals: this.health.snapshot(this.slotSignal.subarray(0, this.slotNode.length), this.slotNode),
    };
  }

  private set(s: ConnectionState): void {
    this.st = s;
    this.emit('state', s);
  }

  private async attempt(n: number): Promise<void> {
    const gen = ++this.gen;
    this.set({ kind: 'connecting', attempt: n });
    try {
      await this.connectOnce(gen);
    } catch (e) {
      if (gen !== this.gen || this.st.kind === 'stopped') return;
      const err = mapUaError(e, `connection ${this.id}`);
      await this.teardown();
      if ((this.st as ConnectionState).kind === 'stopped') return;
      if (isFatal(err)) return this.set({ kind: 'failed', reason: failReasonOf(err), error: err.toData() });
      this.scheduleRetry(n + 1, err.toData());
    }
  }

  private scheduleRetry(n: number, error: AppErrorData): void {
    const ms = backoffMs(n - 1, this.settings.reconnect.initialDelayMs, this.settings.reconnect.maxDelayMs);
    this.set({ kind: 'reconnecting', attempt: n, retryInMs: ms, error });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.attempt(n), ms);
  }

  private async connectOnce(gen: number): Promise<void> {
    const c = this.settings;
    const { trust } = this.deps;
    const eps = await discoverEndpoints(c.endpoint, trust, c.requestTimeoutMs);
    const ep = selectEndpoint(eps, c.securityPolicy, c.securityMode, c.endpoint);
    checkUserToken(ep, c.user, c.endpoint);
    if (c.securityMode !== 'None' || c.user.type !== 'anonymous') {
      const p = await trust.check(c.id, c.endpoint, ep.serverCertificate);
      if (p) {
        this.emit('trust', p);
        const msg = p.reason === 'changed'
          ? `the server certificate of ${c.endpoint} changed (was ${p.previousThumbprint}, now ${p.thumbprint}, ${p.subject}): the connection stops until it is trusted again`
          : `the server certificate ${p.thumbprint} (${p.subject}) of ${c.endpoint} is not trusted: trust it to connect`;
        throw new AppError('SECURITY', msg, { reason: p.reason, thumbprint: p.thumbprint, endpoint: c.endpoint });
      }
    }
    const client = OPCUAClient.create({
      applicationName: this.deps.applicationName, applicationUri: trust.applicationUri,
      clientCertificateManager: trust.manager, certificateFile: trust.certificateFile, privateKeyFile: trust.privateKeyFile,
      securityMode: uaMode(c.securityMode), securityPolicy: uaPolicy(c.securityPolicy), serverCertificate: ep.serverCertificate,
      endpointMustExist: false, keepSessionAlive: true, keepAliveInterval: 5000, requestedSessionTimeout: 60_000,
      defaultTransactionTimeout: c.requestTimeoutMs, transportTimeout: c.requestTimeoutMs,
      // Our loop reconnects, not node-opcua's: it would reuse the old certificate and namespace indexes.
      connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    });
    this.client = client;
    const lost = (cause: string) => () => this.lost(gen, cause);
    client.on('connection_lost', lost('connection lost'));
    client.on('close', lost('connection closed'));
    await client.connect(c.endpoint);
    const session = await client.createSession(userIdentity(c.user));
    if (gen !== this.gen) throw new AppError('UNAVAILABLE', 'superseded');
    this.session = session;
    session.on('keepalive_failure', lost('keep-alive failed'));
    session.on('session_closed', lost('session closed by the server'));
    await this.measureClock(session);

    const res = await resolveMapping(session, this.mapping, this.deps.catalogue);
    this.issues = res.issues;
    if (res.issues.length) this.emit('mapping', res.issues);
    if (!res.items.length) throw new AppError('PARSE_ERROR', `connection ${c.id}: no mapping entry resolved (${res.issues[0]?.entry}: ${res.issues[0]?.reason})`, { issues: res.issues });
    for (const it of res.items) this.slotFor(it.signal.id, it.node);
    this.health.ensure(this.slotNode.length);

    const maxPerCall = await readMaxMonitoredItemsPerCall(session);
    this.subInfo = [];
    for (const rc of ['pmu', 'scada'] as RateClass[]) {
      const mine = res.items.filter((i) => i.rate === rc);
      if (!mine.length) continue;
      const rs = rateFor(c, rc);
      const reqs = mine.map((i) => ({ handle: this.slotOf.get(i.signal.id)!, nodeId: i.nodeId, node: i.node }));
      const { subscription, info } = await createRateSubscription(session, rc, rs, reqs, maxPerCall, this.onData);
      subscription.on('status_changed', (sc: StatusCode) => {
        if (!sc.isGood()) this.lost(gen, `subscription ${rc}: ${sc.name}`);
      });
      this.subs.push(subscription);
      this.subInfo.push(info);
      // Continuous streams (PMU) must arrive every period; SCADA reports on change, so silence is not a gap there.
      for (const r of info.items) this.health.expected[r.handle] = rc === 'pmu' ? Math.max(rs.sourcePeriodMs, r.revisedSamplingIntervalMs) : 0;
    }
    this.health.lateMs = Math.max(2000, 2 * Math.max(...this.subInfo.map((s) => s.revisedPublishingIntervalMs)) + 1000);
    const open = this.gaps[this.gaps.length - 1];
    if (open && open.to === null) open.to = Date.now();
    this.clockTimer = setInterval(() => void this.measureClock(session).catch(() => undefined), 30_000);
    this.set({ kind: 'connected', since: Date.now(), policyUri: POLICY_URI(c.securityPolicy), mode: c.securityMode, namespaces: res.namespaces, items: res.items.length });
  }

  private slotFor(signal: number, node: string): number {
    let s = this.slotOf.get(signal);
    if (s === undefined) {
      s = this.slotNode.length;
      this.slotOf.set(signal, s);
      this.slotNode.push(node);
      if (s >= this.slotSignal.length) {
        const g = new Uint32Array(this.slotSignal.length * 2);
        g.set(this.slotSignal);
        this.slotSignal = g;
      }
      this.slotSignal[s] = signal;
    } else this.slotNode[s] = node;
    return s;
  }

  private async measureClock(session: ClientSession): Promise<void> {
    const t0 = Date.now();
    const dv = await session.read({ nodeId: 'i=2258', attributeId: AttributeIds.Value }); // Server_ServerStatus_CurrentTime
    const t1 = Date.now();
    if (dv.statusCode.isGood() && dv.value.value instanceof Date) this.health.clockOffsetMs = this.clockOffset = dv.value.value.getTime() - (t0 + t1) / 2;
  }

  /** The hot path: one call per DataChangeNotification, no allocation per value. */
  private readonly onData = (n: DataChangeNotification): void => {
    const items = n.monitoredItems;
    if (!items) return;
    const now = Date.now();
    const sig = this.slotSignal;
    const nSlots = this.slotNode.length;
    const frames = this.deps.frames;
    const health = this.health;
    for (let k = 0; k < items.length; k++) {
      const mi = items[k];
      const slot = mi.clientHandle;
      if (slot >= nSlots) continue;
      const dv = mi.value;
      const status = dv.statusCode.value >>> 0;
      const sv = dv.serverTimestamp;
      const tServer = sv ? sv.getTime() : NaN;
      const so = dv.sourceTimestamp;
      const tSource = so ? so.getTime() : tServer === tServer ? tServer : now;
      const v = dv.value.value;
      const value = typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' ? v[0] * 4294967296 + (v[1] as number) : NaN;
      frames.push(sig[slot], tSource, tServer, value, status);
      health.record(slot, tSource, now, status);
    }
    this.received += items.length;
  };

  private lost(gen: number, cause: string): void {
    if (gen !== this.gen || this.st.kind !== 'connected') return;
    const now = Date.now();
    this.gaps.push({ from: now, to: null, cause });
    this.health.markGap();
    // A marker row per signal (NaN, BadNoCommunication) so charts and the historian draw a break, not a line.
    for (let s = 0; s < this.slotNode.length; s++) this.deps.frames.push(this.slotSignal[s], now, NaN, NaN, BAD_NO_COMMUNICATION);
    const error = toErrorData(new AppError('UNAVAILABLE', `connection ${this.id}: ${cause}`));
    void this.teardown().then(() => {
      if (this.st.kind !== 'stopped') this.scheduleRetry(1, error);
    });
  }

  private async teardown(): Promise<void> {
    this.gen++;
    clearInterval(this.clockTimer);
    const client = this.client;
    this.client = undefined;
    this.session = undefined;
    this.subs = [];
    if (client) {
      client.removeAllListeners('connection_lost');
      client.removeAllListeners('close');
      await withTimeout(client.disconnect(), 3000).catch(() => undefined);
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, rej) => (t = setTimeout(() => rej(new Error('timeout')), ms)))]).finally(() => clearTimeout(t));
}
