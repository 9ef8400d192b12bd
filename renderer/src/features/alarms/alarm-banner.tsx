// The always-visible alarm banner: the highest-priority unacknowledged alarm in ≥20 px text, counts by priority,
// the audible annunciator (a tone while the core says it sounds) and Silence, which does not acknowledge.
import { useEffect, useRef } from 'react';
import { bridge } from '../../bridge';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { alarmsPushed, silenced, visibleAlarms } from './alarms-slice';

export function AlarmBanner() {
  const dispatch = useAppDispatch();
  const alarms = useAppSelector((s) => s.alarms);
  useEffect(() => bridge().subscribe('alarms', {}, (m) => dispatch(alarmsPushed(m))), [dispatch]);
  useAnnunciator(alarms.audible);

  const visible = visibleAlarms(alarms);
  const unacked = visible.filter((a) => a.state === 'UNACK_ACTIVE' || a.state === 'UNACK_RTN');
  const top = unacked[0] ?? visible[0];
  const count = (p: string): number => visible.filter((a) => a.priority === p && a.state !== 'ACK_ACTIVE').length;
  const silence = async (): Promise<void> => {
    const r = await bridge().call('alarms.silence', {});
    if (r.ok) dispatch(silenced(r.value.audible));
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.altKey && (e.key === 's' || e.key === 'S')) {
        e.preventDefault();
        void bridge().call('alarms.silence', {}).then((r) => r.ok && dispatch(silenced(r.value.audible)));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dispatch]);
  return (
    <div className={`alarm-banner ${top ? `prio-${top.priority}` : 'quiet'}`} role="status" aria-live="polite" data-testid="alarm-banner">
      <span className="alarm-text">
        {top ? (
          <>
            <b>{top.state === 'UNACK_ACTIVE' ? '● ' : top.state === 'UNACK_RTN' ? '○ ' : '■ '}{top.priority.toUpperCase()} PRIORITY</b> {top.message}{top.state === 'UNACK_RTN' ? ' — cleared, unacknowledged' : top.state === 'ACK_ACTIVE' ? ' — acknowledged' : ''}
          </>
        ) : (
          'No active alarms'
        )}
      </span>
      <span className="alarm-counts" aria-label="Unacknowledged or active alarms by priority">
        C {count('critical')} · H {count('high')} · M {count('medium')} · L {count('low')}
        {alarms.flood && <b className="flood"> · ALARM FLOOD</b>}
      </span>
      <button type="button" onClick={() => void silence()} disabled={!alarms.audible} aria-keyshortcuts="Alt+S" data-testid="silence">
        {alarms.audible ? 'Silence horn' : 'Horn silenced'} <kbd>Alt+S</kbd>
      </button>
    </div>
  );
}

/** Sounds a two-tone pulse every 1.2 s while `on` (WebAudio; no sound file needed, nothing to fetch). */
function useAnnunciator(on: boolean): void {
  const ctx = useRef<AudioContext | null>(null);
  useEffect(() => {
    if (!on || typeof AudioContext === 'undefined') return;
    ctx.current ??= new AudioContext();
    const ac = ctx.current;
    const beep = (): void => {
      const o = ac.createOscillator();
      const g = ac.createGain();
      o.frequency.value = 880;
      g.gain.value = 0.08;
      o.connect(g).connect(ac.destination);
      o.start();
      o.frequency.setValueAtTime(660, ac.currentTime + 0.15);
      o.stop(ac.currentTime + 0.3);
    };
    beep();
    const id = setInterval(beep, 1200);
    return () => clearInterval(id);
  }, [on]);
}
