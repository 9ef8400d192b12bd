// Generates a recording CSV for `exergy analyze`: a Category III DER riding a 21.5 s sag at 0.80 p.u., a DER on
// another bus through a long under-frequency excursion, a microgrid that islands, then a unit trip in the island.
import { swing } from '../../unit/grid/swing';

export interface RecordingCase {
  pv1TripS: number; // when PV1 reports Tripped (sag 5.0–26.5 s at 0.80 p.u.)
  lowFrequencyS: number; // time below 58.8 Hz on bus 651 (58.6 Hz, ramped at 0.5 Hz/s)
  hS: number; // island inertia
}

export function recordingCsv(c: RecordingCase): string {
  const head = [
    '# exergy-recording v1',
    '# generated for the analyze integration test',
    ...['A', 'B', 'C'].map((p, i) => `# signal id=${1 + i} kind=der element=PV1 quantity=Vmag phase=${p} unit=V nominal=277 bus=650`),
    '# signal id=4 kind=der element=PV1 quantity=status unit= bus=650',
    '# signal id=5 kind=pmu element=PMU1 quantity=freq unit=Hz bus=650',
    '# signal id=6 kind=der element=PV2 quantity=status unit= bus=651',
    '# signal id=7 kind=bus element=651 quantity=Vmag phase=A unit=pu',
    '# signal id=8 kind=pmu element=PMU2 quantity=freq unit=Hz bus=651',
    '# signal id=9 kind=microgrid element=MG1 quantity=breaker unit=',
    '# signal id=10 kind=microgrid element=MG1 quantity=Vmag unit=V nominal=7200',
    '# signal id=11 kind=pmu element=PMU3 quantity=freq unit=Hz',
    '# signal id=12 kind=pmu element=PMU4 quantity=freq unit=Hz',
    '# signal id=13 kind=der element=GEN2 quantity=P unit=kW',
    '# signal id=14 kind=der element=GEN1 quantity=status unit=',
    '# der PV1 category=III',
    '# island MG1 f0=60 pmus=PMU3,PMU4 steps=GEN2 units=GEN1:' + c.hS + ':10',
    'time,signal,value,quality',
  ];
  const rows: string[] = [];
  const row = (tMs: number, id: number, v: number | string, q = '') => rows.push(`${(tMs / 1000).toFixed(4)},${id},${v}${q ? `,${q}` : ''}`);
  const fEnd = 45_000 + 2400 + c.lowFrequencyS * 1000 + 2400; // trapezoid: 2.4 s ramps to and from 58.8 Hz
  for (let t = 0; t <= 400_000; t += 100) {
    const sag = t >= 5000 && t < 26_500;
    const v = sag ? 0.8 : 1.0;
    if (t <= 40_000) for (const id of [1, 2, 3]) row(t, id, (v * 277).toFixed(3));
    if (t <= 40_000) row(t, 5, '60.000');
    const dev = Math.max(0, Math.min(1.4, (0.5 * (t - 45_000)) / 1000, (0.5 * (fEnd - t)) / 1000));
    if (t >= 40_000 && t < 390_000) {
      row(t, 7, '1.000');
      row(t, 8, (60 - dev).toFixed(4));
    }
    row(t, 9, t < 370_000 ? 1 : 0);
    row(t, 10, (v * 7200).toFixed(2));
    if (t % 1000 === 0) row(t, 13, t < 380_000 ? 1500 : 0);
  }
  row(0, 4, 1);
  row(c.pv1TripS * 1000, 4, 3);
  row(40_000, 6, 1);
  row(0, 14, 1);
  // 60 frames/s island frequency around the trip of GEN2 at 380 s.
  const pmus = swing({ hS: c.hS, sMva: 10, f0: 60, deltaPMw: 1.5, tStepMs: 4000, durationMs: 8000, fps: 60, pmus: 2, noiseHz: 0.005, swingHz: 0.01, seed: 5 });
  for (let k = 0; k < pmus[0].t.length; k++) for (const [j, p] of pmus.entries()) row(376_000 + p.t[k], 11 + j, p.f[k].toFixed(5));
  // A few faults the analysis must count, not throw on.
  row(30_050, 1, 'NaN');
  row(30_150, 1, 277, 'bad');
  return [...head, ...rows.sort((a, b) => Number(a.split(',')[0]) - Number(b.split(',')[0]))].join('\n') + '\n';
}
