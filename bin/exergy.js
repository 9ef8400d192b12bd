#!/usr/bin/env node
// The `exergy` command: runs the built CLI (out/main/cli.js), or the TypeScript sources through tsx in development.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const built = join(__dirname, '..', 'out', 'main', 'cli.js');
if (existsSync(built)) {
  require(built);
} else {
  const { spawnSync } = require('node:child_process');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'main', 'cli', 'index.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
