// The Microgrids pane: each microgrid's grid-connect state (grid.state), Island / Reconnect through the core (the
// OPC UA method's outcome shown as data: a refused reconnect names the quantity) and switching tags on its devices.
import { useCallback, useEffect, useState } from 'react';
import type { SwitchingTag } from '../../../../shared/contract/areas/grid';
import { bridge } from '../../bridge';
import { useGrid } from '../map/grid-store';
import '../trends/trends.css';
import { RehearsalPanel } from '../rehearsal/rehearsal-panel';
import { OneLine } from './one-line';

type Outcome = { ok: boolean; text: string };

export function MicrogridsPane() {
  const grid = useGrid();
  const [tags, setTags] = useState<SwitchingTag[]>([]);
  const [outcome, setOutcome] = useState<Record<string, Outcome>>({});
  const [busy, setBusy] = useState<string | null>(null);

  const loadTags = useCallback(async () => {
    const r = await bridge().call('tags.list', {});
    if (r.ok) setTags(r.value.tags);
  }, []);
  useEffect(() => {
    const t = setTimeout(() => void loadTags(), 0);
    return () => clearTimeout(t);
  }, [loadTags]);

  const command = async (id: string, kind: 'island' | 'reconnect'): Promise<void> => {
    setBusy(`${id}/${kind}`);
    const r = await bridge().call(kind === 'island' ? 'microgrid.island' : 'microgrid.reconnect', { id });
    setBusy(null);
    const text = r.ok ? `${kind}: ${r.value.status} · ${r.value.result}${r.value.quantity ? ` (quantity: ${r.value.quantity})` : ''}` : `${kind} refused: ${r.error.code} · ${r.error.message}`;
    setOutcome((o) => ({ ...o, [id]: { ok: r.ok && r.value.ok, text } }));
  };
  const tag = async (device: string, kind: SwitchingTag['kind'], on: boolean): Promise<void> => {
    const r = on ? await bridge().call('tags.set', { device, kind }) : await bridge().call('tags.clear', { device, kind });
    if (r.ok) setTags(r.value.tags);
    else setOutcome((o) => ({ ...o, [device]: { ok: false, text: `tag: ${r.error.code} · ${r.error.message}` } }));
  };

  if (!grid.feeder) return <p className="muted">{grid.error ?? 'Loading the feeder…'}</p>;
  const states = new Map((grid.state?.microgrids ?? []).map((m) => [m.id, m]));
  return (
    <div className="mg-layout">
      {grid.feeder.microgrids.length === 0 && <p className="muted">This feeder has no microgrids configured.</p>}
      {grid.feeder.microgrids.map((m) => {
        const s = states.get(m.id);
        const devices = [m.id, m.pccBranch];
        const out = outcome[m.id];
        return (
          <section key={m.id} className="mg-card" aria-label={`Microgrid ${m.id}`} data-microgrid={m.id}>
            <h3>Microgrid {m.id} <span className={s?.state === 'Parallel' ? 'cue normal' : 'cue warn'} data-testid="mg-state">{s?.state ?? 'Unknown'}</span>{s?.intentional ? ' (intentional)' : ''}</h3>
            <p>
              PCC {m.pccBranch} · {m.buses.length} buses · since {s ? new Date(s.since).toISOString().slice(11, 19) : '—'} UTC
              {s?.fHz !== undefined && ` · f ${s.fHz.toFixed(3)} Hz`}{s?.vPu !== undefined && ` · V ${s.vPu.toFixed(3)} p.u.`}
              {' '}· sync limits Δf {m.syncLimits.dfHz} Hz, ΔV {m.syncLimits.dvPct} %, Δφ {m.syncLimits.dphiDeg}°
            </p>
            <div className="actions">
              <button type="button" disabled={busy !== null} onClick={() => void command(m.id, 'island')}>Island</button>
              <button type="button" disabled={busy !== null} onClick={() => void command(m.id, 'reconnect')}>Reconnect</button>
            </div>
            {out && <p className={out.ok ? 'cue normal' : 'cue alarm'} role="status" data-testid="mg-outcome">{out.text}</p>}
            <table className="grid-table">
              <thead><tr><th>Device</th><th>Tags</th><th>Switching tags</th></tr></thead>
              <tbody>
                {devices.map((d) => {
                  const on = tags.filter((t) => t.device === d);
                  return (
                    <tr key={d} data-device={d}>
                      <td>{d}</td>
                      <td>{on.length ? on.map((t) => <span key={t.kind} className="cue warn">{t.kind === 'hold' ? 'HOLD' : 'DO NOT OPERATE'} by {t.by} </span>) : <span className="muted">none</span>}</td>
                      <td className="actions">
                        {(['hold', 'do-not-operate'] as const).map((k) => {
                          const has = on.some((t) => t.kind === k);
                          return <button key={k} type="button" onClick={() => void tag(d, k, !has)}>{has ? `Clear ${k}` : `Tag ${k}`}</button>;
                        })}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        );
      })}
      <OneLine feeder={grid.feeder} state={grid.state} tags={tags} />
      <RehearsalPanel />
    </div>
  );
}
