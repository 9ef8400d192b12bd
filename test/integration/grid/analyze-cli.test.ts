// Runs `exergy analyze` (the real CLI through tsx) on generated recordings: the 21 s Category III region, the
// 299 s frequency region, grid-connect states and the island's inertia come out as JSON lines.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../main/cli/commands/analyze';
import { recordingCsv } from './recording';

const dir = mkdtempSync(join(tmpdir(), 'exergy-analyze-'));

/** The same command in-process, for the variants (the first case goes through the real CLI). */
function inProcess(o: Parameters<typeof analyze>[0]): Array<Record<string, any>> {
  const out: string[] = [];
  analyze(o, (l) => out.push(l));
  return out.map((l) => JSON.parse(l));
}

function cli(args: string[]): { lines: Array<Record<string, any>>; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'main/cli/index.ts', 'analyze', ...args], { encoding: 'utf8', cwd: join(__dirname, '../../..') });
  // Other commands' modules load node-opcua, which prints its Node-version warning on stdout: keep JSON lines only.
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('{'));
  return { lines: lines.map((l) => JSON.parse(l)), stderr: r.stderr.split('\n').filter((l) => l.startsWith('exergy')).join('\n'), status: r.status };
}

describe('exergy analyze on a generated recording', () => {
  const file = join(dir, 'rec.csv');
  writeFileSync(file, recordingCsv({ pv1TripS: 25.5, lowFrequencyS: 305, hS: 4 }));

  it('reports the 21.5 s sag, the 305 s under-frequency, the microgrid states and the island H', () => {
    const { lines, status, stderr } = cli(['--input', file, '--category', 'I']);
    expect(stderr).toBe(''); // no exergy error line
    expect(status).toBe(0);
    const ev = (subject: string) => lines.filter((l) => l.type === 'event' && l.subject === subject);
    const pv1 = ev('der/PV1');
    expect(pv1).toHaveLength(1);
    expect(pv1[0].verdict.regions.find((r: any) => r.region === 'LV.mandatory2').ms).toBeCloseTo(21_500, -2);
    expect(pv1[0].verdict).toMatchObject({ voltageSource: 'der-terminal', compliance: 'compliant', trippedAtMs: 25_500, requirement: 'must-trip' });
    expect(pv1[0].verdict.mustTrip[0]).toMatchObject({ fn: 'UV1', deadlineMs: 26_000 });
    const pv2 = ev('der/PV2');
    expect(pv2).toHaveLength(1);
    expect(pv2[0].verdict.regions.find((r: any) => r.region === 'LF.mandatory').ms).toBeCloseTo(305_000, -3);
    expect(pv2[0].verdict).toMatchObject({ voltageSource: 'bus', requirement: 'may-trip', compliance: 'compliant' });
    expect(pv2[0].timeDomain).toBe('TD3');
    expect(lines.filter((l) => l.type === 'state').map((l) => [l.state, l.tMs])).toEqual([
      ['Parallel', 0],
      ['RideThrough', 5000],
      ['Parallel', 26_500],
      ['Islanded', 370_000],
    ]);
    const h = lines.find((l) => l.type === 'inertia' && l.kind === 'estimate');
    expect(h).toMatchObject({ status: 'estimate', island: 'MG1', deltaPMw: 1.5 });
    expect(Math.abs(h!.hS - 4) / 4).toBeLessThan(0.1);
    const sum = lines.find((l) => l.type === 'summary');
    expect(sum!.counters).toMatchObject({ nan: 1, badQuality: 1, late: 0 }); // only PV1's detector reads its terminal VA
  });

  it('the 21 s alternative (S3) makes the 25.5 s trip non-compliant; a 298 s excursion needs ride-through', () => {
    const lines = inProcess({ input: file, dispute: ['catIII.lvMandatory2=S3'] });
    const pv1 = lines.find((l) => l.type === 'event' && l.subject === 'der/PV1');
    expect(pv1!.verdict.violations.map((v: any) => v.kind)).toEqual(['tripped-during-ride-through']);
    const short = join(dir, 'short.csv');
    writeFileSync(short, recordingCsv({ pv1TripS: 26.1, lowFrequencyS: 298, hS: 4 }));
    const r = { lines: inProcess({ input: short }) };
    const pv2 = r.lines.find((l) => l.type === 'event' && l.subject === 'der/PV2');
    expect(pv2!.verdict.requirement).toBe('ride-through');
    expect(r.lines.find((l) => l.type === 'event' && l.subject === 'der/PV1')!.verdict.compliance).toBe('compliant');
  });

  it('a malformed recording fails with the file and line, exit code 2', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, '# signal id=1 kind=bus element=B quantity=Vmag unit=V\n');
    const r = cli(['--input', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/PARSE_ERROR: .*bad\.csv:1: signal 1: a voltage needs nominal/);
    writeFileSync(bad, '# signal id=1 kind=bus element=B quantity=Vmag unit=pu\n0.0,1,1.0\n0.1,7,1.0\n');
    expect(() => inProcess({ input: bad })).toThrow(/bad\.csv:3: signal "7" is not declared/);
    expect(() => inProcess({ input: file, category: 'IV' })).toThrow(/--category must be I, II or III/);
    expect(() => inProcess({ input: file, dispute: ['catIII.nothing=S3'] })).toThrow(/no disputed number/);
  });
});
