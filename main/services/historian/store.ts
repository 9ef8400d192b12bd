// The writer's side of the SQLite file (used only inside the worker): schema, batched inserts in one transaction,
// retention by age and by budget (oldest first, raw before 1 s before 1 min), and moving a corrupt file aside.
import Database from 'better-sqlite3';
import { existsSync, renameSync, statSync } from 'node:fs';
import { TIER_1M, TIER_1S, TIER_RAW, type Tier } from './aggregates';
import type { ChunkRow } from './ingest';
import { INSERT_SQL, RECORD_DDL, recordParams, type AlarmRecord, type HistEvent, type JournalEntry, type RecordTable } from './records';
import type { HistorianSettings } from './settings';

export interface RecordWrite {
  reqId: number;
  table: RecordTable;
  rec: HistEvent | AlarmRecord | JournalEntry;
}

export const CHUNK_DDL = `
CREATE TABLE IF NOT EXISTS chunks(id INTEGER PRIMARY KEY, tier INTEGER NOT NULL, signal INTEGER NOT NULL, t0 REAL NOT NULL,
  t1 REAL NOT NULL, n INTEGER NOT NULL, data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_by_signal ON chunks(signal, tier, t0);
CREATE INDEX IF NOT EXISTS chunks_by_age ON chunks(tier, t1);
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** SQLite result codes we turn into alarms; anything else is reported as I/O. */
export type FailureKind = 'DISK_FULL' | 'LOCKED' | 'CORRUPT' | 'IO';
export function failureKind(e: unknown): FailureKind {
  const code = String((e as { code?: unknown })?.code ?? '');
  if (code.startsWith('SQLITE_FULL')) return 'DISK_FULL';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'LOCKED';
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) return 'CORRUPT';
  return 'IO';
}

export class Store {
  readonly db: Database.Database;
  private readonly insChunk: Database.Statement;
  private readonly insRec: Record<RecordTable, Database.Statement>;

  constructor(readonly file: string, settings: HistorianSettings) {
    this.db = new Database(file, { timeout: 2000 });
    try {
      // auto_vacuum must precede the first table; on an existing file it is a no-op
      this.db.pragma('page_size = 16384'); // several ~4 KB chunks per page instead of one page each, some of it empty
      this.db.pragma('auto_vacuum = INCREMENTAL');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL'); // WAL + NORMAL: a killed process loses nothing committed
      this.db.exec(CHUNK_DDL + RECORD_DDL);
      this.configure(settings);
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.insChunk = this.db.prepare('INSERT INTO chunks(tier,signal,t0,t1,n,data) VALUES (?,?,?,?,?,?)');
    this.insRec = {
      events: this.db.prepare(INSERT_SQL.events),
      alarms: this.db.prepare(INSERT_SQL.alarms),
      journal: this.db.prepare(INSERT_SQL.journal),
    };
  }

  configure(s: HistorianSettings): void {
    if (s.maxPages !== undefined) this.db.pragma(`max_page_count = ${Math.floor(s.maxPages)}`);
  }

  /** One transaction for everything pending: all of it lands or none of it does. Returns the record ids. */
  insert(rows: ChunkRow[], recs: RecordWrite[]): number[] {
    return this.db.transaction(() => {
      for (const r of rows) this.insChunk.run(r.tier, r.signal, r.t0, r.t1, r.n, r.data);
      return recs.map((w) => Number(this.insRec[w.table].run(...recordParams(w.table, w.rec)).lastInsertRowid));
    })();
  }

  sizeBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    const wal = existsSync(`${this.file}-wal`) ? statSync(`${this.file}-wal`).size : 0;
    return (pages - free) * size + wal;
  }

  fileBytes(): number {
    const wal = existsSync(`${this.file}-wal`) ? statSync(`${this.file}-wal`).size : 0;
    return statSync(this.file).size + wal;
  }

  /** Age limits per tier, then the budget: oldest rows first, raw before 1 s before 1 min. */
  retain(s: HistorianSettings, now = Date.now()): { deletedRows: number; sizeBytes: number } {
    let deleted = 0;
    const ages: [Tier, number][] = [[TIER_RAW, s.rawMaxAgeDays], [TIER_1S, s.agg1sMaxAgeDays], [TIER_1M, s.agg1mMaxAgeDays]];
    for (const [tier, days] of ages) deleted += this.db.prepare('DELETE FROM chunks WHERE tier = ? AND t1 < ?').run(tier, now - days * 86_400_000).changes;
    const target = s.budgetBytes * 0.9; // hysteresis: free a tenth so retention does not run on every commit
    const compact = (): number => {
      this.db.pragma('incremental_vacuum');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      return this.fileBytes();
    };
    let size = deleted > 0 || this.fileBytes() > s.budgetBytes ? compact() : this.fileBytes();
    if (size <= s.budgetBytes) return { deletedRows: deleted, sizeBytes: size };
    const oldest = this.db.prepare('SELECT t1, length(data) + 48 AS b FROM chunks WHERE tier = ? ORDER BY t1 LIMIT 4000');
    for (const tier of [TIER_RAW, TIER_1S, TIER_1M] as Tier[]) {
      for (let guard = 0; size > target && guard < 1000; guard++) {
        const rows = oldest.all(tier) as { t1: number; b: number }[];
        if (rows.length === 0) break;
        let acc = 0;
        let cut = rows[rows.length - 1].t1;
        for (const r of rows) {
          acc += r.b;
          if (acc >= size - target) {
            cut = r.t1;
            break;
          }
        }
        deleted += this.db.prepare('DELETE FROM chunks WHERE tier = ? AND t1 <= ?').run(tier, cut).changes;
        size = compact();
      }
    }
    return { deletedRows: deleted, sizeBytes: size };
  }

  close(): void {
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }
}

/** Opens the store; a file SQLite calls corrupt is renamed aside (kept for forensics) and a fresh one started. */
export function openStore(file: string, s: HistorianSettings): { store: Store; movedAside?: string; error?: unknown } {
  let store: Store | undefined;
  try {
    store = new Store(file, s);
    store.db.prepare('SELECT id FROM chunks ORDER BY id DESC LIMIT 1').get(); // touches the header and the tree root
    return { store };
  } catch (e) {
    store?.db.close();
    if (failureKind(e) !== 'CORRUPT') throw e;
    const aside = `${file}.corrupt-${Date.now()}`;
    renameSync(file, aside);
    for (const x of ['-wal', '-shm']) if (existsSync(file + x)) renameSync(file + x, aside + x);
    return { store: new Store(file, s), movedAside: aside, error: e };
  }
}
