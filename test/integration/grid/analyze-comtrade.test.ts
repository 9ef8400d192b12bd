// `exergy analyze --input FILE.cfg`: a COMTRADE record written with writeComtrade in the historian export's channel
// convention (ch_id = signal key, ccbm = element [nominal= bus=]) gives the events the same samples give as CSV.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../main/cli/commands/analyze';
import { writeComtrade, type ChannelInput, type DatFormat } from '../../../shared/comtrade';

const dir = mkdtempSync(join(tmpdir(), 'exergy-analyze-comtrade-'));
const T0 = Date.UTC(2026, 5, 1, 3, 0, 0);
const RATE = 60;
const N = 30 * RATE;
// PMU_1 on a 7.2 kV (L-N) bus: phase B sags to 0.70 p.u. from 10 s for 5 s, frequency dips to 59.5 Hz for 2 s at 20 s.
const times = Float64Array.from({ length: N }, (_, i) => T0 + (i * 1000) / RATE);
const vB = (t: number) => (t >= 10 && t < 15 ? 0.7 : 1.0);
const freq = (t: number) => (t >= 20 && t < 22 ? 58.5 : 60);
const series = (f: (t: number) => number) => Float64Array.from({ length: N }, (_, i) => f(i / RATE));
const channels: ChannelInput[] = [
  { id: 'pmu/PMU_1/Vmag.A', phase: 'A', circuit: 'PMU_1 nominal=7.2 bus=650', unit: 'kV', values: series(() => 7.2) },
  { id: 'pmu/PMU_1/Vmag.B', phase: 'B', circuit: 'PMU_1 nominal=7.2 bus=650', unit: 'kV', values: series((t) => 7.2 * vB(t)) },
  { id: 'pmu/PMU_1/Vmag.C', phase: 'C', circuit: 'PMU_1 nominal=7.2 bus=650', unit: 'kV', values: series(() => 7.2) },
  { id: 'pmu/PMU_1/freq', circuit: 'PMU_1', unit: 'Hz', values: series(freq) },
];

function write(name: string, format: DatFormat, analogs = channels): string {
  const w = writeComtrade({ station: 'SUB 650', device: 'exergy historian', lineFreq: 60, format, timesMs: times, analogs });
  writeFileSync(join(dir, `${name}.cfg`), w.cfg);
  writeFileSync(join(dir, `${name}.dat`), w.dat);
  return join(dir, `${name}.cfg`);
}

/** The same samples as the CSV recording format: the reference path (its reader has its own tests). */
function csv(): string {
  const head = ['# exergy-recording v1', ...channels.map((c, i) => `# signal id=${i + 1} kind=pmu element=PMU_1 quantity=${c.id.split('/')[2].split('.')[0]}${c.phase ? ` phase=${c.phase}` : ''} unit=${c.unit === 'kV' ? 'V nominal=7200' : c.unit} bus=650`)];
  const rows: string[] = [];
  for (let s = 0; s < N; s++) channels.forEach((c, i) => rows.push(`${(times[s] / 1000).toFixed(6)},${i + 1},${c.values[s] * (c.unit === 'kV' ? 1000 : 1)}`));
  const file = join(dir, 'same.csv');
  writeFileSync(file, [...head, ...rows].join('\n'));
  return file;
}

function run(input: string): Array<Record<string, any>> {
  const out: string[] = [];
  analyze({ input, category: 'II' }, (l) => out.push(l));
  return out.map((l) => JSON.parse(l));
}
const events = (lines: Array<Record<string, any>>) => lines.filter((l) => l.type === 'event');

describe('exergy analyze on COMTRADE', () => {
  it('the real CLI reads a .cfg/.dat pair and reports the sag on the lowest phase and the under-frequency', () => {
    const cfg = write('rec', 'BINARY32');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'main/cli/index.ts', 'analyze', '--input', cfg], { encoding: 'utf8', cwd: join(__dirname, '../../..') });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const ev = lines.filter((l) => l.type === 'event' && l.subject === 'pmu/PMU_1');
    expect(ev).toHaveLength(2);
    const [sag, uf] = ev;
    expect(sag.startMs).toBeCloseTo(T0 + 10_000, -1);
    expect(sag.durationMs).toBeCloseTo(5000, -2);
    expect(sag.vMinPu).toBeCloseTo(0.7, 4);
    expect(uf.startMs).toBeCloseTo(T0 + 20_000, -1);
    expect(uf.fMinHz).toBeCloseTo(58.5, 4);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', signals: 4, rows: 4 * N });
  }, 60_000);

  it('gives exactly the events of the same samples as CSV, for every .dat format', () => {
    const reference = events(run(csv()));
    expect(reference.length).toBe(2);
    for (const format of ['ASCII', 'BINARY', 'BINARY32', 'FLOAT32'] as const) {
      const got = events(run(write(`rec-${format}`, format)));
      expect(got.map((e) => [e.subject, e.startMs, e.durationMs, e.verdict.requirement, e.verdict.regions.map((x: any) => `${x.region}:${x.ms}`)]), format).toEqual(
        reference.map((e) => [e.subject, e.startMs, e.durationMs, e.verdict.requirement, e.verdict.regions.map((x: any) => `${x.region}:${x.ms}`)]),
      );
    }
  });

  it('a channel that does not follow the naming convention is refused naming the file and channel', () => {
    const cfg = write('bad', 'ASCII', [channels[0], { ...channels[1], id: 'VB' }]);
    expect(() => run(cfg)).toThrow(/bad\.cfg: channel 2 "VB": ch_id must be a signal key/);
    const noNominal = write('nonominal', 'ASCII', [{ ...channels[0], circuit: 'PMU_1' }]);
    const lines = run(noNominal);
    expect(lines.some((l) => l.type === 'issue' && /nominal/.test(l.message))).toBe(true);
  });
});
