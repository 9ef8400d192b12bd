#!/usr/bin/env node
// `npm start`: builds if needed, then starts the Electron app; where the Electron binary is missing (it cannot be
// downloaded on some machines) says so in one line and serves the browser host instead, printing its URL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = ['out/main/electron.js', 'out/main/core.js', 'out/main/cli.js', 'out/preload/index.js', 'out/renderer/index.html'].map((f) => join(root, f));
const newest = (dir) => {
  let t = 0;
  const walk = (d) => {
    for (const e of readdirSafe(d)) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else t = Math.max(t, statSync(p).mtimeMs);
    }
  };
  walk(dir);
  return t;
};
function readdirSafe(d) {
  try { return readdirSync(d, { withFileTypes: true }); } catch { return []; }
}
const stale = built.some((f) => !existsSync(f)) || Math.max(...['main', 'preload', 'renderer', 'shared'].map((d) => newest(join(root, d)))) > Math.min(...built.map((f) => statSync(f).mtimeMs));
// EXERGY_NO_BUILD=1: tests that have just built skip the staleness check
if (stale && !process.env.EXERGY_NO_BUILD) {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** The electron package downloads its binary on first require, so look for it on disk instead of requiring it. */
function electronBinary() {
  const pkg = join(root, 'node_modules/electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const bin = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : undefined;
}

const args = process.argv.slice(2);
const bin = process.env.EXERGY_BROWSER_HOST ? undefined : electronBinary();
const child = bin
  ? spawn(bin, [root, ...args], { stdio: 'inherit' })
  : (process.stdout.write('Electron binary not installed (node_modules/electron/dist is missing): serving the browser host instead.\n'),
    spawn(process.execPath, [join(root, 'bin/exergy.js'), 'serve', ...args], { stdio: 'inherit' }));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
