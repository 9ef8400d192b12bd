// A simplified one-line of the feeder: substation, regulators and switches along the main bus, each microgrid's
// PCC breaker (state from grid.state) with its DERs below; switching tags drawn on the device they block.
import type { FeederInfo, GridState, SwitchingTag } from '../../../../shared/contract/areas/grid';

const STEP = 72;
const MG_STEP = 260;

export function OneLine({ feeder, state, tags }: { feeder: FeederInfo; state: GridState | null; tags: SwitchingTag[] }) {
  const devices = feeder.branches.filter((b) => b.kind === 'regulator' || b.kind === 'switch');
  const mgState = new Map((state?.microgrids ?? []).map((m) => [m.id, m.state]));
  const tagged = new Set(tags.map((t) => t.device));
  // microgrids hang below the main bus on their own tier, so the drawing stays as wide as the device row
  const mgX0 = 200;
  const width = Math.max(120 + devices.length * STEP, mgX0 + feeder.microgrids.length * MG_STEP) + 20;
  const y = 60;
  return (
    <figure className="mg-card" aria-label="One-line diagram" data-testid="one-line">
      <figcaption>One-line ({feeder.feeder}): ■ closed · □ open · R regulator · ▲ DER · orange ring: switching tag</figcaption>
      <div style={{ overflowX: 'auto' }}>
        <svg width={width} height={260} role="img" aria-label="One-line diagram of the feeder">
          <line x1={60} x2={width - 20} y1={y} y2={y} stroke="#c2c7cc" strokeWidth={3} />
          <rect x={10} y={y - 22} width={50} height={44} fill="#33383d" stroke="#e8eaec" />
          <text x={35} y={y + 40} textAnchor="middle" fill="#e8eaec" fontSize={14}>Substation</text>
          {devices.map((d, i) => {
            const x = 120 + i * STEP;
            return (
              <g key={d.name} transform={`translate(${x},${y})`} data-device={d.name}>
                {tagged.has(d.name) && <circle r={17} fill="none" stroke="#ffc94d" strokeWidth={3} />}
                {d.kind === 'regulator'
                  ? (<><circle r={11} fill="#262a2e" stroke="#e8eaec" strokeWidth={2} /><text dy="0.35em" textAnchor="middle" fill="#e8eaec" fontSize={13}>R</text></>)
                  : <rect x={-9} y={-9} width={18} height={18} fill={d.closed ? '#e8eaec' : '#262a2e'} stroke="#e8eaec" strokeWidth={2} />}
                <text y={-22} textAnchor="middle" fill="#c2c7cc" fontSize={13}>{d.name}</text>
              </g>
            );
          })}
          {feeder.microgrids.map((m, i) => {
            const x = mgX0 + i * MG_STEP;
            const st = mgState.get(m.id) ?? 'Unknown';
            const closed = st === 'Parallel';
            const ders = feeder.ders.filter((d) => d.microgrid === m.id || m.buses.includes(d.bus)).slice(0, 4);
            return (
              <g key={m.id} data-microgrid={m.id}>
                <line x1={x} x2={x} y1={y} y2={y + 90} stroke="#c2c7cc" strokeWidth={2} />
                <g transform={`translate(${x},${y + 40})`}>
                  {(tagged.has(m.id) || tagged.has(m.pccBranch)) && <circle r={17} fill="none" stroke="#ffc94d" strokeWidth={3} />}
                  <rect x={-10} y={-10} width={20} height={20} fill={closed ? '#e8eaec' : '#262a2e'} stroke={st === 'Parallel' ? '#e8eaec' : '#9ecbff'} strokeWidth={2} />
                  <text x={16} dy="0.35em" fill="#e8eaec" fontSize={13}>PCC {m.pccBranch} · {st}</text>
                </g>
                <line x1={x - 90} x2={x + 170} y1={y + 90} y2={y + 90} stroke={closed ? '#c2c7cc' : '#9ecbff'} strokeWidth={3} />
                <text x={x - 90} y={y + 84} fill="#c2c7cc" fontSize={13}>{m.id}</text>
                {ders.map((d, k) => (
                  <g key={d.name} transform={`translate(${x - 70 + k * 76},${y + 120})`}>
                    <line y1={-30} y2={-10} stroke="#c2c7cc" />
                    <path d="M0,-10 L9,6 L-9,6 Z" fill="#a5e07a" />
                    <text y={22} textAnchor="middle" fill="#c2c7cc" fontSize={12}>{d.name.slice(0, 10)}</text>
                  </g>
                ))}
              </g>
            );
          })}
        </svg>
      </div>
    </figure>
  );
}
