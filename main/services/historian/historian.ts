// The historian's public face in the core: write(frame) posts to the writer worker (never touching the disk here),
// queries read the file through a read-only connection, records and exports go through the same file.
import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import type { SignalInfo } from '../../../shared/domain/signals';
import type { SampleColumns } from './chunk-codec';
import { exportComtrade, exportCsv, type ComtradeExport } from './export';
import type { FromWorker, ToWorker, WriterStats } from './protocol';
import { HistoryReader, type EventWindow, type PixelSeries, type SeriesQuery } from './reader';
import type { AlarmFilter, AlarmRecord, EventFilter, HistEvent, JournalEntry, JournalFilter, RecordTable } from './records';
import { queryAlarms, queryEvents, queryJournal } from './records-query';
import { spawnWorker } from './worker-spawn';
import { forecastRetention, historianSettingsSchema, type HistorianSettings, type HistorianSettingsInput, type RetentionForecast, type TierRates } from './settings';

export interface HistorianOptions {
  /** The worker script; default: historian-worker.js beside this module (bundled), else the .ts through tsx. */
  workerPath?: string;
  fileName?: string; // default "history.db"
}

export interface FlushResult {
  committed: boolean; // everything written so far is on disk (false while the file refuses writes)
  stats: WriterStats;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class Historian {
  private readonly events = new EventEmitter();
  private readonly waiting = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private reader: HistoryReader;
  private db: Database.Database;
  private closed = false;
  private lastStats: WriterStats | null = null;

  private constructor(private readonly worker: Worker, readonly file: string, private settings: HistorianSettings) {
    this.db = this.openReader();
    this.reader = new HistoryReader(this.db);
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (e) => this.failAll(new AppError('INTERNAL', `historian worker failed: ${e.message}`)));
    worker.on('exit', () => this.failAll(new AppError('UNAVAILABLE', 'historian worker exited')));
  }

