// The historian's storage: disk used against the budget and how many days of raw, 1 s and 1 min data the budget
// buys at the current rate (retention settings live in settings.yaml, section historian). Refreshed every 10 s.
import { useEffect, useState } from 'react';
import type { Res } from '../../../../shared/contract';
import { bridge } from '../../bridge';

type Status = Res<'historian.status'>;

const mb = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;
const days = (d: number): string => (d >= 1e8 ? 'no data yet' : d >= 10 ? `${d.toFixed(0)} days` : `${d.toFixed(1)} days`);

export function StoragePanel() {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    const load = async (): Promise<void> => {
      const r = await bridge().call('historian.status', {});
      if (!alive) return;
      if (r.ok) {
        setStatus(r.value);
        setError(null);
      } else setError(`${r.error.code}: ${r.error.message}`);
    };
    void load();
    const id = setInterval(() => void load(), 10_000);
    return () => {
      alive = false;
      clearInterval(id);
    };
  }, []);
  return (
    <section aria-label="Historian storage" data-testid="storage-panel">
      <h3>Historian storage</h3>
      {error && <p className="muted">{error}</p>}
      {status && (
        <table className="grid-table">
          <tbody>
            <tr><th scope="row">State</th><td className={status.state === 'ok' ? '' : 'cue alarm'}>{status.state === 'ok' ? 'recording' : `✖ degraded: ${status.lastFailure ?? 'the file refuses writes'}`}</td></tr>
            <tr><th scope="row">Disk used / budget</th><td>{mb(status.sizeBytes)} of {mb(status.budgetBytes)}</td></tr>
            <tr><th scope="row">The budget buys, at the current rate</th><td>raw {days(status.rawDays)} ({status.rawLimitedBy === 'budget' ? 'limited by the budget' : 'limited by its age setting'}) · 1 s {days(status.agg1sDays)} · 1 min {days(status.agg1mDays)}</td></tr>
            <tr><th scope="row">Raw rate</th><td>{mb(status.rawBytesPerDay)} per day</td></tr>
            <tr><th scope="row">Samples on disk</th><td>{status.samplesCommitted.toLocaleString('en')}</td></tr>
            <tr><th scope="row">Raw samples dropped / bad frames</th><td className={status.rawDropped || status.badFrames ? 'cue warn' : ''}>{status.rawDropped.toLocaleString('en')} / {status.badFrames}</td></tr>
          </tbody>
        </table>
      )}
    </section>
  );
}
