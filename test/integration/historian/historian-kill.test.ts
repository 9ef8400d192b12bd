import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Historian } from '../../../main/services/historian/historian';
import { frames, tAt, valueAt, type SimSpec } from './pmu-sim';

const dir = mkdtempSync(join(tmpdir(), 'hist-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('historian killed mid-write', () => {
  it('keeps every acknowledged sample after SIGKILL and resumes without rewriting what is stored', async () => {
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    const spec: SimSpec = { t0, signals: 8, rate: 60 };
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'kill-child.ts'), dir, String(t0)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acked = 0;
    let acks = 0;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        for (const m of b.toString().matchAll(/ACK (\d+)/g)) {
          acked = Number(m[1]);
          // kill at an arbitrary point after a few acknowledgements: the child is mid-write then
          if (++acks === 5) setTimeout(() => child.kill('SIGKILL'), 37);
        }
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
      setTimeout(() => reject(new Error('child gave no acknowledgements')), 60_000);
    });
    expect(child.signalCode).toBe('SIGKILL');
    expect(acked).toBeGreaterThanOrEqual(3000);

    const h = await Historian.open(dir);
    try {
      expect(h.startupAlarms).toEqual([]); // not corrupt: WAL recovery only
      const stored: number[] = [];
      for (let sig = 1; sig <= spec.signals; sig++) {
        const c = h.readRaw(sig, t0, t0 + 86_400_000);
        stored.push(c.n);
        expect(c.n).toBeGreaterThanOrEqual(acked);
        for (let i = 0; i < c.n; i++) {
          const v = valueAt(spec, sig, i);
          if (c.tSource[i] !== tAt(spec, i) || !(c.value[i] === v || (Number.isNaN(v) && Number.isNaN(c.value[i])))) {
            expect.fail(`signal ${sig} sample ${i} differs after recovery`);
          }
        }
      }
      // resume: write the instants after what is stored; nothing before it is written twice
      const from = Math.min(...stored);
      for (const f of frames(spec, from, from + 1200, 60)) h.write(f);
      expect((await h.flush()).committed).toBe(true);
      for (let sig = 1; sig <= spec.signals; sig++) {
        const c = h.readRaw(sig, t0, t0 + 86_400_000);
        expect(c.n).toBe(stored[sig - 1] + 1200); // old rows untouched, new ones appended after them
        expect(c.tSource[c.n - 1]).toBe(tAt(spec, from + 1199));
        expect(c.tSource[stored[sig - 1]]).toBe(tAt(spec, from));
      }
    } finally {
      await h.close();
    }
  });
});