  /** Opens (or creates) `<dir>/history.db`; settings are parsed with the exported zod schema. */
  static async open(dir: string, settings: HistorianSettingsInput = {}, opts: HistorianOptions = {}): Promise<Historian> {
    const parsed = historianSettingsSchema.safeParse(settings);
    if (!parsed.success) throw new AppError('INVALID_ARGUMENT', `historian settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, opts.fileName ?? 'history.db');
    const worker = spawnWorker(opts.workerPath);
    const early: AlarmRecord[] = [];
    await new Promise<void>((resolve, reject) => {
      const onMsg = (m: FromWorker): void => {
        if (m.type === 'alarm') early.push(m.alarm);
        if (m.type === 'ready') {
          worker.off('message', onMsg);
          resolve();
        } else if (m.type === 'fatal') {
          worker.off('message', onMsg);
          void worker.terminate();
          reject(new AppError(m.error.code, `historian: ${m.error.message}`, { file }));
        }
      };
      worker.on('message', onMsg);
      worker.once('error', reject);
      worker.postMessage({ type: 'init', file, settings: parsed.data } satisfies ToWorker);
    });
    const h = new Historian(worker, file, parsed.data);
    h.startupAlarms = early;
    return h;
  }

  /** Alarms raised while opening (e.g. a corrupt file moved aside), before anyone could subscribe. */
  startupAlarms: AlarmRecord[] = [];

  private openReader(): Database.Database {
    const db = new Database(this.file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 2000');
    return db;
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'alarm') {
      if (m.alarm.data?.movedAside) {
        // the worker started a new file under the same name: read from it from now on
        this.db.close();
        this.db = this.openReader();
        this.reader = new HistoryReader(this.db);
      }
      this.events.emit('alarm', m.alarm);
    } else if (m.type === 'done') {
      this.lastStats = m.stats;
      this.settle(m.id, { committed: m.committed, stats: m.stats, result: m.result });
    } else if (m.type === 'appended') this.settle(m.id, m.recordId);
    else if (m.type === 'fatal') this.events.emit('error', new AppError(m.error.code, m.error.message, m.error.info));
  }

  private settle(id: number, v: unknown): void {
    const w = this.waiting.get(id);
    this.waiting.delete(id);
    w?.resolve(v as never);
  }

  private failAll(e: Error): void {
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  private call<T>(msg: WithoutId<Extract<ToWorker, { id: number }>>): Promise<T> {
    if (this.closed) return Promise.reject(new AppError('UNAVAILABLE', 'historian is closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: never) => void, reject });
      this.worker.postMessage({ ...msg, id } as ToWorker);
    });
  }

  on(event: 'alarm', fn: (a: AlarmRecord) => void): () => void;
  on(event: 'error', fn: (e: AppError) => void): () => void;
  on(event: string, fn: (x: any) => void): () => void {
    this.events.on(event, fn);
    return () => this.events.off(event, fn);
  }

  /**
   * Hands one SampleFrame to the writer. With `transfer` (default) the bytes' buffer moves to the worker and is
   * detached here: pass `false` (a copy is made) if the caller still needs the frame.
   */
  write(frameBytes: Uint8Array, transfer = true): void {
    if (this.closed) throw new AppError('UNAVAILABLE', 'historian is closed');
    const whole = frameBytes.byteOffset === 0 && frameBytes.byteLength === frameBytes.buffer.byteLength && frameBytes.buffer instanceof ArrayBuffer;
    const bytes = transfer && whole ? frameBytes : frameBytes.slice();
    const buffer = bytes.buffer as ArrayBuffer;
    this.worker.postMessage({ type: 'frame', buffer, offset: 0, length: bytes.byteLength } satisfies ToWorker, [buffer]);
  }

  /** Seals every open chunk and commits; resolves when what was written before it is on disk (or buffered). */
  flush(): Promise<FlushResult> {
    return this.call({ type: 'flush' });
  }

  /** The settings in force (budget and ages per tier). */
  get current(): HistorianSettings {
    return this.settings;
  }

  stats(): Promise<FlushResult> {
    return this.call({ type: 'stats' });
  }

  configure(settings: HistorianSettingsInput): HistorianSettings {
    const parsed = historianSettingsSchema.parse({ ...this.settings, ...settings });
    this.settings = parsed;
    this.worker.postMessage({ type: 'configure', settings: parsed } satisfies ToWorker);
    return parsed;
  }

  /** Runs retention now (it also runs every retentionIntervalMs). */
  async runRetention(): Promise<{ deletedRows: number; sizeBytes: number } | null> {
    return ((await this.call<{ result: unknown }>({ type: 'retain' })).result ?? null) as never;
  }

  /** Days of raw / 1 s / 1 min history the budget buys at the rate of the last hour of data. */
  forecast(rates?: TierRates): RetentionForecast & { rates: TierRates } {
    const r = this.reader.ratePerDay();
    const tr = rates ?? { rawBytesPerDay: r[0], agg1sBytesPerDay: r[1], agg1mBytesPerDay: r[2] };
    return { ...forecastRetention(this.settings, tr), rates: tr };
  }

  query(q: SeriesQuery): PixelSeries {
    return this.reader.series(q);
  }

  readRaw(signal: number, from: number, to: number): SampleColumns {
    return this.reader.raw(signal, from, to);
  }

  /** The samples around an event for playback: its signals (or those given) from t - preMs to (tEnd ?? t) + postMs. */
  eventWindow(eventId: number, opts: { preMs?: number; postMs?: number; signals?: number[] } = {}): EventWindow {
    return this.reader.eventWindow(eventId, opts);
  }

  private append(table: RecordTable, rec: HistEvent | AlarmRecord | JournalEntry): Promise<number> {
    return this.call({ type: 'append', table, rec });
  }
  appendEvent(e: HistEvent): Promise<number> {
    return this.append('events', e);
  }
  appendAlarm(a: AlarmRecord): Promise<number> {
    return this.append('alarms', a);
  }
  appendJournal(j: JournalEntry): Promise<number> {
    return this.append('journal', j);
  }
  queryEvents(f?: EventFilter): HistEvent[] {
    return queryEvents(this.db, f);
  }
  queryAlarms(f?: AlarmFilter): AlarmRecord[] {
    return queryAlarms(this.db, f);
  }
  queryJournal(f?: JournalFilter): JournalEntry[] {
    return queryJournal(this.db, f);
  }

  exportCsv(path: string, signals: number[], from: number, to: number, catalogue?: SignalInfo[]): number {
    return exportCsv(path, (s, a, b) => this.reader.raw(s, a, b), signals, from, to, catalogue);
  }

  /** COMTRADE of a window; pass `eventId` to take the event's window and signals. */
  exportComtrade(x: Omit<ComtradeExport, 'signals' | 'from' | 'to'> & Partial<Pick<ComtradeExport, 'signals' | 'from' | 'to'>> & { eventId?: number; preMs?: number; postMs?: number }): { cfgPath: string; datPath: string; samples: number } {
    let { signals, from, to, triggerMs } = x;
    if (x.eventId !== undefined) {
      const w = this.eventWindow(x.eventId, { preMs: x.preMs, postMs: x.postMs, signals });
      signals = [...w.samples.keys()];
      from = w.from;
      to = w.to;
      triggerMs ??= w.event.t;
    }
    if (!signals || from === undefined || to === undefined) throw new AppError('INVALID_ARGUMENT', 'COMTRADE export needs an eventId or signals, from and to');
    return exportComtrade((s, a, b) => this.reader.raw(s, a, b), { ...x, signals, from, to, triggerMs });
  }

  /** Seals, commits and closes; resolves with the final writer stats. */
  async close(): Promise<WriterStats | null> {
    if (this.closed) return this.lastStats;
    const done = await this.call<FlushResult>({ type: 'close' }).catch(() => null);
    this.closed = true;
    await this.worker.terminate();
    this.db.close();
    return done?.stats ?? this.lastStats;
  }
}
