// The Events pane: Alarms, Events, Sequence of events and Journal as tabs (keys A, E, S, J). Opening an event
// selects its bus on the map, loads its window for the trajectory, the envelope and the playback.
import { useEffect, useState } from 'react';
import type { LiveEvent } from '../../../../shared/contract/areas/grid';
import { useAppSelector } from '../../app/store';
import { AlarmList } from '../alarms/alarm-list';
import { gridStore, useGrid } from '../map/grid-store';
import '../trends/trends.css';
import { EventDetail } from './event-detail';
import { EventsTable } from './events-table';
import { JournalView } from './journal-view';
import { playback } from './playback-controller';
import { SoeList } from './soe-list';
import { useEvents } from './use-events';

const TABS = [['alarms', 'Alarms', 'a'], ['events', 'Events', 'e'], ['soe', 'Sequence of events', 's'], ['journal', 'Journal', 'j']] as const;
type Tab = (typeof TABS)[number][0];

export function EventsPane() {
  const [tab, setTab] = useState<Tab>('events');
  const [open, setOpen] = useState<LiveEvent | null>(() => playback.get().event); // a playback survives pane switches
  const { events, error } = useEvents();
  const alarms = useAppSelector((s) => s.alarms.list);
  const grid = useGrid();

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.altKey || e.ctrlKey || e.metaKey) return;
      const t = TABS.find((x) => x[2] === e.key);
      if (t) setTab(t[0]);
      if (e.key === '/') { e.preventDefault(); document.querySelector<HTMLInputElement>('[data-testid="event-search"]')?.focus(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const openEvent = (e: LiveEvent): void => {
    setOpen(e);
    const bus = e.bus ?? e.source;
    const i = grid.feeder ? grid.feeder.buses.findIndex((b) => b.toLowerCase() === bus.toLowerCase()) : -1;
    gridStore.focus(i >= 0 ? i : null);
    if (grid.feeder) void playback.load(grid.feeder, e);
  };
  const current = open ? (events.find((e) => e.key === open.key && (e.id === open.id || open.phase === 'open')) ?? open) : null;

  return (
    <div>
      <div className="tabs" role="tablist" aria-label="Events views">
        {TABS.map(([id, label, key]) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} aria-keyshortcuts={key.toUpperCase()} onClick={() => setTab(id)} data-tab={id}>
            {label} <kbd>{key.toUpperCase()}</kbd>{id === 'alarms' && alarms.length > 0 ? ` (${alarms.length})` : ''}{id === 'events' ? ` (${events.filter((e) => e.phase === 'open').length} open)` : ''}
          </button>
        ))}
      </div>
      {error && <p className="cue alarm" role="alert">Events not available: {error}</p>}
      {tab === 'alarms' && <AlarmList />}
      {tab === 'soe' && <SoeList events={events} alarms={alarms} />}
      {tab === 'journal' && <JournalView />}
      {tab === 'events' && (
        <div className="events-layout">
          <EventsTable events={events} selected={current?.key ?? null} onOpen={openEvent} />
          {current && grid.feeder ? <EventDetail feeder={grid.feeder} event={current} /> : <p className="muted">Open an event to see its trajectory, its ride-through envelope and its playback.</p>}
        </div>
      )}
    </div>
  );
}
