// Historian: write throughput (samples/s per core, the worker doing the work), bytes per sample on disk, and
// query latency for 1 h and 24 h windows at 1000 px. 24 h is 4 signals at 10/s (lower rate, to keep the bench short).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFrame } from '../shared/contract/frame';
import { Historian } from '../main/services/historian/historian';
import { Ingest } from '../main/services/historian/ingest';
import { frames, tAt, type SimSpec } from '../test/integration/historian/pmu-sim';
import { median, report, time } from './lib';

async function writeRun(spec: SimSpec, instants: number): Promise<{ perSec: number; perCpuSec: number; bytesPerSample: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'hist-bench-'));
  const all = [...frames(spec, 0, instants, 60)]; // 1 s per frame at 60/s: frame building is not what we measure
  const samples = instants * spec.signals;
  const h = await Historian.open(dir, { commitIntervalMs: 1000 });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const f of all) h.write(f);
  const r = await h.flush();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await h.close();
  if (!r.committed || r.stats.samplesCommitted !== samples) throw new Error(`bench write lost data: ${JSON.stringify(r.stats)}`);
  const bytes = statSync(join(dir, 'history.db')).size;
  rmSync(dir, { recursive: true, force: true });
  return { perSec: samples / (ms / 1000), perCpuSec: samples / ((cpu.user + cpu.system) / 1e6), bytesPerSample: bytes / samples };
}

/** The worker's CPU work without the thread or SQLite: decode frames, chunk, compress, aggregate. CPU time. */
function ingestPerCore(spec: SimSpec, instants: number): number {
  const all = [...frames(spec, 0, instants, 60)];
  let rows = 0;
  const ing = new Ingest(() => rows++);
  const cpu0 = process.cpuUsage();
  for (const f of all) {
    const d = decodeFrame(f);
    ing.add(d.columns as never, d.rows);
  }
  ing.seal();
  const cpu = process.cpuUsage(cpu0);
  return (instants * spec.signals) / ((cpu.user + cpu.system) / 1e6);
}

async function main(): Promise<void> {
  const spec: SimSpec = { t0: Math.floor(Date.now() / 1000) * 1000 - 7_200_000, signals: 20, rate: 60 };
  const instants = 30 * 60 * 60; // 30 min × 20 signals × 60/s = 2.16 M samples a run
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await writeRun(spec, instants));
  const note = '20 PMU signals × 60/s, f32 values with noise, 1.6 ms latency jitter; frames pre-built';
  report({ bench: 'historian', name: 'write: samples/s (wall, worker-bound)', value: median(runs.map((r) => r.perSec)), unit: 'samples/s', runs: 3, note: `${note}; wall time depends on machine load (loadavg ${loadavg()[0].toFixed(1)})` });
  report({ bench: 'historian', name: 'write: samples per CPU-second (all threads)', value: median(runs.map((r) => r.perCpuSec)), unit: 'samples/s/core', runs: 3 });
  const codec = [0, 1, 2].map(() => ingestPerCore(spec, 10 * 60 * 60));
  report({ bench: 'historian', name: 'ingest+compress+aggregate: samples per CPU-second', value: median(codec), unit: 'samples/s/core', runs: 3, note: 'one thread, no SQLite' });
  report({ bench: 'historian', name: 'disk: bytes per sample (raw + 1 s + 1 min + index)', value: median(runs.map((r) => r.bytesPerSample)), unit: 'B/sample', runs: 3 });

  // 24 h of 4 signals at 10/s (3.5 M samples) plus a sag-free 1 h at full rate is enough for the latency figures
  const dir = mkdtempSync(join(tmpdir(), 'hist-bench-q-'));
  const day: SimSpec = { t0: Math.floor(Date.now() / 1000) * 1000 - 86_400_000, signals: 4, rate: 10 };
  const h = await Historian.open(dir, { commitIntervalMs: 1000 });
  try {
    const n = 24 * 3600 * day.rate;
    for (const f of frames(day, 0, n, 600)) h.write(f);
    await h.flush();
    const end = tAt(day, n - 1);
    const q1h = await time(() => h.query({ signal: 2, from: end - 3_600_000, to: end, pixels: 1000 }), 21, 2);
    const q24 = await time(() => h.query({ signal: 2, from: end - 86_400_000, to: end, pixels: 1000 }), 21, 2);
    const raw10m = await time(() => h.readRaw(2, end - 600_000, end), 11, 1);
    report({ bench: 'historian', name: 'query 1 h at 1000 px (1 s tier)', value: median(q1h), unit: 'ms', p95: [...q1h].sort((a, b) => a - b)[19], runs: 21 });
    report({ bench: 'historian', name: 'query 24 h at 1000 px (1 min tier)', value: median(q24), unit: 'ms', p95: [...q24].sort((a, b) => a - b)[19], runs: 21, note: '24 h of 4 signals at 10/s' });
    report({ bench: 'historian', name: 'read raw 10 min of one signal (playback)', value: median(raw10m), unit: 'ms', runs: 11, note: '6000 samples at 10/s' });
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
