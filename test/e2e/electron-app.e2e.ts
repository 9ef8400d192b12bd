// The Electron app end to end with Playwright's `_electron`: runs wherever the Electron binary exists (it cannot
// be downloaded on some build machines) and is reported as skipped, with that reason, elsewhere.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { _electron } from 'playwright-core';
import YAML from 'yaml';
import { hashPassword } from '../../main/core/users';
import { ROOT, SHOTS } from './harness';

/** Looks for the binary on disk: requiring 'electron' would try to download it. */
function electronBinary(): string | undefined {
  const pathFile = join(ROOT, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const bin = join(ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : undefined;
}

const bin = electronBinary();
const reason = 'Electron binary not installed (node_modules/electron/dist is missing; it cannot be downloaded on this machine)';

test('Electron: sandboxed window, core in a utilityProcess, login over the MessagePort', { skip: bin ? false : reason }, async () => {
  const data = mkdtempSync(join(tmpdir(), 'exergy-electron-'));
  mkdirSync(join(data, 'config'), { recursive: true });
  writeFileSync(join(data, 'config', 'users.yaml'), YAML.stringify({ users: [{ name: 'ada', roles: ['dso-operator'], password: hashPassword('ada-pw') }] }));
  const args = [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
  const app = await _electron.launch({ executablePath: bin!, args, env: { ...process.env, EXERGY_DATA: data } as Record<string, string> });
  try {
    const page = await app.firstWindow();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await page.waitForFunction(() => !(document.querySelector('button[type=submit]') as HTMLButtonElement).disabled);
    const inside = await page.evaluate(async () => ({
      require: typeof (globalThis as { require?: unknown }).require,
      csp: (await fetch(location.href)).headers.get('content-security-policy'),
      open: window.open('https://example.com') === null,
      api: Object.keys((window as { exergy?: object }).exergy ?? {}).sort(),
    }));
    assert.equal(inside.require, 'undefined');
    assert.match(inside.csp ?? '', /default-src 'none'/);
    assert.equal(inside.open, true);
    assert.deepEqual(inside.api, ['call', 'onFrame', 'onLink', 'subscribe', 'transport']);
    await page.getByLabel('User', { exact: true }).fill('ada');
    await page.getByLabel('Password').fill('ada-pw');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Panes' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'electron-shell.png') });
  } finally {
    await app.close();
    rmSync(data, { recursive: true, force: true });
  }
});
