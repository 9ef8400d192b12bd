#!/usr/bin/env node
// Runs the end-to-end tests (test/e2e/*.e2e.ts) with node:test under tsx, one file after another, against the
// built app (npm run build first). A file that cannot run here (no Electron binary) reports itself as skipped.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('../test/e2e/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.e2e.ts')).sort().map((f) => join(dir, f));
const cmd = [process.execPath, '--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files];
// Electron needs a display even for tests; headless Chromium does not. Use a virtual one when there is none.
const xvfb = !process.env.DISPLAY && process.platform === 'linux' && spawnSync('sh', ['-c', 'command -v xvfb-run']).status === 0;
const r = spawnSync(xvfb ? 'xvfb-run' : cmd[0], xvfb ? ['-a', ...cmd] : cmd.slice(1), { stdio: 'inherit', env: { ...process.env, ELECTRON_ENABLE_LOGGING: '0' } });
process.exit(r.status ?? 1);
