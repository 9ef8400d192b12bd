// Samples per second through ride-through detection on one core: one detector alone, and the analytics service
// on SampleFrames for 200 DERs (3-phase terminal V, bus frequency, status) with sags and frequency excursions.
import { SAMPLE_SCHEMA, type SampleFrame } from '../shared/contract/frame';
import type { SignalInfo } from '../shared/domain/signals';
import { RideThroughDetector } from '../shared/grid/events';
import { categoryRules, derSettings, resolveRuleSet } from '../shared/grid/ieee1547';
import { AnalyticsService } from '../main/services/analytics/analytics-service';
import { median, percentile, report, time } from './lib';

const rules = resolveRuleSet('ieee1547-2018');
const N = 1_000_000;

// A 20 ms-cadence DER stream: 3 phases + f, a 0.8 p.u. sag every 30 s and a 59 Hz dip every 70 s.
const vAt = (t: number) => (t % 30_000 < 2_000 ? 0.8 : 1.0);
const fAt = (t: number) => (t % 70_000 < 3_000 ? 58.6 : 60.0);

function detectorRun(): number {
  let events = 0;
  const d = new RideThroughDetector(
    {
      subject: 'der/B',
      kind: 'der',
      inputs: [{ role: 'V', nominal: 1 }, { role: 'V', nominal: 1 }, { role: 'V', nominal: 1 }, { role: 'f' }, { role: 'status' }],
      voltageSource: 'der-terminal',
      rules: categoryRules(rules, 'II'),
      trips: derSettings(rules, { category: 'II' }).trips,
      rocofWindowS: rules.rocofWindowS,
    },
    () => events++,
  );
  d.push(4, 0, 1, 0);
  for (let k = 0, t = 0; k < N; t += 20) {
    const v = vAt(t);
    d.push(0, t, v, 0);
    d.push(1, t, v, 0);
    d.push(2, t, v, 0);
    d.push(3, t, fAt(t), 0);
    k += 4;
  }
  d.flush();
  return events;
}

const DERS = 200;
const catalogue: SignalInfo[] = [];
for (let i = 0; i < DERS; i++) {
  for (const [j, p] of (['A', 'B', 'C'] as const).entries()) catalogue.push({ id: i * 5 + j, key: `der/D${i}/Vmag.${p}`, kind: 'der', element: `D${i}`, quantity: 'Vmag', phase: p, unit: 'V', nominal: 277, bus: `B${i}` });
  catalogue.push({ id: i * 5 + 3, key: `pmu/P${i}/freq`, kind: 'pmu', element: `P${i}`, quantity: 'freq', unit: 'Hz', bus: `B${i}` });
  catalogue.push({ id: i * 5 + 4, key: `der/D${i}/status`, kind: 'der', element: `D${i}`, quantity: 'status', unit: '', bus: `B${i}` });
}

// One frame per 20 ms tick with every signal (status only in the first): 1000 rows a frame.
function frames(ticks: number): SampleFrame[] {
  const out: SampleFrame[] = [];
  for (let k = 0; k < ticks; k++) {
    const t = k * 20;
    const rows = DERS * 4 + (k === 0 ? DERS : 0);
    const sig = new Uint32Array(rows);
    const ts = new Float64Array(rows);
    const val = new Float64Array(rows);
    let r = 0;
    for (let i = 0; i < DERS; i++) {
      const v = vAt(t + i * 137) * 277;
      const put = (id: number, x: number) => {
        sig[r] = id;
        ts[r] = t;
        val[r++] = x;
      };
      for (let j = 0; j < 3; j++) put(i * 5 + j, v);
      put(i * 5 + 3, fAt(t + i * 311));
      if (k === 0) put(i * 5 + 4, 1);
    }
    out.push({ schemaId: SAMPLE_SCHEMA.id, seq: k, rows, columns: { signal: sig, tSource: ts, tServer: ts, value: val, status: new Uint32Array(rows) } });
  }
  return out;
}

async function main(): Promise<void> {
  const d = await time(detectorRun, 7, 1);
  report({ bench: 'analytics', name: 'one DER detector (3 phases + f), time-ordered', value: N / (median(d) / 1000), unit: 'samples/s', p95: N / (percentile(d, 95) / 1000), runs: d.length, note: 'p95 = slowest-5% throughput' });
  const fs = frames(1250); // 25 s of data, 1.0 M samples
  const total = fs.reduce((a, f) => a + f.rows, 0);
  let events = 0;
  const s = await time(() => {
    const svc = new AnalyticsService({ category: 'II' });
    svc.on('event', () => events++);
    for (const f of fs) svc.ingest(f, catalogue);
    svc.flush();
  }, 5, 1);
  report({ bench: 'analytics', name: `service ingest, ${DERS} DERs + ${DERS} PMU subjects, 1000-row frames`, value: total / (median(s) / 1000), unit: 'samples/s', p95: total / (percentile(s, 95) / 1000), runs: s.length, note: `${events} events over all runs` });
  report({ bench: 'analytics', name: 'goal ratio (service samples/s ÷ 100k/s)', value: total / (median(s) / 1000) / 100_000, unit: 'x' });
}

void main();
