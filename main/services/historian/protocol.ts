// Messages between the Historian (core thread) and its writer worker. Frames cross as transferred ArrayBuffers;
// everything else is small structured-clone data.
import type { AppErrorData } from '../../../shared/errors';
import type { AlarmRecord, AlarmFilter, HistEvent, JournalEntry, RecordTable } from './records';
import type { HistorianSettings } from './settings';

export interface WriterStats {
  state: 'ok' | 'degraded'; // degraded: the file refuses writes and data waits in memory
  framesIn: number;
  samplesIn: number;
  samplesCommitted: number; // raw samples that are on disk
  pendingSamples: number; // raw samples sealed but not yet committed (in memory)
  openSamples: number; // raw samples still in open chunks
  rawDropped: number; // raw samples dropped because the buffer overflowed (their 1 s aggregates are kept)
  badFrames: number;
  sizeBytes: number;
  lastFailure?: string;
}

export type ToWorker =
  | { type: 'init'; file: string; settings: HistorianSettings }
  | { type: 'frame'; buffer: ArrayBuffer; offset: number; length: number }
  | { type: 'flush'; id: number }
  | { type: 'append'; id: number; table: RecordTable; rec: HistEvent | AlarmRecord | JournalEntry }
  | { type: 'configure'; settings: HistorianSettings }
  | { type: 'retain'; id: number }
  | { type: 'stats'; id: number }
  | { type: 'close'; id: number };

export type FromWorker =
  | { type: 'ready'; movedAside?: string }
  | { type: 'done'; id: number; stats: WriterStats; committed: boolean; result?: unknown }
  | { type: 'appended'; id: number; recordId: number }
  | { type: 'alarm'; alarm: AlarmRecord }
  | { type: 'fatal'; error: AppErrorData };

export type { AlarmFilter };
