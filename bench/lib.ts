// Benchmark helpers: every case reports medians (and p95 where it matters) as JSON lines the runner collects.
import { performance } from 'node:perf_hooks';

export interface BenchResult {
  bench: string; // file-level group, e.g. "powerflow"
  name: string; // what was measured
  value: number; // the median (or the single measured figure)
  unit: string; // "solves/s", "ms", "gas", ...
  p95?: number;
  runs?: number;
  note?: string;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Times `fn` `runs` times after `warmup` runs; returns per-run milliseconds. */
export async function time(fn: () => unknown | Promise<unknown>, runs = 7, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Prints one result as a JSON line prefixed so the runner can find it among other output. */
export function report(r: BenchResult): void {
  process.stdout.write(`BENCH ${JSON.stringify(r)}\n`);
}
