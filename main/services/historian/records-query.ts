// Queries over the events, alarms and journal tables by time window and field filters, newest or oldest first.
// Filters become bound parameters only; the SQL text is built from fixed fragments.
import type Database from 'better-sqlite3';
import type { AlarmFilter, AlarmRecord, EventFilter, HistEvent, JournalEntry, JournalFilter, RecordFilter } from './records';

type Where = { sql: string[]; args: unknown[] };

function base(f: RecordFilter): Where {
  const w: Where = { sql: [], args: [] };
  if (f.from !== undefined) add(w, 't >= ?', f.from);
  if (f.to !== undefined) add(w, 't <= ?', f.to);
  return w;
}
function add(w: Where, sql: string, arg: unknown): void {
  w.sql.push(sql);
  w.args.push(arg);
}
function anyOf(w: Where, col: string, values: readonly unknown[] | undefined): void {
  if (!values || values.length === 0) return;
  w.sql.push(`${col} IN (${values.map(() => '?').join(',')})`);
  w.args.push(...values);
}
function text(w: Where, cols: string[], t: string | undefined): void {
  if (!t) return;
  w.sql.push(`(${cols.map((c) => `instr(lower(${c}), ?) > 0`).join(' OR ')})`);
  for (let i = 0; i < cols.length; i++) w.args.push(t.toLowerCase());
}
function run<T>(db: Database.Database, table: string, w: Where, f: RecordFilter, map: (r: Record<string, unknown>) => T): T[] {
  const where = w.sql.length ? `WHERE ${w.sql.join(' AND ')}` : '';
  const order = f.order === 'desc' ? 'DESC' : 'ASC';
  const limit = Math.max(1, Math.min(100_000, Math.floor(f.limit ?? 1000)));
  return (db.prepare(`SELECT * FROM ${table} ${where} ORDER BY t ${order}, id ${order} LIMIT ${limit}`).all(...w.args) as Record<string, unknown>[]).map(map);
}

export function toEvent(r: Record<string, unknown>): HistEvent {
  const e: HistEvent = {
    id: r.id as number, t: r.t as number, kind: r.kind as string, severity: r.severity as HistEvent['severity'], source: r.source as string,
    signals: JSON.parse(r.signals as string), message: r.message as string, data: JSON.parse(r.data as string),
  };
  if (r.t_end !== null) e.tEnd = r.t_end as number;
  return e;
}

export function queryEvents(db: Database.Database, f: EventFilter = {}): HistEvent[] {
  const w = base(f);
  anyOf(w, 'kind', f.kinds);
  anyOf(w, 'severity', f.severities);
  if (f.source) add(w, 'source = ?', f.source);
  if (f.signal !== undefined) add(w, 'EXISTS (SELECT 1 FROM json_each(signals) WHERE value = ?)', f.signal);
  text(w, ['message', 'kind', 'source'], f.text);
  return run(db, 'events', w, f, toEvent);
}

export function queryAlarms(db: Database.Database, f: AlarmFilter = {}): AlarmRecord[] {
  const w = base(f);
  anyOf(w, 'code', f.codes);
  anyOf(w, 'state', f.states);
  if (f.source) add(w, 'source = ?', f.source);
  text(w, ['message', 'code'], f.text);
  return run(db, 'alarms', w, f, (r) => ({
    id: r.id as number, t: r.t as number, code: r.code as string, severity: r.severity as AlarmRecord['severity'], source: r.source as string,
    message: r.message as string, state: r.state as AlarmRecord['state'], data: JSON.parse(r.data as string),
  }));
}

export function queryJournal(db: Database.Database, f: JournalFilter = {}): JournalEntry[] {
  const w = base(f);
  anyOf(w, 'user', f.users);
  anyOf(w, 'action', f.actions);
  if (f.outcome) add(w, 'outcome = ?', f.outcome);
  text(w, ['action', 'target', 'details'], f.text);
  return run(db, 'journal', w, f, (r) => ({
    id: r.id as number, t: r.t as number, user: r.user as string, action: r.action as string, target: r.target as string,
    outcome: r.outcome as JournalEntry['outcome'], details: JSON.parse(r.details as string),
  }));
}
