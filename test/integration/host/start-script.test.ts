// `npm start` (scripts/start.mjs) where the Electron binary is missing: one line saying so, then the browser
// host's URL with its token fragment. The URL really serves the app.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..', '..');
const hasElectron = existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt'));

describe('npm start', () => {
  it.runIf(!hasElectron)('says Electron is missing in one line and prints the browser-host URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exergy-start-'));
    const p = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--port', '0', '--data', dir], { cwd: ROOT, env: { ...process.env, EXERGY_NO_BUILD: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no URL in 30 s: ${text}`)), 30_000);
        p.stdout!.on('data', (d: Buffer) => {
          text += d.toString();
          if (/Open http\S+#token=/.test(text)) {
            clearTimeout(timer);
            resolve(text);
          }
        });
      });
      const lines = out.trim().split('\n');
      expect(lines[0]).toMatch(/^Electron binary not installed .*serving the browser host instead\.$/);
      expect(lines.filter((l) => /electron/i.test(l))).toHaveLength(1);
      const url = /Open (http\S+)/.exec(out)![1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
      const page = await fetch(url.split('#')[0]);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      p.kill('SIGTERM');
      await new Promise((r) => p.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
