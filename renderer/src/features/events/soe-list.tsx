// Sequence of events: every event start and end and every alarm transition we know of, merged in time order with
// millisecond timestamps (UTC), newest first.
import type { AlarmViewDto, LiveEvent } from '../../../../shared/contract/areas/grid';
import { utcMs } from './use-events';

interface Row { t: number; what: string; source: string }

export function soeRows(events: LiveEvent[], alarms: AlarmViewDto[]): Row[] {
  const rows: Row[] = [];
  for (const e of events) {
    rows.push({ t: e.t, what: `${e.kind} event start (${e.severity})`, source: e.source });
    if (e.tEnd !== undefined) rows.push({ t: e.tEnd, what: `${e.kind} event end after ${(e.durationMs / 1000).toFixed(3)} s`, source: e.source });
  }
  for (const a of alarms) {
    if (a.activeSince !== undefined) rows.push({ t: a.activeSince, what: `alarm ${a.priority}: ${a.message}`, source: a.source });
    if (a.ackedAt !== undefined) rows.push({ t: a.ackedAt, what: `alarm acknowledged by ${a.ackedBy ?? '?'}`, source: a.source });
  }
  return rows.sort((a, b) => b.t - a.t);
}

export function SoeList({ events, alarms }: { events: LiveEvent[]; alarms: AlarmViewDto[] }) {
  const rows = soeRows(events, alarms);
  return (
    <table className="grid-table" data-testid="soe-list">
      <thead><tr><th>Time (UTC, ms)</th><th>Source</th><th>What</th></tr></thead>
      <tbody>
        {rows.length === 0 && <tr><td colSpan={3} className="muted">Nothing recorded yet.</td></tr>}
        {rows.map((r, i) => <tr key={i}><td className="mono">{utcMs(r.t)}</td><td>{r.source}</td><td>{r.what}</td></tr>)}
      </tbody>
    </table>
  );
}
