// The historian's writer thread: decodes frames, builds chunks, commits them in batches, runs retention, and
// rides out a full/locked/corrupt file with a bounded in-memory buffer. The core thread never waits on the disk.
import { parentPort } from 'node:worker_threads';
import { SAMPLE_SCHEMA, decodeFrame } from '../../../shared/contract/frame';
import { toErrorData } from '../../../shared/errors';
import { ROW_MS, TIER_RAW } from './aggregates';
import { Ingest, type ChunkRow } from './ingest';
import type { FromWorker, ToWorker, WriterStats } from './protocol';
import type { AlarmRecord } from './records';
import type { HistorianSettings } from './settings';
import { failureKind, openStore, type FailureKind, type RecordWrite, type Store } from './store';

const MAX_PENDING_AGG_ROWS = 500_000; // ~1 s rows for 1000 signals over 8 h: the floor we keep while the disk refuses
const port = parentPort;
if (!port) throw new Error('historian-worker must run in a worker thread');
const post = (m: FromWorker): void => port.postMessage(m);

let store: Store | null = null;
let file = '';
let settings: HistorianSettings;
let pendingRows: ChunkRow[] = [];
let pendingRecs: RecordWrite[] = [];
let failure: FailureKind | null = null;
let droppedReported = false;
let timers: NodeJS.Timeout[] = [];
const ingest = new Ingest((row) => pendingRows.push(row));
const stats: WriterStats = { state: 'ok', framesIn: 0, samplesIn: 0, samplesCommitted: 0, pendingSamples: 0, openSamples: 0, rawDropped: 0, badFrames: 0, sizeBytes: 0 };

function alarm(code: string, message: string, state: AlarmRecord['state'], data: Record<string, unknown>): void {
  const a: AlarmRecord = { t: Date.now(), code, severity: state === 'raised' ? 'critical' : 'info', source: 'historian', message, state, data };
  post({ type: 'alarm', alarm: a });
  pendingRecs.push({ reqId: -1, table: 'alarms', rec: a }); // lands in the alarms table once the file takes writes
}

function rotateCorrupt(e: unknown): void {
  try {
    store?.db.close();
  } catch {
    /* already unusable */
  }
  store = null;
  const opened = openStore(file, settings);
  store = opened.store;
  if (opened.movedAside) alarm('HISTORIAN_CORRUPT', `history file ${file} is corrupt; moved to ${opened.movedAside}, recording continues in a new file`, 'raised', { movedAside: opened.movedAside, sqlite: toErrorData(e).message });
}

/** Keeps `bufferSeconds` of raw data time in memory; older raw rows go (counted), aggregates stay. */
function bound(): void {
  let newest = -Infinity;
  for (const r of pendingRows) if (r.tier === TIER_RAW && r.t1 > newest) newest = r.t1;
  const limit = newest - settings.bufferSeconds * 1000;
  let dropped = 0;
  let aggRows = 0;
  pendingRows = pendingRows.filter((r) => {
    if (r.tier !== TIER_RAW) return ++aggRows > 0;
    if (r.t1 >= limit) return true;
    dropped += r.n;
    return false;
  });
  // past the aggregate cap the oldest aggregate rows go too (rows are in seal order, oldest first)
  for (let excess = aggRows - MAX_PENDING_AGG_ROWS; excess > 0; excess--) pendingRows.splice(pendingRows.findIndex((r) => r.tier !== TIER_RAW), 1);
  if (dropped === 0) return;
  stats.rawDropped += dropped;
  if (!droppedReported) {
    droppedReported = true;
    alarm('HISTORIAN_RAW_DROPPED', `history buffer full (${settings.bufferSeconds} s): raw samples are being dropped, 1 s aggregates kept`, 'raised', { rawDropped: stats.rawDropped });
  }
}

