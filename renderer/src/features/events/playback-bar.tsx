// Playback controls shown wherever the replay matters (Events, Map, Trends): play/pause, speed, the time cursor
// as a slider with its millisecond UTC read-out, and Back to live. Keys: K play/pause, Escape back to live.
import { useEffect } from 'react';
import { playback, usePlayback } from './playback-controller';
import { utcMs } from './use-events';

const SPEEDS = [0.1, 0.25, 1, 4];
const signed = (s: number): string => `${s >= 0 ? '+' : '−'}${Math.abs(s).toFixed(3)}`;

export function PlaybackBar() {
  const p = usePlayback();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!p.series.length || e.target instanceof HTMLInputElement || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'k') {
        if (p.playing) playback.pause();
        else playback.play();
      }
      if (e.key === 'Escape') playback.stop();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [p.series.length, p.playing]);
  if (!p.event) return null;
  if (p.loading) return <p className="muted">Loading the event's window from the historian…</p>;
  if (p.error) return <p className="cue warn" role="status">{p.error}</p>;
  return (
    <div className="toolbar playback-bar" role="toolbar" aria-label="Playback" data-testid="playback-bar">
      <strong>PLAYBACK</strong>
      <button type="button" aria-keyshortcuts="K" onClick={() => (p.playing ? playback.pause() : playback.play())}>{p.playing ? 'Pause' : 'Play'} <kbd>K</kbd></button>
      <label>Speed <select value={p.speed} onChange={(e) => playback.setSpeed(Number(e.target.value))}>{SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}</select></label>
      <input type="range" aria-label="Playback time" min={p.from} max={p.to} step={1} value={p.at} onChange={(e) => playback.seek(Number(e.target.value))} style={{ width: '18rem' }} />
      <span data-testid="playback-at">{utcMs(p.at)} UTC ({signed((p.at - p.event.t) / 1000)} s from the event start)</span>
      <button type="button" aria-keyshortcuts="Escape" onClick={() => playback.stop()}>Back to live <kbd>Esc</kbd></button>
    </div>
  );
}
