// The ledger as one core service: keys from the core's KeyStore, the chain (embedded anvil or configured), the
// outbox in the historian's database file, the content store; start/stop/detail in the core's ServiceDef shape.
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { openChain, type ChainConfig, type LedgerChain } from './chain';
import { LedgerClient, type LedgerClientOptions } from './client';
import { ContentStore } from './content-store';
import { LedgerKeys, type SecretStore } from './keys';

export interface LedgerServiceOptions {
  keyStore: SecretStore; // the core's KeyStore
  chainDir: string; // <data>/chain
  db: string | Database.Database; // the historian's database file (the outbox adds its own table)
  config?: ChainConfig; // absent: the embedded local ledger
  chainId?: number; // embedded: anvil's chain id (default 31337)
  submitter?: LedgerClientOptions['submitter']; // e.g. confirmations from the settings
}

/*
 * State machine: stopped ──start──▶ running ──stop──▶ stopped; start failing (no key store, node will not start,
 * deployment reverted) throws and leaves it stopped, with nothing half-open.
 */
export type LedgerState = { kind: 'stopped' } | { kind: 'running'; chain: LedgerChain; client: LedgerClient; keys: LedgerKeys; content: ContentStore };

export class LedgerService {
  state: LedgerState = { kind: 'stopped' };
  constructor(private readonly o: LedgerServiceOptions) {}

  async start(): Promise<void> {
    if (this.state.kind === 'running') return;
    const keys = await LedgerKeys.open(this.o.keyStore);
    const chain = await openChain({ dir: this.o.chainDir, keys, config: this.o.config, ...(this.o.chainId !== undefined ? { chainId: this.o.chainId } : {}) });
    try {
      const client = LedgerClient.open({ chain, keys, outbox: this.o.db, ...(this.o.submitter ? { submitter: this.o.submitter } : {}) });
      client.start();
      this.state = { kind: 'running', chain, client, keys, content: new ContentStore(join(this.o.chainDir, 'content')) };
    } catch (e) {
      await chain.stop();
      throw e;
    }
  }

  async stop(): Promise<void> {
    if (this.state.kind !== 'running') return;
    const { client, chain } = this.state;
    this.state = { kind: 'stopped' };
    await client.stop();
    await chain.stop();
  }

  /** Status bar line: which ledger, and what the outbox holds. */
  detail(): string | undefined {
    if (this.state.kind !== 'running') return undefined;
    const c = this.state.client.store.counts();
    return `${this.state.chain.label}; outbox ${c.queued + c.sent} pending, ${c.confirmed + c.final} on chain${c.failed + c.superseded ? `, ${c.failed + c.superseded} refused` : ''}`;
  }

  get client(): LedgerClient {
    if (this.state.kind !== 'running') throw new AppError('UNAVAILABLE', 'the ledger service is not running');
    return this.state.client;
  }
}
