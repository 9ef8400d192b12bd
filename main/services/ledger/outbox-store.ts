// The submission outbox's durable half: one SQLite table (in the historian's database file or any other) where
// every settlement, batch and transition is written with its digest before it is sent, and every signed
// transaction's hash and raw bytes before they are broadcast, so a crash at any point loses nothing.
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors';

/*
 * Item state machine:
 *   queued ──sign+record──▶ sent ──receipt ok──▶ confirmed ──depth+age──▶ final
 *     ▲                      │ └─stuck: re-sign same nonce, higher fee (hash appended)
 *     └──tx lost (restart)───┘
 *   any ──probe: this seq settled with another digest──▶ superseded;  any ──permanent revert──▶ failed
 */
export type OutboxStatus = 'queued' | 'sent' | 'confirmed' | 'final' | 'failed' | 'superseded';
export type OutboxKind = 'settle' | 'batch' | 'transition' | 'call';

export interface OutboxItem {
  id: number;
  kind: OutboxKind;
  key: string; // idempotency key: offerId:seq for settlements, the digest otherwise
  offerId: string | null;
  seq: number | null; // first seq for batches
  count: number; // seqs covered (1 for a settlement, n for a batch)
  digest: string; // the EIP-712 digest both parties signed (or the call's own digest)
  target: string;
  calldata: string;
  status: OutboxStatus;
  nonce: number | null;
  txHashes: string[]; // every broadcast, replacements included
  rawTx: string | null; // the latest signed transaction, rebroadcast after a node restart
  maxFeePerGas: string | null;
  attempts: number;
  lastError: string | null;
  blockNumber: number | null;
  createdAt: number;
  sentAt: number | null;
  confirmedAt: number | null;
}

