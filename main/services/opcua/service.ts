// The OPC UA ingestion service: every configured connection, one shared frame builder cut at a fixed cadence into
// SampleFrames (`on('frame', (bytes, frame) => ...)`), the pending-trust list for the UI prompt, and health.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SampleFrame } from '../../../shared/contract/frame';
import type { SignalInfo } from '../../../shared/domain/signals';
import { AppError } from '../../../shared/errors';
import { OpcuaConnection, type ConnectionHealth } from './connection';
import type { ConnectionState } from './connection-state';
import { FrameBuilder } from './frame-builder';
import type { MappingIssue } from './mapping-resolve';
import { parseMapping, parseMappingText, type Mapping } from './mapping-schema';
import { TrustStore, type PendingTrust } from './pki';
import { parseOpcuaSettings, type ConnectionSettings, type OpcuaSettings, type OpcuaSettingsInput } from './settings';
import { SignalCatalogue } from './signal-catalogue';
import type { RateSubscriptionInfo } from './subscriptions';
import { TypedEmitter } from './typed-emitter';

export interface OpcuaServiceEvents {
  frame: [bytes: Uint8Array, frame: SampleFrame];
  state: [connectionId: string, state: ConnectionState];
  trust: [pending: PendingTrust];
  mapping: [connectionId: string, issues: MappingIssue[]];
}

export interface OpcuaServiceOptions {
  catalogue?: SignalCatalogue; // shared with other sources (the simulator) so ids never collide
  baseDir?: string; // relative mapping paths are read from here
}

export class OpcuaService extends TypedEmitter<OpcuaServiceEvents> {
  readonly catalogue: SignalCatalogue;
  private readonly frames = new FrameBuilder();
  private readonly conns = new Map<string, OpcuaConnection>();
  private timer: NodeJS.Timeout | undefined;

  private constructor(readonly settings: OpcuaSettings, readonly trust: TrustStore, opts: OpcuaServiceOptions) {
    super();
    this.catalogue = opts.catalogue ?? new SignalCatalogue();
    for (const c of settings.connections) this.add(c, loadMapping(c, opts.baseDir));
  }

  /** Validates the settings and every mapping, and opens the PKI folder (creating our certificate on first run). */
  static async create(input: OpcuaSettingsInput, opts: OpcuaServiceOptions = {}): Promise<OpcuaService> {
    const settings = parseOpcuaSettings(input);
    const trust = await TrustStore.open(settings.pkiFolder, settings.applicationName);
    return new OpcuaService(settings, trust, opts);
  }

  private add(c: ConnectionSettings, mapping: Mapping): void {
    const conn = new OpcuaConnection(c, mapping, { trust: this.trust, catalogue: this.catalogue, frames: this.frames, applicationName: this.settings.applicationName });
    conn.on('state', (s) => this.emit('state', c.id, s));
    conn.on('trust', (p) => this.emit('trust', p));
    conn.on('mapping', (i) => this.emit('mapping', c.id, i));
    this.conns.set(c.id, conn);
  }

  start(): void {
    this.timer ??= setInterval(() => this.flush(), this.settings.frameIntervalMs);
    for (const c of this.conns.values()) c.start();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.conns.values()].map((c) => c.stop()));
    this.flush();
    await this.trust.dispose();
  }

  /** Cuts the samples gathered since the last tick into one frame and emits it (called by the cadence timer). */
  flush(): void {
    const f = this.frames.flush();
    if (f) this.emit('frame', f.bytes, f.frame);
  }

  states(): Record<string, ConnectionState> {
    return Object.fromEntries([...this.conns].map(([id, c]) => [id, c.state]));
  }
  connection(id: string): OpcuaConnection {
    const c = this.conns.get(id);
    if (!c) throw new AppError('NOT_FOUND', `no OPC UA connection ${id}`);
    return c;
  }
  health(): ConnectionHealth[] {
    return [...this.conns.values()].map((c) => c.healthSnapshot());
  }
  subscriptions(id: string): RateSubscriptionInfo[] {
    return this.connection(id).subscriptions();
  }
  signals(): SignalInfo[] {
    return this.catalogue.all();
  }
  pendingTrust(): PendingTrust[] {
    return this.trust.listPending();
  }

  /** The operator trusted a certificate in the prompt: the connections that were waiting for it try again now. */
  async trustCertificate(thumbprint: string): Promise<void> {
    for (const id of await this.trust.trust(thumbprint)) this.conns.get(id)?.retry();
  }
  async rejectCertificate(thumbprint: string): Promise<void> {
    await this.trust.reject(thumbprint);
  }
}

export function loadMapping(c: ConnectionSettings, baseDir = process.cwd()): Mapping {
  if (typeof c.mapping !== 'string') return parseMapping(c.mapping, `mapping of connection ${c.id}`);
  const file = resolve(baseDir, c.mapping);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('NOT_FOUND', `mapping file ${file} of connection ${c.id}: ${(e as Error).message}`, { file });
  }
  return parseMappingText(text, file);
}
