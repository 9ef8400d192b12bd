// The event list: severity, location, category, 1547 region, duration and verdict, with a severity filter and a
// text search; open events first. Clicking a row (or Enter on it) opens the event.
import { useMemo, useState } from 'react';
import type { LiveEvent } from '../../../../shared/contract/areas/grid';
import { fmtDuration, regionText, utcMs, verdictText } from './use-events';

const SEVERITIES = ['critical', 'alarm', 'warning', 'info'] as const;
const SEV_CUE: Record<LiveEvent['severity'], string> = { critical: '◆ critical', alarm: '▲ alarm', warning: '■ warning', info: '· info' };

export function EventsTable({ events, selected, onOpen }: { events: LiveEvent[]; selected: string | null; onOpen(e: LiveEvent): void }) {
  const [minSev, setMinSev] = useState<LiveEvent['severity']>('info');
  const [q, setQ] = useState('');
  const shown = useMemo(() => {
    const rank = SEVERITIES.indexOf(minSev);
    const needle = q.trim().toLowerCase();
    return events.filter((e) => SEVERITIES.indexOf(e.severity) <= rank && (!needle || `${e.source} ${e.bus ?? ''} ${e.kind} ${e.message} ${regionText(e.verdict)} ${verdictText(e.verdict)}`.toLowerCase().includes(needle)));
  }, [events, minSev, q]);
  return (
    <section aria-label="Events">
      <div className="toolbar">
        <label>Severity at least <select value={minSev} onChange={(e) => setMinSev(e.target.value as LiveEvent['severity'])}>{SEVERITIES.map((s) => <option key={s}>{s}</option>)}</select></label>
        <label>Search <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="bus, DER, region…" aria-keyshortcuts="/" data-testid="event-search" /></label>
        <span className="muted">{shown.length} of {events.length}</span>
      </div>
      <table className="grid-table" data-testid="event-list">
        <thead><tr><th>Severity</th><th>Start (UTC)</th><th>Location</th><th>Category</th><th>Region</th><th>Duration</th><th>Verdict</th></tr></thead>
        <tbody>
          {shown.length === 0 && <tr><td colSpan={7} className="muted">No events.</td></tr>}
          {shown.map((e) => (
            <tr key={`${e.key}/${e.id ?? 'open'}`} className={`event-row sev-${e.severity}`} tabIndex={0} aria-selected={selected === e.key} data-event-key={e.key} data-phase={e.phase}
              onClick={() => onOpen(e)} onKeyDown={(k) => k.key === 'Enter' && onOpen(e)}>
              <td>{SEV_CUE[e.severity]}</td>
              <td>{utcMs(e.t).slice(11)}</td>
              <td>{e.source}{e.bus && e.bus !== e.source ? ` (bus ${e.bus})` : ''}</td>
              <td>{e.kind}</td>
              <td>{regionText(e.verdict)}</td>
              <td>{e.phase === 'open' ? <span className="cue warn">open {fmtDuration(e.durationMs)}</span> : fmtDuration(e.durationMs)}</td>
              <td>{verdictText(e.verdict)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
