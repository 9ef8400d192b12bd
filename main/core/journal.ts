// The append-only operator journal: every command, whatever its outcome, stamped with user, role, host and time.
// Kept as JSONL with a SHA-256 hash chain (each line commits to the previous one) so an edited line is detected.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { JournalLine } from '../../shared/contract';
import { AppError } from '../../shared/errors';

export type JournalEntry = Omit<JournalLine, 'seq' | 'at' | 'prev' | 'hash'> & { at?: number };

export interface JournalQuery {
  from?: number;
  to?: number;
  user?: string;
  channel?: string;
  limit?: number;
}

/** What services write to and auditors read; the historian may later store it elsewhere behind the same shape. */
export interface Journal {
  append(entry: JournalEntry): JournalLine;
  query(q: JournalQuery): JournalLine[];
  /** walks the chain; brokenAt is the seq of the first line that does not verify */
  verify(): { ok: boolean; lines: number; brokenAt?: number };
}

const GENESIS = '0'.repeat(64);

function lineHash(l: Omit<JournalLine, 'hash'>): string {
  const canonical = JSON.stringify([l.seq, l.at, l.user, l.role, l.host, l.channel, l.outcome, l.detail ?? null, l.prev]);
  return createHash('sha256').update(canonical).digest('hex');
}

export class JsonlJournal implements Journal {
  private lines: JournalLine[] = [];

  constructor(readonly path: string) {
    if (!existsSync(path)) return;
    const text = readFileSync(path, 'utf8');
    text.split('\n').forEach((row, i) => {
      if (!row.trim()) return;
      try {
        this.lines.push(JSON.parse(row) as JournalLine);
      } catch {
        // keep going: the damaged line shows up in verify(); data after it is not thrown away
        this.lines.push({ seq: -1, at: 0, user: '?', role: '?', host: '?', channel: '?', outcome: 'PARSE_ERROR', detail: { file: path, line: i + 1 }, prev: '', hash: '' });
      }
    });
  }

  append(entry: JournalEntry): JournalLine {
    const last = this.lines[this.lines.length - 1];
    const base = { seq: last ? last.seq + 1 : 0, at: entry.at ?? Date.now(), user: entry.user, role: entry.role, host: entry.host, channel: entry.channel, outcome: entry.outcome, ...(entry.detail === undefined ? {} : { detail: entry.detail }), prev: last ? last.hash : GENESIS };
    const line: JournalLine = { ...base, hash: lineHash(base) };
    try {
      appendFileSync(this.path, `${JSON.stringify(line)}\n`, { mode: 0o600 });
    } catch (e) {
      throw new AppError('UNAVAILABLE', `journal ${this.path} cannot be written: ${(e as Error).message}`);
    }
    this.lines.push(line);
    return line;
  }

  query(q: JournalQuery): JournalLine[] {
    const out = this.lines.filter((l) => (q.from === undefined || l.at >= q.from) && (q.to === undefined || l.at <= q.to) && (!q.user || l.user === q.user) && (!q.channel || l.channel === q.channel));
    return out.slice(-(q.limit ?? 500));
  }

  verify(): { ok: boolean; lines: number; brokenAt?: number } {
    let prev = GENESIS;
    for (let i = 0; i < this.lines.length; i++) {
      const l = this.lines[i];
      const { hash, ...rest } = l;
      if (l.prev !== prev || lineHash(rest) !== hash) return { ok: false, lines: this.lines.length, brokenAt: i };
      prev = hash;
    }
    return { ok: true, lines: this.lines.length };
  }
}
