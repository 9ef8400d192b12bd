// The alarm list (ISA-18.2): priority, state with a text cue, source, message, times; acknowledge and shelve
// (journaled by the core with user and time). Shelved and suppressed alarms are listed apart, never silently hidden.
import { useState } from 'react';
import type { AlarmViewDto } from '../../../../shared/contract/areas/grid';
import { bridge } from '../../bridge';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { alarmUpdated } from './alarms-slice';

const STATE_TEXT: Record<AlarmViewDto['state'], string> = { UNACK_ACTIVE: '● Unacknowledged', ACK_ACTIVE: '■ Acknowledged', UNACK_RTN: '○ Cleared, unacknowledged', NORMAL: 'Normal' };

export function AlarmList() {
  const dispatch = useAppDispatch();
  const list = useAppSelector((s) => s.alarms.list);
  const [error, setError] = useState<string | null>(null);
  const act = async (kind: 'ack' | 'shelve' | 'unshelve', id: string): Promise<void> => {
    const r = kind === 'ack' ? await bridge().call('alarms.ack', { id }) : await bridge().call('alarms.shelve', { id, minutes: kind === 'shelve' ? 60 : 0 });
    if (r.ok) {
      dispatch(alarmUpdated(r.value.alarm));
      setError(null);
    } else setError(`${r.error.code}: ${r.error.message}`);
  };
  const shown = list.filter((a) => !a.shelved && !a.suppressed);
  const hidden = list.filter((a) => a.shelved || a.suppressed);
  return (
    <section aria-label="Alarm list">
      {error && <p className="cue alarm" role="alert">{error}</p>}
      <table className="grid-table alarm-table" data-testid="alarm-list">
        <thead>
          <tr><th>Priority</th><th>State</th><th>Source</th><th>Message</th><th>Active since (UTC)</th><th>Actions</th></tr>
        </thead>
        <tbody>
          {shown.length === 0 && (
            <tr><td colSpan={6} className="muted">No alarms.</td></tr>
          )}
          {shown.map((a) => (
            <tr key={a.id} data-alarm-id={a.id} data-state={a.state} className={`prio-${a.priority}`}>
              <td>{a.priority}</td>
              <td>{STATE_TEXT[a.state]}{a.ackedBy ? ` by ${a.ackedBy}` : ''}</td>
              <td>{a.source}</td>
              <td>{a.message}{a.value !== undefined ? ` (${a.value.toFixed(3)})` : ''}</td>
              <td>{a.activeSince ? new Date(a.activeSince).toISOString().slice(11, 23) : '—'}</td>
              <td className="actions">
                <button type="button" disabled={a.state !== 'UNACK_ACTIVE' && a.state !== 'UNACK_RTN'} onClick={() => void act('ack', a.id)}>Acknowledge</button>
                <button type="button" onClick={() => void act('shelve', a.id)}>Shelve 1 h</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {hidden.length > 0 && (
        <>
          <h3>Shelved and suppressed</h3>
          <table className="grid-table" data-testid="alarm-hidden">
            <tbody>
              {hidden.map((a) => (
                <tr key={a.id} data-alarm-id={a.id} data-shelved={a.shelved}>
                  <td>{a.priority}</td>
                  <td>{a.shelved ? `Shelved by ${a.shelvedBy ?? '?'} until ${a.shelvedUntil ? new Date(a.shelvedUntil).toISOString().slice(11, 19) : '?'}` : 'Suppressed by design'}</td>
                  <td>{a.message}</td>
                  <td>{a.shelved && <button type="button" onClick={() => void act('unshelve', a.id)}>Unshelve</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