function commit(): boolean {
  if (!store) return false;
  if (pendingRows.length === 0 && pendingRecs.length === 0) return true;
  try {
    const ids = store.insert(pendingRows, pendingRecs);
    for (const r of pendingRows) if (r.tier === TIER_RAW) stats.samplesCommitted += r.n;
    pendingRecs.forEach((w, i) => w.reqId >= 0 && post({ type: 'appended', id: w.reqId, recordId: ids[i] }));
    pendingRows = [];
    pendingRecs = [];
    if (failure) {
      const was = failure;
      failure = null;
      droppedReported = false;
      stats.state = 'ok';
      alarm(`HISTORIAN_${was}`, `history file takes writes again; ${stats.rawDropped} raw samples dropped in total`, 'cleared', { rawDropped: stats.rawDropped });
      return commit();
    }
    return true;
  } catch (e) {
    const kind = failureKind(e);
    stats.lastFailure = `${kind}: ${(e as Error).message}`;
    if (kind !== failure) {
      const what = { DISK_FULL: 'disk is full', LOCKED: 'file is locked by another process', CORRUPT: 'file is corrupt', IO: 'file cannot be written' }[kind];
      alarm(`HISTORIAN_${kind}`, `history ${what} (${(e as Error).message}); buffering up to ${settings.bufferSeconds} s in memory`, 'raised', { file });
    }
    failure = kind;
    stats.state = 'degraded';
    if (kind === 'CORRUPT') rotateCorrupt(e);
    bound();
    return false;
  }
}

function snapshot(): WriterStats {
  stats.pendingSamples = pendingRows.reduce((n, r) => n + (r.tier === TIER_RAW ? r.n : 0), 0);
  stats.openSamples = ingest.openSamples();
  try {
    stats.sizeBytes = store ? store.fileBytes() : 0;
  } catch {
    /* size is informative only */
  }
  return { ...stats };
}

function retain(): unknown {
  if (!store || failure) return null;
  try {
    return store.retain(settings);
  } catch (e) {
    stats.lastFailure = `retention: ${(e as Error).message}`;
    return null;
  }
}

function startTimers(): void {
  for (const t of timers) clearInterval(t);
  timers = [
    setInterval(() => {
      ingest.seal(ROW_MS[TIER_RAW] * 1.5); // a signal that went quiet still reaches disk
      commit();
    }, settings.commitIntervalMs),
    setInterval(retain, settings.retentionIntervalMs),
  ];
}

port.on('message', (m: ToWorker) => {
  try {
    switch (m.type) {
      case 'init': {
        file = m.file;
        settings = m.settings;
        const opened = openStore(file, settings);
        store = opened.store;
        if (opened.movedAside) alarm('HISTORIAN_CORRUPT', `history file ${file} was corrupt; moved to ${opened.movedAside}, a new file was started`, 'raised', { movedAside: opened.movedAside });
        startTimers();
        post({ type: 'ready', movedAside: opened.movedAside });
        break;
      }
      case 'frame': {
        stats.framesIn++;
        let f;
        try {
          f = decodeFrame(new Uint8Array(m.buffer, m.offset, m.length), SAMPLE_SCHEMA);
        } catch (e) {
          if (stats.badFrames++ === 0) alarm('HISTORIAN_BAD_FRAME', `refused a telemetry frame: ${(e as Error).message}`, 'raised', {});
          break;
        }
        stats.samplesIn += f.rows;
        ingest.add(f.columns as never, f.rows);
        break;
      }
      case 'append':
        pendingRecs.push({ reqId: m.id, table: m.table, rec: m.rec });
        commit();
        break;
      case 'flush': {
        ingest.seal();
        const committed = commit();
        post({ type: 'done', id: m.id, committed, stats: snapshot() });
        break;
      }
      case 'configure':
        settings = m.settings;
        store?.configure(settings);
        startTimers();
        commit();
        break;
      case 'stats':
        post({ type: 'done', id: m.id, committed: failure === null && pendingRows.length === 0, stats: snapshot() });
        break;
      case 'retain':
        post({ type: 'done', id: m.id, committed: failure === null, stats: snapshot(), result: retain() });
        break;
      case 'close': {
        for (const t of timers) clearInterval(t);
        ingest.seal();
        const committed = commit();
        const s = snapshot();
        store?.close();
        store = null;
        post({ type: 'done', id: m.id, committed, stats: s });
        port.close();
        break;
      }
    }
  } catch (e) {
    post({ type: 'fatal', error: toErrorData(e) });
  }
});
