// The operator journal (journal.query): who did what, when, with the outcome; its hash chain's verification shown.
import { useCallback, useEffect, useState } from 'react';
import { bridge } from '../../bridge';
import { utcMs } from './use-events';

type Lines = Awaited<ReturnType<typeof load>>;
async function load(channel: string) {
  const r = await bridge().call('journal.query', { limit: 200, ...(channel ? { channel } : {}) });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

export function JournalView() {
  const [channel, setChannel] = useState('');
  const [data, setData] = useState<Lines | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    load(channel).then((d) => { setData(d); setError(null); }, (e: Error) => setError(e.message));
  }, [channel]);
  useEffect(() => {
    const t = setTimeout(refresh, 0);
    const i = setInterval(refresh, 5000);
    return () => { clearTimeout(t); clearInterval(i); };
  }, [refresh]);
  const lines = data ? data.lines.slice().reverse() : [];
  return (
    <section aria-label="Journal">
      <div className="toolbar">
        <label>Channel <input value={channel} onChange={(e) => setChannel(e.target.value)} placeholder="e.g. alarms.ack" /></label>
        <button type="button" onClick={refresh}>Refresh</button>
        {data && <span className={data.verified ? 'cue normal' : 'cue alarm'}>{data.verified ? 'hash chain verified' : `hash chain BROKEN at ${data.brokenAt ?? '?'}`}</span>}
      </div>
      {error && <p className="cue alarm" role="alert">{error}</p>}
      <table className="grid-table" data-testid="journal">
        <thead><tr><th>Time (UTC)</th><th>User</th><th>Role</th><th>Action</th><th>Outcome</th><th>Detail</th></tr></thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.seq} data-channel={l.channel}>
              <td className="mono">{utcMs(l.at)}</td><td>{l.user}</td><td>{l.role}</td><td>{l.channel}</td>
              <td className={l.outcome === 'ok' ? undefined : 'cue alarm'}>{l.outcome}</td>
              <td>{l.detail === undefined ? '' : JSON.stringify(l.detail).slice(0, 140)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
