// The Map pane: the live feeder map with its legend, the inspector for the selected bus (live values per phase,
// quality, measured/estimated, last update) and the inertia panel per island.
import type { FeederInfo, GridState } from '../../../../shared/contract/areas/grid';
import { VOLTAGE_CLASS_LABEL, VoltageClass, classifyVoltage } from '../../../../shared/display/voltage-class';
import { telemetry, useTelemetryVersion } from '../../streams/telemetry-store';
import { FeederMap } from './feeder-map';
import { gridStore, useGrid } from './grid-store';

export function MapPane() {
  const grid = useGrid();
  const selected = grid.selected;
  if (grid.error && grid.waiting) return <p className="muted" role="status">Waiting for the live data path to start (simulator, OPC UA, historian)… {grid.error}</p>;
  if (grid.error) return <p className="cue alarm" role="alert">Feeder not available: {grid.error}</p>;
  if (!grid.feeder) return <p className="muted">Loading the feeder model…</p>;
  return (
    <div className="map-layout">
      <FeederMap feeder={grid.feeder} state={grid.state} events={grid.openEvents} version={grid.version} selected={selected} focus={grid.focus ?? null} onSelect={gridStore.select} />
      <aside className="map-side" aria-label="Map details">
        {grid.playback && (
          <p className="cue warn" data-testid="playback-banner">
            PLAYBACK {new Date(grid.playback.at).toISOString().slice(11, 23)} UTC
          </p>
        )}
        <Legend />
        {selected !== null && <Inspector feeder={grid.feeder} state={grid.state} index={selected} />}
        <Islands state={grid.state} />
      </aside>
    </div>
  );
}

function Legend() {
  return (
    <section aria-label="Legend" className="legend">
      <h3>Legend</h3>
      <ul>
        <li><span className="sym sym-measured" aria-hidden /> measured (solid, white ring)</li>
        <li><span className="sym sym-estimated" aria-hidden /> estimated from the feeder model (hollow)</li>
        <li><span className="sym sym-unknown" aria-hidden /> unknown (small grey ring)</li>
        <li><span className="sym sym-normal" aria-hidden /> normal: grey, small</li>
        <li><span className="sym sym-warn" aria-hidden /> outside ANSI C84.1 Range A: amber, larger, labelled LO/HI</li>
        <li><span className="sym sym-alarm" aria-hidden /> outside Range B: red, largest, labelled LO!/HI!</li>
        <li>▲ DER · <span style={{ color: '#9ecbff' }}>◆</span> PMU · red ring: open event</li>
        <li>Microgrid boundary: grey Parallel, blue Islanded, amber Ride-Through</li>
      </ul>
    </section>
  );
}

function Inspector({ feeder, state, index }: { feeder: FeederInfo; state: GridState | null; index: number }) {
  useTelemetryVersion();
  const bus = feeder.buses[index];
  const lo = state?.vMin[index] ?? Number.NaN;
  const hi = state?.vMax[index] ?? Number.NaN;
  const cls = classifyVoltage(lo, hi, feeder.limits);
  const signals = feeder.signals.filter((s) => s.bus === bus && (s.quantity === 'Vmag' || s.quantity === 'freq'));
  const now = state?.t ?? 0; // ages relative to the latest snapshot: rendering stays a pure function of data
  return (
    <section aria-label={`Bus ${bus}`} className="inspector" data-testid="inspector">
      <h3>Bus {bus}</h3>
      <p>
        Worst phase: {Number.isFinite(lo) ? `${lo.toFixed(4)}–${hi.toFixed(4)} p.u.` : 'no data'} · <span className={cls === VoltageClass.Normal ? 'cue normal' : 'cue warn'}>{VOLTAGE_CLASS_LABEL[cls]}</span> · {state?.source[index] ?? 'unknown'}
      </p>
      <p className="muted">Phases {feeder.phases[index].join(', ')}</p>
      {signals.length === 0 ? (
        <p className="muted">No telemetry at this bus: values are {state?.source[index] === 'estimated' ? 'estimated from the feeder model' : 'unknown'}.</p>
      ) : (
        <table className="grid-table">
          <thead>
            <tr><th>Signal</th><th>Value</th><th>Quality</th><th>Age</th></tr>
          </thead>
          <tbody>
            {signals.map((s) => {
              const last = telemetry.ring(s.id)?.last();
              const pu = last && s.nominal && s.quantity === 'Vmag' ? ` (${(last.v / s.nominal).toFixed(4)} p.u.)` : '';
              return (
                <tr key={s.id}>
                  <td>{s.key}</td>
                  <td>{last ? `${last.v.toFixed(s.unit === 'Hz' ? 4 : 1)} ${s.unit}${pu}` : '—'}</td>
                  <td>{last ? quality(last.s) : '—'}</td>
                  <td>{last ? `${((now - last.t) / 1000).toFixed(1)} s` : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Islands({ state }: { state: GridState | null }) {
  return (
    <section aria-label="Islands and inertia" className="islands">
      <h3>Microgrids and inertia</h3>
      <table className="grid-table">
        <thead>
          <tr><th>Microgrid</th><th>State</th><th>Since</th></tr>
        </thead>
        <tbody>
          {(state?.microgrids ?? []).map((m) => (
            <tr key={m.id}>
              <td>{m.id}</td>
              <td className={m.state === 'Parallel' ? 'cue normal' : 'cue warn'}>{m.state}{m.intentional ? ' (planned)' : ''}</td>
              <td>{new Date(m.since).toISOString().slice(11, 19)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="grid-table">
        <thead>
          <tr><th>Island</th><th>Kinetic energy</th><th>H (event)</th></tr>
        </thead>
        <tbody>
          {(state?.inertia ?? []).map((x) => (
            <tr key={x.island}>
              <td>{x.island}</td>
              <td>{x.kineticEnergyMWs !== undefined ? `${x.kineticEnergyMWs.toFixed(1)} MW·s` : '—'}</td>
              <td>{x.hS !== undefined ? `${x.hS.toFixed(2)} s ±${((x.confidence ?? 0) * 100).toFixed(0)}% · ${ageOf(x.at, state?.t ?? x.at)}` : (x.withheld ?? '—')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ageOf(t: number, now: number): string {
  const s = Math.max(0, (now - t) / 1000);
  return s < 120 ? `${s.toFixed(0)} s ago` : `${(s / 60).toFixed(0)} min ago`;
}

/** OPC UA StatusCode severity: the top two bits. */
export function quality(status: number): string {
  const sev = status >>> 30;
  return sev === 0 ? 'Good' : sev === 1 ? 'Uncertain' : 'Bad';
}
