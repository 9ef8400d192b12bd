// Events, alarms and operator journal entries as the historian stores them, with their query filters.
// Ordinary tables: low rate, queried by time and by field; `data`/`details` carry the rest as JSON.

export type Severity = 'info' | 'warning' | 'alarm' | 'critical';

export interface HistEvent {
  id?: number;
  t: number; // start, ms since the UTC epoch
  tEnd?: number; // end, when the event has a duration (sag, ride-through)
  kind: string; // e.g. "sag", "swell", "trip", "ride-through"
  severity: Severity;
  source: string; // element or service that raised it
  signals?: number[]; // signals that show it: the default channels for playback and COMTRADE export
  message?: string;
  data?: Record<string, unknown>;
}

export interface AlarmRecord {
  id?: number;
  t: number;
  code: string; // e.g. "HISTORIAN_DISK_FULL", "V_HIGH"
  severity: Severity;
  source: string;
  message: string;
  state: 'raised' | 'cleared' | 'acknowledged' | 'shelved';
  data?: Record<string, unknown>;
}

export interface JournalEntry {
  id?: number;
  t: number;
  user: string;
  action: string; // the command, e.g. "breaker.open"
  target?: string;
  outcome: 'ok' | 'error' | 'denied';
  details?: Record<string, unknown>;
}

export interface RecordFilter {
  from?: number;
  to?: number;
  limit?: number; // default 1000
  order?: 'asc' | 'desc';
  text?: string; // substring of message / action / target
}
export interface EventFilter extends RecordFilter {
  kinds?: string[];
  severities?: Severity[];
  source?: string;
  signal?: number;
}
export interface AlarmFilter extends RecordFilter {
  codes?: string[];
  states?: AlarmRecord['state'][];
  source?: string;
}
export interface JournalFilter extends RecordFilter {
  users?: string[];
  actions?: string[];
  outcome?: JournalEntry['outcome'];
}

export type RecordTable = 'events' | 'alarms' | 'journal';

export const RECORD_DDL = `
CREATE TABLE IF NOT EXISTS events(id INTEGER PRIMARY KEY, t REAL NOT NULL, t_end REAL, kind TEXT NOT NULL, severity TEXT NOT NULL,
  source TEXT NOT NULL, signals TEXT NOT NULL, message TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_t ON events(t);
CREATE TABLE IF NOT EXISTS alarms(id INTEGER PRIMARY KEY, t REAL NOT NULL, code TEXT NOT NULL, severity TEXT NOT NULL, source TEXT NOT NULL,
  message TEXT NOT NULL, state TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS alarms_t ON alarms(t);
CREATE TABLE IF NOT EXISTS journal(id INTEGER PRIMARY KEY, t REAL NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
  outcome TEXT NOT NULL, details TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS journal_t ON journal(t);
`;

/** Column values in table order (after id) for an insert. */
export function recordParams(table: RecordTable, r: HistEvent | AlarmRecord | JournalEntry): unknown[] {
  if (table === 'events') {
    const e = r as HistEvent;
    return [e.t, e.tEnd ?? null, e.kind, e.severity, e.source, JSON.stringify(e.signals ?? []), e.message ?? '', JSON.stringify(e.data ?? {})];
  }
  if (table === 'alarms') {
    const a = r as AlarmRecord;
    return [a.t, a.code, a.severity, a.source, a.message, a.state, JSON.stringify(a.data ?? {})];
  }
  const j = r as JournalEntry;
  return [j.t, j.user, j.action, j.target ?? '', j.outcome, JSON.stringify(j.details ?? {})];
}

export const INSERT_SQL: Record<RecordTable, string> = {
  events: 'INSERT INTO events(t,t_end,kind,severity,source,signals,message,data) VALUES (?,?,?,?,?,?,?,?)',
  alarms: 'INSERT INTO alarms(t,code,severity,source,message,state,data) VALUES (?,?,?,?,?,?,?)',
  journal: 'INSERT INTO journal(t,user,action,target,outcome,details) VALUES (?,?,?,?,?,?)',
};
