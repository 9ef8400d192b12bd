#!/usr/bin/env node
// Runs every bench/*.bench.ts in its own Node process (tsx), collects the BENCH lines, prints a table of medians
// and writes bench/results/latest.json. `npm run bench -- powerflow` runs only files whose name contains "powerflow".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv[2] ?? '';
const dir = new URL('../bench/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && f.includes(filter)).sort();
const results = [];
let failed = 0;
for (const f of files) {
  process.stdout.write(`\n# ${f}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, f)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  for (const line of (r.stdout ?? '').split('\n')) {
    if (line.startsWith('BENCH ')) {
      const x = JSON.parse(line.slice(6));
      results.push(x);
      const extra = [x.p95 !== undefined ? `p95 ${fmt(x.p95)}` : '', x.runs ? `${x.runs} runs` : '', x.note ?? ''].filter(Boolean).join(', ');
      process.stdout.write(`  ${x.name.padEnd(58)} ${fmt(x.value).padStart(12)} ${x.unit}${extra ? `  (${extra})` : ''}\n`);
    } else if (line.trim()) process.stdout.write(`  | ${line}\n`);
  }
  if (r.status !== 0) { failed++; process.stdout.write(`  !! ${f} exited with ${r.status}\n`); }
}
function fmt(v) { return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3); }
mkdirSync(join(dir, 'results'), { recursive: true });
writeFileSync(join(dir, 'results', 'latest.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
process.stdout.write(`\n${results.length} results from ${files.length} files written to bench/results/latest.json\n`);
process.exit(failed ? 1 : 0);
