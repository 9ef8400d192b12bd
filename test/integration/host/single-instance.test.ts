// A second instance on the same data folder exits at once with a message naming the folder and the running pid;
// a stale lock (its process gone) is taken over. Runs the real CLI (`bin/exergy.js serve`) as two processes.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'exergy.js');
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'exergy-lock-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function startFirst(dir: string) {
  const p = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const up = new Promise<void>((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Open http')) resolve();
    });
    p.once('exit', (c) => reject(new Error(`first instance exited ${c}`)));
  });
  return { p, up };
}

describe('one instance per data folder', () => {
  it('a second instance on the same folder exits with a clear message', async () => {
    const dir = tempDir();
    const first = startFirst(dir);
    try {
      await first.up;
      const second = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--data', dir], { encoding: 'utf8', timeout: 20_000 });
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(`data folder ${dir} is in use by another Exergy Console (pid ${first.p.pid}`);
      expect(second.stdout).not.toContain('Open http');
    } finally {
      first.p.kill('SIGTERM');
    }
  });

  it('a stale lock left by a dead process is taken over', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'exergy.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), startedAt: 'earlier' }));
    const first = startFirst(dir);
    try {
      await first.up;
    } finally {
      first.p.kill('SIGTERM');
    }
  });
});