export interface NewItem {
  kind: OutboxKind;
  key: string;
  offerId?: string;
  seq?: number;
  count?: number;
  digest: string;
  target: string;
  calldata: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ledger_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL, key TEXT NOT NULL UNIQUE, offer_id TEXT, seq INTEGER, count INTEGER NOT NULL DEFAULT 1,
  digest TEXT NOT NULL, target TEXT NOT NULL, calldata TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued', nonce INTEGER, tx_hashes TEXT NOT NULL DEFAULT '[]', raw_tx TEXT,
  max_fee TEXT, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, block_number INTEGER,
  created_at INTEGER NOT NULL, sent_at INTEGER, confirmed_at INTEGER
);
CREATE INDEX IF NOT EXISTS ledger_outbox_open ON ledger_outbox(status) WHERE status IN ('queued','sent','confirmed');
`;

type Row = Record<string, unknown>;
function fromRow(r: Row): OutboxItem {
  return {
    id: r.id as number,
    kind: r.kind as OutboxKind,
    key: r.key as string,
    offerId: (r.offer_id as string | null) ?? null,
    seq: (r.seq as number | null) ?? null,
    count: r.count as number,
    digest: r.digest as string,
    target: r.target as string,
    calldata: r.calldata as string,
    status: r.status as OutboxStatus,
    nonce: (r.nonce as number | null) ?? null,
    txHashes: JSON.parse(r.tx_hashes as string) as string[],
    rawTx: (r.raw_tx as string | null) ?? null,
    maxFeePerGas: (r.max_fee as string | null) ?? null,
    attempts: r.attempts as number,
    lastError: (r.last_error as string | null) ?? null,
    blockNumber: (r.block_number as number | null) ?? null,
    createdAt: r.created_at as number,
    sentAt: (r.sent_at as number | null) ?? null,
    confirmedAt: (r.confirmed_at as number | null) ?? null,
  };
}

export class OutboxStore {
  private constructor(private readonly db: Database.Database, private readonly owned: boolean) {}

  /** Opens (or shares) the database file; WAL so a killed process keeps every committed row. */
  static open(dbPathOrDb: string | Database.Database): OutboxStore {
    const owned = typeof dbPathOrDb === 'string';
    let db: Database.Database;
    try {
      db = owned ? new Database(dbPathOrDb) : dbPathOrDb;
      if (owned) db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
    } catch (e) {
      throw new AppError('UNAVAILABLE', `outbox database ${owned ? dbPathOrDb : ''}: ${(e as Error).message}`, { file: owned ? dbPathOrDb : undefined });
    }
    return new OutboxStore(db, owned);
  }

  /** Inserts an item; the same key twice returns the existing row (enqueueing is idempotent). */
  enqueue(n: NewItem): { item: OutboxItem; created: boolean } {
    const existing = this.byKey(n.key);
    if (existing) {
      if (existing.digest !== n.digest) throw new AppError('CONFLICT', `outbox already holds ${n.key} with another digest`, { key: n.key, digest: existing.digest, offered: n.digest });
      return { item: existing, created: false };
    }
    const info = this.db
      .prepare('INSERT INTO ledger_outbox (kind,key,offer_id,seq,count,digest,target,calldata,created_at) VALUES (?,?,?,?,?,?,?,?,?)')
      .run(n.kind, n.key, n.offerId ?? null, n.seq ?? null, n.count ?? 1, n.digest, n.target, n.calldata, Date.now());
    return { item: this.get(Number(info.lastInsertRowid))!, created: true };
  }

  get(id: number): OutboxItem | undefined {
    const r = this.db.prepare('SELECT * FROM ledger_outbox WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }
  byKey(key: string): OutboxItem | undefined {
    const r = this.db.prepare('SELECT * FROM ledger_outbox WHERE key = ?').get(key) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }
  open(): OutboxItem[] {
    return (this.db.prepare("SELECT * FROM ledger_outbox WHERE status IN ('queued','sent','confirmed') ORDER BY id").all() as Row[]).map(fromRow);
  }
  all(): OutboxItem[] {
    return (this.db.prepare('SELECT * FROM ledger_outbox ORDER BY id').all() as Row[]).map(fromRow);
  }
  counts(): Record<OutboxStatus, number> {
    const out = { queued: 0, sent: 0, confirmed: 0, final: 0, failed: 0, superseded: 0 };
    for (const r of this.db.prepare('SELECT status, COUNT(*) AS n FROM ledger_outbox GROUP BY status').all() as { status: OutboxStatus; n: number }[]) out[r.status] = r.n;
    return out;
  }

  /** Records a signed transaction before it is broadcast: after a crash its hash is known and can be looked up. */
  recordSigned(id: number, nonce: number, txHash: string, rawTx: string, maxFee: string): void {
    const it = this.get(id)!;
    this.db
      .prepare("UPDATE ledger_outbox SET status='sent', nonce=?, tx_hashes=?, raw_tx=?, max_fee=?, attempts=attempts+1, sent_at=? WHERE id=?")
      .run(nonce, JSON.stringify([...it.txHashes, txHash]), rawTx, maxFee, Date.now(), id);
  }
  markConfirmed(id: number, blockNumber: number): void {
    this.db.prepare("UPDATE ledger_outbox SET status='confirmed', block_number=?, confirmed_at=?, last_error=NULL WHERE id=?").run(blockNumber, Date.now(), id);
  }
  markFinal(id: number): void {
    this.db.prepare("UPDATE ledger_outbox SET status='final' WHERE id=? AND status='confirmed'").run(id);
  }
  /** Back to the queue: its transaction is gone (node restarted before persisting it). The old hashes stay. */
  requeue(id: number, why: string): void {
    this.db.prepare("UPDATE ledger_outbox SET status='queued', nonce=NULL, raw_tx=NULL, block_number=NULL, confirmed_at=NULL, last_error=? WHERE id=?").run(why, id);
  }
  /** After the chain was restored from an older copy: finals confirmed since then are checked again. */
  reopenFinalSince(ms: number): number {
    return this.db.prepare("UPDATE ledger_outbox SET status='confirmed', confirmed_at=0 WHERE status='final' AND confirmed_at >= ?").run(ms).changes;
  }
  markFailed(id: number, status: 'failed' | 'superseded', why: string): void {
    this.db.prepare('UPDATE ledger_outbox SET status=?, last_error=? WHERE id=?').run(status, why, id);
  }
  noteError(id: number, why: string): void {
    this.db.prepare('UPDATE ledger_outbox SET last_error=? WHERE id=?').run(why, id);
  }

  close(): void {
    if (this.owned) this.db.close();
  }
}
