// Rehearsal: script a fault into the embedded feeder simulator, the way operators train for grey-sky events. The
// core refuses it for a field server (no such method) and for roles other than DSO operator and admin.
import { useState } from 'react';
import { bridge } from '../../bridge';

type Kind = 'SLG' | 'LL' | 'LLG' | '3P';

export function RehearsalPanel() {
  const [bus, setBus] = useState('13');
  const [kind, setKind] = useState<Kind>('3P');
  const [durationS, setDuration] = useState(3);
  const [ohms, setOhms] = useState(0.05);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const inject = async (): Promise<void> => {
    const event = { type: 'fault', bus: bus.trim(), kind, ohms, durationS, ...(kind === 'SLG' ? { phases: ['A'] } : {}) };
    const r = await bridge().call('scenario.inject', { event });
    setResult(r.ok ? { ok: r.value.ok, text: `${r.value.status}: ${r.value.result}` } : { ok: false, text: `${r.error.code}: ${r.error.message}` });
  };
  return (
    <section className="rehearsal" aria-label="Rehearsal (simulator only)">
      <h3>Rehearsal — embedded simulator only</h3>
      <div className="rehearsal-row">
        <label>
          Bus <input value={bus} onChange={(e) => setBus(e.target.value)} size={6} aria-label="Fault bus" />
        </label>
        <label>
          Fault{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} aria-label="Fault kind">
            <option value="SLG">single line to ground</option>
            <option value="LL">line to line</option>
            <option value="LLG">line-line-ground</option>
            <option value="3P">three-phase</option>
          </select>
        </label>
        <label>
          Duration (s) <input type="number" min={0.02} max={600} step={0.1} value={durationS} onChange={(e) => setDuration(Number(e.target.value))} aria-label="Fault duration in seconds" />
        </label>
        <label>
          Impedance (Ω) <input type="number" min={0} step={0.01} value={ohms} onChange={(e) => setOhms(Number(e.target.value))} aria-label="Fault impedance in ohms" />
        </label>
        <button type="button" onClick={() => void inject()} data-testid="inject-fault">
          Inject fault
        </button>
      </div>
      {result && (
        <p className={result.ok ? 'muted' : 'cue alarm'} role="status" data-testid="inject-result">
          {result.text}
        </p>
      )}
    </section>
  );
}
