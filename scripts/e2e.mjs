#!/usr/bin/env node
// Runs the end-to-end tests (test/e2e/*.e2e.ts) with node:test under tsx, one file after another, against the
// built app (npm run build first). A file that cannot run here (no Electron binary) reports itself as skipped.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('../test/e2e/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.e2e.ts')).sort().map((f) => join(dir, f));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit', env: { ...process.env, ELECTRON_ENABLE_LOGGING: '0' } });
process.exit(r.status ?? 1);
